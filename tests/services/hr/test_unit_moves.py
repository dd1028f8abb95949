"""People moving between units: the HR figures follow them in the same transaction."""

from __future__ import annotations

from sqlalchemy import event, select

from coach.extensions import db
from coach.instruments_registry import default_instrument
from coach.models import OrgUnit, Role, User, hr_fact, hr_slice_stats
from coach.models.analytics import ANY
from coach.services.hr import archetype_refit
from coach.services.hr import moves as hr_moves
from coach.services.people import directory, org_import, person_edits

from hr_builders import (
    STATS_KEY,
    assert_summaries_equal_a_rebuild,
    closed_round,
    person,
    statements_sent,
    submit,
    summary_rows,
)

HEADER = "email,name,unit,manager_email,role\n"


def _org(moved_to: str = "Acme/A") -> str:
    """Six people in Acme/A and six in Acme/B; ``a0`` sits in ``moved_to``."""
    rows = [f"a0@acme.test,A Zero,{moved_to},,manager"]
    rows += [f"a{i}@acme.test,A {i},Acme/A,,manager" for i in range(1, 6)]
    rows += [f"b{i}@acme.test,B {i},Acme/B,,manager" for i in range(6)]
    return HEADER + "\n".join(rows) + "\n"


def _import(text: str) -> org_import.ImportSummary:
    summary = org_import.import_people(db.session, text.encode(), base_url="http://coach.test")
    assert summary.ok, summary.problems
    return summary


def _everyone_assessed() -> None:
    for user in db.session.scalars(select(User).order_by(User.id)).all():
        submit(user, level=2 + user.id % 3, tilt=user.id % 2)


def _unit(path: str) -> int:
    units = directory.units_by_path(db.session)
    return units[path.lower()].id


def _user(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email))
    assert found is not None
    return found


def _self_count(unit_id: int) -> int:
    """Rated people in a unit and below (self source, everyone's latest, any archetype)."""
    s = hr_slice_stats.c
    n = db.session.scalar(
        select(s.n).where(
            s.unit_id == unit_id,
            s.cycle == 0,
            s.source == "self",
            s.rater_group == ANY,
            s.archetype == ANY,
        )
    )
    return n or 0


def test_a_person_moved_by_import_counts_under_the_new_unit_and_no_longer_the_old(ctx):
    _import(_org())
    _everyone_assessed()
    mover = _user("a0@acme.test")
    closed_round(mover, [("manager", 4), ("peer", 3), ("peer", 4), ("peer", 2)])
    unit_a, unit_b = _unit("Acme/A"), _unit("Acme/B")
    assert (_self_count(unit_a), _self_count(unit_b)) == (6, 6)

    commits: list[int] = []
    event.listen(db.session(), "after_commit", lambda _session: commits.append(1))
    summary = _import(_org(moved_to="Acme/B"))
    assert summary.changed == ["a0@acme.test"] and len(commits) == 1

    facts = select(hr_fact.c.unit_id).where(hr_fact.c.person_id == mover.id)
    units = set(db.session.scalars(facts))
    assert units == {unit_b}, "every fact, self and others, is under the new unit"
    assert (_self_count(unit_a), _self_count(unit_b), _self_count(_unit("Acme"))) == (5, 7, 12)
    others_in_a = select(hr_slice_stats.c.n).where(
        hr_slice_stats.c.unit_id == unit_a, hr_slice_stats.c.source == "others"
    )
    assert db.session.scalar(others_in_a) is None, "the 360 figures left unit A with them"
    assert_summaries_equal_a_rebuild()


def test_moving_to_a_new_unit_elsewhere_follows_archetypes_and_the_whole_tree(ctx):
    _import(_org())
    _everyone_assessed()
    archetype_refit.recluster(db.session, default_instrument())
    _import(_org(moved_to="Globex/Research"))
    research, acme = _unit("Globex/Research"), _unit("Acme")
    assert (_self_count(research), _self_count(_unit("Globex")), _self_count(acme)) == (1, 1, 11)
    assert _self_count(0) == 12
    archetype = db.session.scalar(
        select(hr_fact.c.archetype).where(hr_fact.c.person_id == _user("a0@acme.test").id)
    )
    by_archetype = db.session.scalar(
        select(hr_slice_stats.c.n).where(
            hr_slice_stats.c.unit_id == research,
            hr_slice_stats.c.source == "self",
            hr_slice_stats.c.cycle == 0,
            hr_slice_stats.c.archetype == archetype,
        )
    )
    assert archetype and by_archetype == 1
    assert_summaries_equal_a_rebuild()


def test_a_directory_edit_that_moves_a_person_moves_their_figures(ctx):
    people = [person(f"d{i}@example.org", "Acme/A" if i < 3 else "Acme/B") for i in range(6)]
    for someone in people:
        submit(someone)
    change = person_edits.PersonChange(
        name=people[0].name,
        email=people[0].email,
        role=Role.MANAGER,
        unit_path="Acme/B",
        manager_email="",
    )
    person_edits.update_person(db.session, people[0], change)
    assert (_self_count(_unit("Acme/A")), _self_count(_unit("Acme/B"))) == (2, 4)
    assert_summaries_equal_a_rebuild()


def test_a_person_taken_out_of_every_unit_counts_only_for_the_organisation(ctx):
    people = [person(f"e{i}@example.org", "Acme/A") for i in range(3)]
    for someone in people:
        submit(someone)
    change = person_edits.PersonChange(people[0].name, people[0].email, Role.MANAGER, "", "")
    person_edits.update_person(db.session, people[0], change)
    assert (_self_count(_unit("Acme/A")), _self_count(_unit("Acme")), _self_count(0)) == (2, 2, 3)
    assert_summaries_equal_a_rebuild()


def _move_and_count(moving: int) -> int:
    """Statements run to follow ``moving`` people from Acme/A to Acme/B."""
    target = db.session.get(OrgUnit, _unit("Acme/B"))
    for user in db.session.scalars(
        select(User).where(User.email.like("a%")).order_by(User.id).limit(moving)
    ):
        user.unit = target
    db.session.flush()
    with statements_sent() as statements:
        hr_moves.record_unit_moves(db.session)
    db.session.commit()
    return len(statements)


def test_following_one_move_or_five_runs_the_same_statements(ctx):
    _import(_org())
    _everyone_assessed()
    one = _move_and_count(1)
    five = _move_and_count(5)  # the first mover is already in B: four more move now
    assert one == five
    assert (_self_count(_unit("Acme/A")), _self_count(_unit("Acme/B"))) == (1, 11)
    assert_summaries_equal_a_rebuild()


def test_an_import_that_moves_nobody_leaves_the_figures_alone(ctx):
    _import(_org())
    _everyone_assessed()
    before = summary_rows(hr_slice_stats, STATS_KEY)
    renamed = _org().replace("A Zero", "Alex Zero")
    with statements_sent() as statements:
        assert _import(renamed).changed == ["a0@acme.test"]
    assert not any("hr_slice_stats" in s for s in statements)
    assert summary_rows(hr_slice_stats, STATS_KEY) == before
