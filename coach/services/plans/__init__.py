"""Development plans: where a plan starts from, goals and check-ins, reminders, the plan
page, and change over time between cycles.

Rules that live here: a plan is seen by its owner, and by their manager only while shared
with that manager (``development_plans``); goal progress and status come from the pure
``coach.coaching`` (``goals``, ``report``); whether a change between cycles is reliable
(``trends``).
"""
