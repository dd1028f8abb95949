"""360 feedback: rounds, who rates, the rater's private path, campaigns and the 360 report.

Rules that live here: the anonymity floor of a round is fixed when it opens (``rounds``);
who may rate a subject, and that raters outside the directory wait for approval by the
subject's manager or HR (``nominations``, ``rater_approvals``); a rater link is single use,
stored only as a hash, and a submission keeps nothing that says who answered
(``rater_path``); what the round page may say before it acts (``round_controls``); the
360 report's figures come from the pure multi-rater rules (``report``), with pooled
variance for its bands (``variance_pool``).
"""
