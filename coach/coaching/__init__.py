"""Coaching: the action library, suggested development areas, goals and reliable change.

Pure package: standard library, PyYAML and numpy only; never the web or the database.

- ``actions``: the development-action library as validated data (questionnaires/actions.yaml);
- ``suggestions``: which scales to develop first, with a one-line reason and actions;
- ``goals``: progress towards a measurable target and the on-track rule;
- ``change``: the reliable change index between two assessment cycles.
"""

from coach.coaching.actions import (
    HORIZONS,
    LIBRARY_FILE,
    MAX_STEPS,
    MIN_ACTIONS_PER_SCALE,
    MIN_STEPS,
    Action,
    ActionLibrary,
    ActionLibraryError,
    Direction,
    Indicator,
    build_action_library,
    load_action_library,
    validate_action_library,
)
from coach.coaching.change import (
    DEFAULT_RELIABILITY,
    DEFAULT_SD,
    RCI_CRITICAL,
    Change,
    ChangeKind,
    default_sd,
    reliable_change,
    standard_error_of_measurement,
)
from coach.coaching.goals import (
    AT_RISK_TOLERANCE,
    ON_TRACK_TOLERANCE,
    PROGRESS_CAP,
    CheckIn,
    GoalState,
    GoalStatus,
    expected_progress,
    goal_status,
    progress,
)
from coach.coaching.suggestions import (
    BALANCE_MIN_TILT_FRACTION,
    BALANCE_WEIGHT,
    BLIND_SPOT_WEIGHT,
    LOW_WEIGHT,
    MAX_ACTIONS_PER_SUGGESTION,
    OthersView,
    Suggestion,
    suggest_development,
)

__all__ = [
    "AT_RISK_TOLERANCE",
    "BALANCE_MIN_TILT_FRACTION",
    "BALANCE_WEIGHT",
    "BLIND_SPOT_WEIGHT",
    "DEFAULT_RELIABILITY",
    "DEFAULT_SD",
    "HORIZONS",
    "LIBRARY_FILE",
    "LOW_WEIGHT",
    "MAX_ACTIONS_PER_SUGGESTION",
    "MAX_STEPS",
    "MIN_ACTIONS_PER_SCALE",
    "MIN_STEPS",
    "ON_TRACK_TOLERANCE",
    "PROGRESS_CAP",
    "RCI_CRITICAL",
    "Action",
    "ActionLibrary",
    "ActionLibraryError",
    "Change",
    "ChangeKind",
    "CheckIn",
    "Direction",
    "GoalState",
    "GoalStatus",
    "Indicator",
    "OthersView",
    "Suggestion",
    "build_action_library",
    "default_sd",
    "expected_progress",
    "goal_status",
    "load_action_library",
    "progress",
    "reliable_change",
    "standard_error_of_measurement",
    "suggest_development",
    "validate_action_library",
]
