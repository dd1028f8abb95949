"""People: the directory (units and the people in them), the org-chart import, changing a
person, removing unused units, and a person's own data and its erasure.

Rules that live here: an import is validated whole and written all or nothing
(``org_import``); changing a person's manager ends the sharing of their plan with the old
manager (``person_edits``); erasure removes a person everywhere, summaries included
(``personal_data``).
"""
