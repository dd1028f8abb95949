"""HR: the summary tables on the write side, and everything HR can read on the read side.

Write side, in the transaction of the change that causes it: ``summary`` (listeners and
entry points), ``facts`` (each person's profile, derived in SQL), ``rollup`` (slice sums),
``moves`` (people changing units), ``layout`` (slots, bins, cycles), ``version`` (changes
with every summary change), ``archetype_refit`` (the ``recluster`` command).

Read side: ``protection`` applies the whole-table disclosure rule of
``coach.scoring.hr_disclosure`` once per summary version; ``dashboard``, ``blocks``,
``slices``, ``filters``, ``charts`` and ``where_to_act`` shape one view from it; ``plans``
and ``plan_counts`` give plan figures under the same rule; ``exports`` writes the same
figures as CSV; ``instrument_quality`` is the psychometrics page, reading raters' answers
through ``rater_rows`` as the 360 report does. HR never sees a figure
that stands for fewer than ``HR_MIN_N`` people, alone or combined with other figures.
"""
