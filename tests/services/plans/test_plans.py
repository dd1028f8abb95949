"""Plan use cases: suggestions and their reasons, the plan, goals, status, reminders, HR counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coach.extensions import db
from coach.instruments_registry import (
    action_libraries,
    action_library,
    default_instrument,
    instruments,
)
from coach.models import DevelopmentPlan, OrgUnit, OutboxMessage, Role
from coach.scoring.hr_anonymity import HR_MIN_N
from coach.services.accounts import accounts
from coach.services.feedback.report import round_result
from coach.services.hr.plan_counts import plan_aggregates
from coach.services.plans import development_plans as plans
from coach.services.plans import goals as plan_goals
from coach.services.plans.goals import GoalDraft, GoalInvalid
from coach.services.plans.reminders import REMINDER_KIND, queue_checkin_reminders
from coach.services.plans.report import status_of

from plan_helpers import closed_round, submit_assessment, user

TODAY = date.today()
BASE = "http://coach.test"


def _start(email: str) -> plans.PlanStart:
    start = plans.plan_start(db.session, user(email), instruments(), action_libraries())
    assert start is not None
    return start


def _plan(email: str, focus: tuple[str, ...] = ("delegation",)) -> DevelopmentPlan:
    return plans.start_plan(db.session, user(email), _start(email), list(focus))


def _library():  # type: ignore[no-untyped-def]
    return action_library(default_instrument().id)


def _draft(**changes: object) -> GoalDraft:
    fields: dict[str, object] = {
        "title": "Delegate one decision a week",
        "scale_id": "delegation",
        "indicator": "decisions delegated",
        "unit": "decisions",
        "direction": "increase",
        "baseline": 0.0,
        "target": 10.0,
        "start_date": TODAY - timedelta(days=28),
        "due_date": TODAY + timedelta(days=28),
    }
    fields.update(changes)
    return GoalDraft(**fields)  # type: ignore[arg-type]


def _goal(plan: DevelopmentPlan, **changes: object):  # type: ignore[no-untyped-def]
    return plan_goals.add_goal(
        db.session, plan, _draft(**changes), default_instrument(), _library(), TODAY
    )


def test_no_suggestions_before_a_submitted_assessment(ctx, make_user):
    make_user("maya@example.org")
    assert (
        plans.plan_start(db.session, user("maya@example.org"), instruments(), action_libraries())
        is None
    )


def test_a_low_scale_is_suggested_with_a_reason_naming_its_score(ctx, make_user):
    make_user("maya@example.org")
    submit_assessment("maya@example.org", {"delegation": 2})
    start = _start("maya@example.org")
    first = start.suggestions[0]
    assert first.scale_id == "delegation"
    assert first.reason == (
        "Delegation and team coordination: you rate yourself 2.0, "
        "below the 3.5 where a skill counts as strong"
    )
    assert 1 <= len(first.actions) <= 3
    assert all("delegation" in a.scales for a in first.actions)
    assert start.round is None


def test_a_blind_spot_from_the_latest_360_is_suggested_first_and_named(ctx, make_user):
    make_user("maya@example.org")
    submit_assessment("maya@example.org", {"communication": 5, "delegation": 3})
    found = closed_round(
        "maya@example.org", {"peer": {"communication": 2}, "direct_report": {"communication": 2}}
    )
    start = _start("maya@example.org")
    assert start.round is not None and start.round.id == found.id
    first = start.suggestions[0]
    assert first.scale_id == "communication"
    assert first.reason == "Blind spot on Communication: you rate yourself 5.0, others 2.0"
    assert first.blind_spot > 0


def test_others_views_use_all_others_and_flag_only_over_estimation(ctx, make_user):
    make_user("maya@example.org")
    submit_assessment("maya@example.org", {"communication": 5, "vision": 2})
    closed_round(
        "maya@example.org",
        {"peer": {"communication": 2, "vision": 4}, "direct_report": {"communication": 2}},
    )
    found = _start("maya@example.org").round
    assert found is not None
    views = plans.others_views(round_result(db.session, found, default_instrument()))
    assert views["communication"].n == 6 and views["communication"].blind_spot
    assert views["vision"].mean == pytest.approx(4.0) and not views["vision"].blind_spot


def test_a_plan_takes_one_to_three_focus_areas_and_keeps_their_reasons(ctx, make_user):
    make_user("maya@example.org")
    submit_assessment("maya@example.org", {"delegation": 2})
    start = _start("maya@example.org")
    owner = user("maya@example.org")
    with pytest.raises(plans.PlanError, match="at least one"):
        plans.start_plan(db.session, owner, start, [])
    with pytest.raises(plans.PlanError, match="at most 3"):
        plans.start_plan(
            db.session, owner, start, ["vision", "execution", "delegation", "risk-taking"]
        )
    with pytest.raises(plans.PlanError, match="not a scale"):
        plans.start_plan(db.session, owner, start, ["charisma"])
    plan = plans.start_plan(db.session, owner, start, ["delegation", "vision"])
    reasons = {f.scale_id: f.reason for f in plan.focus_areas}
    assert reasons["delegation"].startswith(
        "Delegation and team coordination: you rate yourself 2.0"
    )
    assert reasons["vision"] == "Vision and direction: your own choice"
    assert plan.assessment_id == start.assessment.id and plan.active


def test_a_new_plan_archives_the_old_one_which_stays_readable(ctx, make_user):
    make_user("maya@example.org")
    submit_assessment("maya@example.org", {"delegation": 2})
    first = _plan("maya@example.org")
    submit_assessment("maya@example.org", {"delegation": 3})
    second = _plan("maya@example.org", ("vision",))
    db.session.refresh(first)
    assert not first.active and second.active
    assert second.assessment_id != first.assessment_id
    owner = user("maya@example.org")
    assert plans.active_plan(db.session, owner).id == second.id
    assert plans.readable_plan(db.session, owner, first.public_id) is not None
    with pytest.raises(plans.PlanError, match="archived"):
        _goal(first)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target": 0.0}, "target", "The target must differ from the baseline"),
        ({"target": -2.0}, "target", "must be above the baseline"),
        ({"direction": "decrease"}, "target", "must be below the baseline"),
        ({"due_date": TODAY - timedelta(days=28)}, "due_date", "after the start date"),
        ({"due_date": TODAY - timedelta(days=1)}, "due_date", "has passed"),
        ({"baseline": float("nan")}, "baseline", "as a number"),
        ({"title": "  "}, "title", "Give the goal a title"),
        ({"scale_id": "charisma"}, "scale", "Choose the scale"),
        ({"unit": ""}, "unit", "unit"),
        (
            {"milestones": [("Brief the team", TODAY + timedelta(days=60))]},
            "milestone_1_due",
            "between the start and due dates",
        ),
        ({"milestones": [("", TODAY)]}, "milestone_1_title", "title"),
    ],
)
def test_a_goal_is_refused_with_a_clear_message_per_field(ctx, make_user, changes, field, message):
    make_user("maya@example.org")
    submit_assessment("maya@example.org")
    plan = _plan("maya@example.org")
    with pytest.raises(GoalInvalid) as refused:
        _goal(plan, **changes)
    assert message in refused.value.problems[field]
    assert not plan.goals


def test_a_goal_from_an_action_is_prefilled_with_its_indicator_target_and_horizon(ctx):
    action = _library().for_scale("delegation")[0]
    values = plan_goals.goal_prefill(action, "delegation", TODAY)
    assert values["indicator"] == action.indicator.name
    assert values["direction"] == action.indicator.direction.value
    assert values["target"] == f"{action.indicator.suggested_target:g}"
    assert values["due_date"] == TODAY + timedelta(days=action.horizon_days)
    assert values["action_id"] == action.id and values["scale"] == "delegation"


def test_goal_status_follows_its_check_ins(ctx, make_user):
    make_user("maya@example.org")
    submit_assessment("maya@example.org")
    goal = _goal(_plan("maya@example.org"))  # half the time gone: 50% expected
    assert status_of(goal, TODAY).state.value == "off_track"  # no check-in after 28 days
    steps = [
        (2.0, "off_track"),
        (3.5, "at_risk"),
        (4.0, "on_track"),
        (6.0, "on_track"),
        (10.0, "done"),
    ]
    for n, (value, state) in enumerate(steps):
        plan_goals.record_checkin(db.session, goal, value, TODAY - timedelta(days=5 - n), "", TODAY)
        status = status_of(goal, TODAY)
        assert status.state.value == state, (value, status.explanation)
    assert status.explanation.startswith("Target reached: 10")


def test_a_check_in_must_be_a_number_dated_within_the_goal(ctx, make_user):
    make_user("maya@example.org")
    submit_assessment("maya@example.org")
    goal = _goal(_plan("maya@example.org"))
    with pytest.raises(GoalInvalid, match="future"):
        plan_goals.record_checkin(db.session, goal, 3, TODAY + timedelta(days=2), "", TODAY)
    with pytest.raises(GoalInvalid, match="starts on"):
        plan_goals.record_checkin(db.session, goal, 3, TODAY - timedelta(days=40), "", TODAY)
    with pytest.raises(GoalInvalid, match="number"):
        plan_goals.record_checkin(db.session, goal, float("inf"), TODAY, "", TODAY)
    plan_goals.record_checkin(db.session, goal, 3, TODAY + timedelta(days=1), " ok ", TODAY)
    assert [(c.value, c.note) for c in goal.checkins] == [(3.0, "ok")]


def _people_with_plans(count: int) -> list[str]:
    emails = []
    for n in range(count):
        email = f"person{n}@example.org"
        accounts.create_user(
            db.session,
            accounts.NewAccount(
                email=email, name=f"Person {n}", role=Role.MANAGER, password="correct horse battery"
            ),
        )
        submit_assessment(email)
        emails.append(email)
    return emails


def test_hr_aggregates_count_people_and_goal_states_and_never_carry_text(ctx):
    emails = _people_with_plans(HR_MIN_N)
    for n, email in enumerate(emails):
        goal = _goal(_plan(email), title=f"Secret goal {n}")
        if n < 2:
            plan_goals.record_checkin(db.session, goal, 6, TODAY, "", TODAY)  # on track
        elif n == 2:
            plan_goals.record_checkin(db.session, goal, 10, TODAY, "", TODAY)  # done
        elif n == 3:
            plan_goals.record_checkin(db.session, goal, 1, TODAY, "", TODAY)  # off track
        # the fifth has no check-in after 28 of 56 days: off track
    figures = plan_aggregates(db.session, today=TODAY)
    assert figures["people_with_active_plan"] == 5 and not figures["suppressed"]
    assert figures["goals"] == 5
    assert figures["goals_by_status"] == {
        "not_started": 0,
        "on_track": 2,
        "at_risk": 0,
        "off_track": 2,
        "done": 1,
    }
    assert figures["share_on_track"] == pytest.approx(3 / 5)
    assert "Secret" not in repr(figures)


def test_hr_aggregates_hide_goal_figures_below_five_people_and_ignore_archived_plans(ctx):
    emails = _people_with_plans(HR_MIN_N)
    for email in emails:
        _goal(_plan(email))
    plans.archive_plan(db.session, plans.active_plan(db.session, user(emails[0])))
    figures = plan_aggregates(db.session, today=TODAY)
    assert figures["people_with_active_plan"] == 4
    assert figures["suppressed"] is True
    assert figures["goals_by_status"] is None and figures["share_on_track"] is None


def test_hr_aggregates_for_a_unit_count_only_people_in_and_below_it(ctx):
    emails = _people_with_plans(6)
    top = OrgUnit(name="Acme")
    db.session.add(top)
    db.session.flush()
    top.tree_path = f"/{top.id}/"
    team = OrgUnit(name="Ops", parent=top)
    other = OrgUnit(name="Sales", parent=top)
    db.session.add_all([team, other])
    db.session.flush()
    team.tree_path, other.tree_path = f"/{top.id}/{team.id}/", f"/{top.id}/{other.id}/"
    for n, email in enumerate(emails):
        user(email).unit_id = team.id if n < 5 else other.id
        _goal(_plan(email))
    db.session.commit()
    assert plan_aggregates(db.session, team, TODAY)["people_with_active_plan"] == 5
    assert plan_aggregates(db.session, top, TODAY)["people_with_active_plan"] == 6
    assert plan_aggregates(db.session, other, TODAY)["suppressed"] is True


def _reminders() -> int:
    return db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == REMINDER_KIND)
    )


def test_reminders_go_only_to_those_who_opted_in_and_at_most_weekly(ctx, make_user):
    make_user("maya@example.org")
    make_user("sam@example.org", name="Sam Quiet")
    for email in ("maya@example.org", "sam@example.org"):
        submit_assessment(email)
        _goal(_plan(email))  # started 28 days ago, no check-in: due
    plans.set_reminders(db.session, plans.active_plan(db.session, user("maya@example.org")), True)
    assert queue_checkin_reminders(db.session, TODAY, BASE) == 1
    assert queue_checkin_reminders(db.session, TODAY, BASE) == 0  # idempotent the same day
    assert queue_checkin_reminders(db.session, TODAY + timedelta(days=3), BASE) == 0
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == REMINDER_KIND))
    assert message.to_address == "maya@example.org"
    assert "Delegate one decision a week" in message.body and message.link == f"{BASE}/plans/"
    assert _reminders() == 1


def test_no_reminder_after_a_recent_check_in_or_for_a_done_goal(ctx, make_user):
    make_user("maya@example.org")
    submit_assessment("maya@example.org")
    plan = _plan("maya@example.org")
    plans.set_reminders(db.session, plan, True)
    goal = _goal(plan)
    plan_goals.record_checkin(db.session, goal, 2, TODAY - timedelta(days=13), "", TODAY)
    assert queue_checkin_reminders(db.session, TODAY, BASE) == 0
    assert queue_checkin_reminders(db.session, TODAY + timedelta(days=1), BASE) == 1
    plan_goals.set_goal_done(db.session, goal, True)
    assert queue_checkin_reminders(db.session, TODAY + timedelta(days=9), BASE) == 0
