"""The HR summary tables: kept up to date on every score write, and equal to a rebuild."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import Assessment, FeedbackRound, Role, hr_fact, hr_slice_stats
from coach.models.analytics import QUADRANTS
from coach.scoring.quadrants import Quadrant, quadrant_of
from coach.services.feedback import rounds
from coach.services.hr import archetype_refit
from coach.services.hr import summary as hr_summary
from coach.services.hr.layout import Layout, bin_of, cycle_expr, cycle_label, cycle_of

from hr_builders import (
    answered_round,
    assert_summaries_equal_a_rebuild,
    closed_round,
    person,
    submit,
)


def _at(monkeypatch, module: str, moment: datetime) -> None:
    monkeypatch.setattr(f"coach.services.{module}.utcnow", lambda: moment)


def test_scores_written_by_the_services_update_the_summary_exactly_as_a_rebuild(ctx, monkeypatch):
    people = [
        person(f"p{i}@example.org", f"Acme/{'Ops' if i < 7 else 'Sales'}/Team {i % 2}")
        for i in range(10)
    ]
    for i, someone in enumerate(people):
        _at(
            monkeypatch,
            "assessments.self_assessment",
            datetime(2026, 3 if i % 2 else 9, 10, tzinfo=UTC),
        )
        submit(someone, level=2 + i % 3, tilt=i % 2)
    # a second assessment replaces the person's latest, and adds a cycle
    _at(monkeypatch, "assessments.self_assessment", datetime(2026, 11, 2, tzinfo=UTC))
    submit(people[1], level=4)
    closed_round(people[0], [("manager", 4), ("peer", 3), ("peer", 4), ("peer", 2)])
    closed_round(people[7], [("direct_report", 4), ("direct_report", 3), ("peer", 5)])
    assert db.session.scalar(select(hr_fact.c.person_id).where(hr_fact.c.source == "others"))
    assert_summaries_equal_a_rebuild()


def test_new_assessments_after_a_recluster_are_assigned_and_summarised_like_a_rebuild(ctx):
    people = [person(f"q{i}@example.org", "Acme/Ops") for i in range(8)]
    for i, someone in enumerate(people[:6]):
        submit(someone, level=2 + i % 3, tilt=i % 2)
    archetype_refit.recluster(db.session, default_instrument())
    for someone in people[6:]:
        submit(someone, level=4, tilt=1)
    archetypes = db.session.scalars(
        select(hr_fact.c.archetype).where(hr_fact.c.person_id.in_([p.id for p in people[6:]]))
    ).all()
    assert archetypes and all(archetypes)
    assert_summaries_equal_a_rebuild()


def test_a_round_counts_for_others_only_once_it_closes(ctx):
    subject = person("s@example.org", "Acme")
    submit(subject)
    others = select(hr_fact).where(hr_fact.c.source == "others")
    closed_round(subject, [("manager", 4), ("peer", 3), ("peer", 4), ("peer", 2)])
    facts = {(f.rater_group, f.cycle): f for f in db.session.execute(others)}
    # all others, the manager (exempt from the floor) and the peers (3 reached the floor)
    assert {group for group, _ in facts} == {"*", "manager", "peer"}
    everyone = facts[("*", 0)]
    assert everyone.has_figure == 1 and everyone.responded == 4 and everyone.invited == 4
    assert facts[("peer", 0)].responded == 3


def test_a_rater_group_below_the_floor_gives_no_figure_but_counts_for_participation(ctx):
    subject = person("t@example.org", "Acme")
    closed_round(subject, [("peer", 3), ("peer", 4), ("direct_report", 4), ("direct_report", 2)])
    peers = db.session.execute(
        select(hr_fact).where(hr_fact.c.rater_group == "peer", hr_fact.c.cycle == 0)
    ).one()
    assert peers.has_figure == 0 and peers.s1 is None and peers.invited == 2
    everyone = db.session.execute(
        select(hr_fact).where(hr_fact.c.rater_group == "*", hr_fact.c.cycle == 0)
    ).one()
    assert everyone.has_figure == 1 and everyone.s1 is not None


def test_answers_to_an_open_round_change_nothing_until_it_closes(ctx):
    subject = person("u@example.org", "Acme")
    found = answered_round(subject, [("manager", 4), ("peer", 3)])
    others = select(hr_fact.c.ref_id).where(hr_fact.c.source == "others")
    assert db.session.scalar(others) is None
    rounds.stage_close(db.session, found, "hr")
    db.session.rollback()  # closing rolled back: so is its summary
    assert db.session.scalar(others) is None
    rounds.close_round(db.session, db.session.get(FeedbackRound, found.id), "subject", subject)
    assert db.session.scalar(others) == found.id


@pytest.mark.parametrize(
    ("moment", "code"),
    [
        (datetime(2026, 1, 1, 0, 0, tzinfo=UTC), 20261),
        (datetime(2026, 6, 30, 23, 59, tzinfo=UTC), 20261),
        (datetime(2026, 7, 1, 0, 0, tzinfo=UTC), 20262),
        (datetime(2025, 12, 31, 23, 59, tzinfo=UTC), 20252),
    ],
)
def test_cycles_are_calendar_half_years_in_sql_and_in_python(ctx, moment, code):
    owner = person("c@example.org", None)
    assessment = Assessment(
        owner=owner, instrument_id="x", instrument_version="1", submitted_at=moment
    )
    db.session.add(assessment)
    db.session.flush()
    postgres = db.session.get_bind().dialect.name == "postgresql"
    in_sql = db.session.scalar(
        select(cycle_expr(Assessment.submitted_at, postgres)).where(Assessment.id == assessment.id)
    )
    assert in_sql == cycle_of(moment) == code
    assert cycle_label(code).endswith(str(code // 10))


def test_others_quadrants_and_bins_follow_the_scoring_rules(ctx):
    instrument = default_instrument()
    layout = Layout.of(instrument)
    subject = person("v@example.org", "Acme")
    closed_round(subject, [("manager", 4)])
    fact = db.session.execute(
        select(hr_fact).where(hr_fact.c.rater_group == "*", hr_fact.c.cycle == 0)
    ).one()
    scores = {sid: getattr(fact, f"s{i}") for i, sid in enumerate(layout.scale_ids, start=1)}
    leader = sum(scores[s] for s in layout.leader_ids) / len(layout.leader_ids)
    manager = sum(scores[s] for s in layout.manager_ids) / len(layout.manager_ids)
    assert fact.li == pytest.approx(leader) and fact.mi == pytest.approx(manager)
    assert fact.quadrant == quadrant_of(fact.li, fact.mi, instrument).value
    assert fact.li_bin == bin_of(fact.li, layout)
    assert set(QUADRANTS) == {q.value for q in Quadrant}


def test_forgetting_a_person_takes_them_out_of_every_figure(ctx):
    people = [person(f"w{i}@example.org", "Acme/Ops") for i in range(6)]
    for someone in people:
        submit(someone)
    hr_summary.forget_person(db.session, people[0].id)
    db.session.commit()
    n = db.session.scalar(
        select(hr_slice_stats.c.n).where(
            hr_slice_stats.c.unit_id == 0,
            hr_slice_stats.c.cycle == 0,
            hr_slice_stats.c.source == "self",
        )
    )
    assert n == 5


def test_hr_accounts_count_like_anyone_with_an_assessment(ctx):
    somebody = person("hr@example.org", "Acme", Role.HR)
    submit(somebody)
    assert db.session.scalar(select(hr_fact.c.person_id)) == somebody.id


def test_people_whose_scores_were_written_directly_can_be_brought_in(ctx):
    people = [person(f"x{i}@example.org", "Acme") for i in range(3)]
    for someone in people:
        submit(someone)
    db.session.execute(hr_fact.delete())
    db.session.execute(hr_slice_stats.delete())
    hr_summary.refresh_people(db.session, [p.id for p in people], default_instrument())
    db.session.commit()
    assert_summaries_equal_a_rebuild()
