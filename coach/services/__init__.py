"""Use cases: the only layer that opens transactions and commits.

One package per domain; each package's docstring says what it owns and which rules apply
there. The packages depend on each other in one direction only (checked by import-linter,
``[tool.importlinter]`` in pyproject.toml), from the top down:

- ``home``, ``demo``: compose the others (a person's home page; the demo organisation).
- ``people``: the directory, the org-chart import, changing a person, personal data and
  its erasure.
- ``hr``: the HR summary tables (kept in step with every write) and everything HR reads.
- ``plans``: development plans, goals, check-ins, reminders, change over time.
- ``feedback``: 360 rounds, raters, the rater's submission, campaigns, the 360 report.
- ``assessments``: the self-assessment and its report.
- ``archetypes``: the current archetype model as stored, assigning a person to it.
- ``accounts``: accounts, passwords, e-mailed links, sign-in throttling.
- ``records``: the audit trail and the outbox as administrators read them.

``csv_files`` (reading an uploaded CSV file) is shared by the two imports;
``transactions.committing`` makes a use case of a staging function.

Transactions, one convention everywhere: a public function that carries out a use case
commits once, at its end, and on a refused request raises before anything is written. A
function that only stages writes for a caller's transaction says "no commit" in its
docstring; the caller commits. The web layer and the commands never commit.
"""
