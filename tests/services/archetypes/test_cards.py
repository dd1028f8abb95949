"""Reclustering: versioned runs, everyone assigned, stable names; the cards and the report."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from coach.analytics.assignment import assign
from coach.extensions import db
from coach.instruments_registry import action_library, default_instrument
from coach.models import ArchetypeAssignment, ArchetypeRun, Assessment, User
from coach.services.archetypes import assignment as archetype_assignment
from coach.services.archetypes import cards as archetype_cards
from coach.services.hr import archetype_refit

from hr_builders import person, submit, synthetic_org


def test_below_the_minimum_population_the_theory_prototypes_are_stored_and_assigned(ctx):
    people = [person(f"a{i}@example.org", "Acme") for i in range(6)]
    for i, someone in enumerate(people):
        submit(someone, level=2 + i % 3, tilt=(i % 3) - 1)
    result = archetype_refit.recluster(db.session, default_instrument())
    run = db.session.scalar(select(ArchetypeRun))
    assert run.kind == "prototypes" and run.version == 1 and run.structure == "not_fitted"
    assert json.loads(run.parameters_json)["min_population"] == 500
    assert set(json.loads(run.members_json)) == set(result.model.keys)
    assert db.session.scalar(select(func.count()).select_from(ArchetypeAssignment)) == 6
    assert result.assigned == 6


def test_a_refit_is_a_new_version_with_the_same_names_for_the_same_clusters(ctx):
    synthetic_org(260, seed=7)
    instrument = default_instrument()
    first = archetype_refit.recluster(db.session, instrument, min_population=100, seed=1)
    second = archetype_refit.recluster(db.session, instrument, min_population=100, seed=2)
    assert first.model.kind != "prototypes"
    assert (first.run.version, second.run.version) == (1, 2)
    assert second.model.version == 2
    assert dict(zip(first.model.keys, first.model.names, strict=True)) == dict(
        zip(second.model.keys, second.model.names, strict=True)
    )
    assigned = db.session.scalars(select(ArchetypeAssignment.run_id).distinct()).all()
    assert assigned == [second.run.id]
    total = db.session.scalar(select(func.count()).select_from(ArchetypeAssignment))
    assert total == second.model.n_profiles + second.model.n_excluded == 260


def test_a_new_assessment_is_assigned_to_the_current_model_without_a_refit(ctx):
    people = [person(f"n{i}@example.org", "Acme") for i in range(5)]
    for someone in people[:4]:
        submit(someone, level=3)
    archetype_refit.recluster(db.session, default_instrument())
    runs = db.session.scalar(select(func.count()).select_from(ArchetypeRun))
    submit(people[4], level=5, tilt=3)
    assert db.session.scalar(select(func.count()).select_from(ArchetypeRun)) == runs
    found = db.session.scalar(
        select(ArchetypeAssignment).where(ArchetypeAssignment.person_id == people[4].id)
    )
    assessment = db.session.scalar(select(Assessment).where(Assessment.owner_id == people[4].id))
    model = archetype_assignment.model_of(
        archetype_assignment.current_run(db.session, "leader-manager")
    )
    index, distance = assign(model, archetype_assignment.scores_of(db.session, assessment.id))
    assert found.archetype == model.keys[index] == "leader_leaning"
    assert found.distance == distance


def test_archetype_for_assessment_tells_the_person_their_archetype_and_how_close(ctx):
    owner = person("me@example.org", "Acme")
    submit(owner, level=2, tilt=-2)
    assessment = db.session.scalar(select(Assessment))
    assert archetype_assignment.archetype_for_assessment(db.session, assessment) is None
    archetype_refit.recluster(db.session, default_instrument())
    mine = archetype_assignment.archetype_for_assessment(db.session, assessment)
    assert mine is not None
    assert mine["key"] == "manager_leaning"
    assert mine["name"] == "Managing above the midpoint, leading below"  # one profile: no average
    assert mine["closeness"] in ("close", "typical", "edge") and mine["closeness_text"]
    assert "do not type people" in mine["note"]
    assert mine["structure"] == "not_fitted"


def test_the_cards_state_the_quality_and_leave_out_small_sizes(ctx):
    people = [person(f"c{i}@example.org", "Acme") for i in range(7)]
    for i, someone in enumerate(people):
        submit(someone, level=4 if i < 6 else 2, tilt=0)
    archetype_refit.recluster(db.session, default_instrument())
    cards = archetype_cards.archetype_cards(
        db.session, default_instrument(), action_library(default_instrument().id)
    )
    assert cards["available"] and "do not type people" in cards["note"]
    assert cards["quality"]["weak"] and "theory" in cards["quality"]["structure_text"]
    sizes = {c["key"]: c.get("size") for c in cards["cards"]}
    assert all(size is None or size >= 5 for size in sizes.values())
    assert "size" not in next(c for c in cards["cards"] if c["key"] == "developing")
    assert all(len(c["centroid"]) == 18 and c["actions"] for c in cards["cards"])


def test_a_fitted_model_with_weak_structure_says_so(ctx):
    synthetic_org(150, seed=9)
    instrument = default_instrument()
    archetype_refit.recluster(db.session, instrument, min_population=100)
    cards = archetype_cards.archetype_cards(db.session, instrument, action_library(instrument.id))
    quality = cards["quality"]
    assert quality["silhouette"] is not None and quality["candidates"]
    if quality["structure"] == "weak":
        assert quality["weak"] and quality["structure_text"].startswith("Weak structure")
    people = db.session.scalar(select(func.count()).select_from(User))
    assert cards["people"] == people
