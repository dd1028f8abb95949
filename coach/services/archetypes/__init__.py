"""The archetype model as stored: the current run, assigning a person, HR's archetype cards.

Fitting happens in the pure ``coach.analytics``; refitting and storing a new run is an HR
command (``coach.services.hr.archetype_refit``), because it rebuilds the HR summary.
Rules that live here: a person reads only their own assignment (``assignment``); HR reads
archetype sizes for the whole organisation only, with small archetypes merged
(``cards``).
"""
