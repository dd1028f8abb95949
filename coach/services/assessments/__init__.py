"""The self-assessment: starting, saving page by page, submitting, and its report.

Rules that live here: a submitted assessment is locked and scored in the transaction that
submits it, and its HR summary rows change in that same transaction
(``self_assessment``); the report's values are finished here, so templates and the API
compute nothing (``self_report``); what a report says first and what it offers next
(``headlines``, shared with the 360 report).
"""
