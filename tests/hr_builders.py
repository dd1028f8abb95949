"""Building HR data in tests: people in units, self-assessments and closed 360 rounds.

Everything goes through the services the pages use (so the summary hooks run), except
``synthetic_org``, which uses the bulk seeder and then rebuilds the summaries. The last
helpers use HR's pages as HR does: sign in, upload an org chart or responses, save a person.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import event, select

from coach.extensions import db
from coach.instruments_registry import default_instrument, instruments
from coach.models import FeedbackRound, OutboxMessage, Role, User, hr_fact, hr_slice_stats
from coach.services.accounts import accounts
from coach.services.assessments import self_assessment
from coach.services.demo.synthetic import seed_synthetic
from coach.services.feedback import rater_path, rounds
from coach.services.hr.summary import rebuild_summaries
from coach.services.people import directory

from conftest import Auth, csrf_from

BASE = "http://coach.test"
NEW_PERSON = "/directory/people/new"
STATS_KEY = ("unit_id", "instrument_id", "cycle", "source", "rater_group", "archetype")
FACT_KEY = ("person_id", "instrument_id", "cycle", "source", "rater_group")


def person(email: str, unit_path: str | None, role: Role = Role.MANAGER) -> User:
    """A person in a unit (created with its parents), committed."""
    unit = directory.ensure_unit(db.session, unit_path) if unit_path else None
    user = accounts.create_user(
        db.session,
        accounts.NewAccount(email=email, name=email.split("@")[0].title(), role=role, unit=unit),
    )
    return user


@contextmanager
def statements_sent() -> Iterator[list[str]]:
    """Every SQL statement the application's engine sends while the block runs."""
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def answers_for(level: int, tilt: int = 0) -> dict[str, int | None]:
    """Every item answered: ``level`` on leader poles' items, ``level - tilt`` elsewhere."""
    instrument = default_instrument()
    leader = {d.leader_scale for d in instrument.dimensions}
    out: dict[str, int | None] = {}
    for n, item in enumerate(instrument.items):
        value = level if item.scale in leader else level - tilt
        value = max(1, min(5, value + (n % 3) - 1))
        out[item.id] = value if item.key > 0 else 6 - value
    return out


def submit(user: User, level: int = 3, tilt: int = 0, blank: str | None = None) -> None:
    """A submitted self-assessment for ``user`` (``blank``: a scale answered "not observed")."""
    instrument = default_instrument()
    assessment = self_assessment.start_assessment(db.session, user, instrument)
    answers = answers_for(level, tilt)
    for item in instrument.items_of(blank) if blank else ():
        answers[item.id] = None
    for index, page in enumerate(instrument.pages):
        chunk = {item.id: answers[item.id] for item in instrument.items_on(page)}
        self_assessment.save_page(db.session, assessment, instrument, index, chunk, index + 1)
    self_assessment.submit_assessment(db.session, assessment, instrument)


def answered_round(subject: User, ratings: Sequence[tuple[str, int]]) -> FeedbackRound:
    """An open 360 round for ``subject``: one rater per (relationship, level), all answered."""
    instrument = default_instrument()
    found = rounds.start_round(db.session, subject, instrument, rounds.default_deadline())
    raters = [
        (f"Rater {n}", f"r{n}.{subject.id}@example.org", relationship)
        for n, (relationship, _) in enumerate(ratings)
    ]
    rounds.nominate(db.session, found, raters, BASE, trusted=True)  # made-up raters
    rounds.open_round(db.session, found, BASE, 3)
    links = {
        m.to_address: m.link.rsplit("/", 1)[1]
        for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    }
    for n, (_, level) in enumerate(ratings):
        invitation = rater_path.invitation_for_token(
            db.session, links[f"r{n}.{subject.id}@example.org"]
        )
        answers = answers_for(level)
        rater_path.save_draft(
            db.session, invitation, instrument, answers, {}, len(instrument.pages)
        )
        rater_path.submit(db.session, invitation, instrument)
    return found


def closed_round(subject: User, ratings: Sequence[tuple[str, int]]) -> None:
    """``answered_round``, then closed by its subject."""
    found = answered_round(subject, ratings)
    rounds.close_round(db.session, found, "subject", subject)


def synthetic_org(people: int, seed: int = 1) -> None:
    """A synthetic organisation of ``people`` with closed rounds, summaries rebuilt."""
    seed_synthetic(db.session, default_instrument(), people, seed)
    rebuild_summaries(db.session, instruments(), every_instrument=True)


def summary_rows(table, key_columns):  # type: ignore[no-untyped-def]
    rows = db.session.execute(select(table)).mappings().all()
    return {tuple(r[c] for c in key_columns): dict(r) for r in rows}


def _same(a: dict, b: dict) -> bool:
    for key in a.keys() | b.keys():
        x, y = a.get(key), b.get(key)
        if isinstance(x, float) or isinstance(y, float):
            if not math.isclose(x or 0.0, y or 0.0, rel_tol=1e-9, abs_tol=1e-9):
                return False
        elif x != y:
            return False
    return True


def assert_summaries_equal_a_rebuild() -> None:
    """The summary tables as kept up to date equal a rebuild from scratch (which it leaves)."""
    kept = (summary_rows(hr_slice_stats, STATS_KEY), summary_rows(hr_fact, FACT_KEY))
    rebuild_summaries(db.session, instruments(), every_instrument=True)
    rebuilt = (summary_rows(hr_slice_stats, STATS_KEY), summary_rows(hr_fact, FACT_KEY))
    for before, fresh in zip(kept, rebuilt, strict=True):
        assert before.keys() == fresh.keys()
        different = [k for k in before if not _same(before[k], fresh[k])]
        assert not different, different[:3]


def sign_in_hr(auth: Auth, make_user) -> None:  # type: ignore[no-untyped-def]
    """Sign in as Helena Brandt of HR (hr@example.org)."""
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena Brandt"))


def upload_org_chart(auth: Auth, text: str, **extra: str):  # type: ignore[no-untyped-def]
    """Upload ``text`` as the org-chart CSV file; the page's answer."""
    page = auth.client.get("/directory/import")
    data = {
        "csrf_token": csrf_from(page.text),
        "file": (io.BytesIO(text.encode()), "org.csv"),
        **extra,
    }
    return auth.client.post("/directory/import", data=data, content_type="multipart/form-data")


def save_person(  # type: ignore[no-untyped-def]
    auth: Auth,
    url: str,
    name: str,
    email: str,
    role: str = "manager",
    unit: str = "",
    manager_email: str = "",
    **more: str,
):
    """Fill in and post the person form at ``url`` (NEW_PERSON, or a person's page)."""
    page = auth.client.get(url)
    data = {"name": name, "email": email, "role": role, "unit": unit}
    data |= {"manager_email": manager_email, **more, "csrf_token": csrf_from(page.text)}
    return auth.client.post(url, data=data)


def upload_responses(auth: Auth, make_user, upload: bytes):  # type: ignore[no-untyped-def]
    """Sign in as HR and upload ``upload`` as responses to the leader-manager instrument."""
    auth.sign_in(make_user("hr@example.org", role="hr", name="Helena"))
    page = auth.client.get("/hr/import-responses")
    data = {
        "csrf_token": csrf_from(page.text),
        "instrument": "leader-manager",
        "file": (io.BytesIO(upload), "r.csv"),
    }
    return auth.client.post("/hr/import-responses", data=data, content_type="multipart/form-data")
