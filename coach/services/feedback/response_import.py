"""Importing historical or externally collected responses from CSV, all or nothing.

One row per respondent and rater group: ``email`` (the person rated), ``rater_group``
(self, manager, peer, direct_report or other), an optional ``date`` (YYYY-MM-DD) and one
column per item id of the instrument. An empty cell is unanswered; NA is "not able to
observe". Self rows become submitted self-assessments; the other rows of one person become
one closed 360 round, scored under the same rules as answers given in the app.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from coach.instrument import Instrument
from coach.models import Answer, Assessment, FeedbackRound, RoundState, User
from coach.scoring.anonymity import anonymity_floor
from coach.services.assessments.self_assessment import lock_and_score
from coach.services.csv_files import Outcome, Problem, read_csv
from coach.services.feedback import variance_pool
from coach.services.feedback.rater_path import stage_imported_response
from coach.services.hr import summary as hr_summary
from coach.services.records import audit

GROUPS = ("self", "manager", "peer", "direct_report", "other")
NOT_OBSERVED = {"na", "n/a"}


@dataclass(frozen=True)
class ResponseRow:
    """One valid row."""

    row: int
    email: str
    group: str
    when: date | None
    answers: dict[str, int | None]


@dataclass
class ResponseImportSummary(Outcome):
    """What an import did, or every reason it did nothing."""

    assessments: int = 0
    rounds: int = 0
    responses: int = 0

    def done(self) -> str:
        """How many assessments, rounds and responses were stored."""
        return (
            f"Imported {self.assessments} self-assessments and {self.responses} rater "
            f"responses in {self.rounds} closed rounds."
        )


def _header_problems(header: list[str], instrument: Instrument) -> list[Problem]:
    problems = [
        Problem(1, c, "missing column") for c in ("email", "rater_group") if c not in header
    ]
    known = {i.id for i in instrument.items} | {"email", "rater_group", "date"}
    problems += [Problem(1, c, f"not an item of {instrument.id}") for c in header if c not in known]
    if not any(c in {i.id for i in instrument.items} for c in header):
        problems.append(Problem(1, "-", f"no item columns of {instrument.id}"))
    return problems


def _value(raw: str, instrument: Instrument) -> int | str | None:
    """The answer, or a reason (a str) why the cell is not one."""
    text = raw.strip()
    if text.lower() in NOT_OBSERVED:
        return None
    try:
        value = int(text)
    except ValueError:
        return f"{text!r} is not a whole number or NA"
    if value not in instrument.valid_values:
        return f"{value} is outside {instrument.scale_min}..{instrument.scale_max}"
    return value


def _parse_row(
    number: int,
    raw: dict[str, str],
    instrument: Instrument,
    people: set[str],
    problems: list[Problem],
) -> ResponseRow | None:
    before = len(problems)
    email = (raw.get("email") or "").strip().lower()
    if email not in people:
        problems.append(
            Problem(number, "email", f"no one in the directory has the e-mail {email!r}")
        )
    group = (raw.get("rater_group") or "").strip().lower()
    if group not in GROUPS:
        problems.append(Problem(number, "rater_group", f"unknown rater group {group!r}"))
    when = None
    if text := (raw.get("date") or "").strip():
        try:
            when = date.fromisoformat(text)
        except ValueError:
            problems.append(Problem(number, "date", f"{text!r} is not a date like 2025-03-31"))
    answers: dict[str, int | None] = {}
    for item in instrument.items:
        cell = raw.get(item.id) or ""
        if not cell.strip():
            continue
        value = _value(cell, instrument)
        if isinstance(value, str):
            problems.append(Problem(number, item.id, value))
        else:
            answers[item.id] = value
    if not any(v is not None for v in answers.values()):
        problems.append(Problem(number, "-", "the row has no answers"))
    return ResponseRow(number, email, group, when, answers) if len(problems) == before else None


def parse_responses_csv(
    data: bytes, instrument: Instrument, people: set[str]
) -> tuple[list[ResponseRow], list[Problem]]:
    """Check every row; returns the rows, or every problem found."""
    problems: list[Problem] = []
    table = read_csv(data, lambda column: column, problems)
    if table is None:
        return [], problems
    if header_problems := _header_problems(table.header, instrument):
        return [], header_problems
    rows = [
        row
        for number, raw in table.rows
        if (row := _parse_row(number, raw, instrument, people, problems)) is not None
    ]
    return rows, problems


def import_responses(
    session: Session,
    instrument: Instrument,
    data: bytes,
    actor: User | None = None,
    *,
    min_group_n: int | None = None,
) -> ResponseImportSummary:
    """Validate the whole file, then store every row in one transaction.

    Each imported round keeps the configured anonymity floor (never below the minimum), as
    a round opened in the app does.
    """
    floor = anonymity_floor(min_group_n)
    people = {u.email: u for u in session.scalars(select(User))}
    rows, problems = parse_responses_csv(data, instrument, set(people))
    if problems:
        return ResponseImportSummary(problems=problems)
    summary = ResponseImportSummary()
    rated: dict[str, list[ResponseRow]] = defaultdict(list)
    for row in rows:
        if row.group == "self":
            _stage_assessment(session, instrument, people[row.email], row)
            summary.assessments += 1
        else:
            rated[row.email].append(row)
    round_ids = []
    for email, ratings in rated.items():
        round_ids.append(_stage_round(session, instrument, people[email], ratings, floor))
        summary.rounds += 1
        summary.responses += len(ratings)
    variance_pool.add_rounds(session, round_ids)
    hr_summary.refresh_people(session, {people[row.email].id for row in rows}, instrument)
    audit.record(session, audit.Event.PEOPLE_IMPORTED, actor, instrument.id, summary.lines()[0])
    session.commit()
    return summary


def _moment(when: date | None) -> datetime:
    return datetime.combine(when, datetime.min.time(), tzinfo=UTC) if when else datetime.now(UTC)


def _stage_assessment(
    session: Session, instrument: Instrument, owner: User, row: ResponseRow
) -> None:
    moment = _moment(row.when)
    assessment = Assessment(
        owner=owner,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        current_page=len(instrument.pages),
        started_at=moment,
        updated_at=moment,
    )
    assessment.answers = [Answer(item_id=k, value=v) for k, v in row.answers.items()]
    session.add(assessment)
    session.flush()
    lock_and_score(session, assessment, instrument, require_complete=False)
    assessment.submitted_at = moment


def _stage_round(
    session: Session,
    instrument: Instrument,
    subject: User,
    ratings: list[ResponseRow],
    floor: int,
) -> int:
    moment = max(_moment(r.when) for r in ratings)
    feedback_round = FeedbackRound(
        subject=subject,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        state=RoundState.CLOSED.value,
        min_group_n=floor,
        deadline=moment,
        opened_at=moment,
        closed_at=moment,
        closed_by="import",
    )
    session.add(feedback_round)
    session.flush()
    for rating in ratings:
        stage_imported_response(session, feedback_round, instrument, rating.group, rating.answers)
    return feedback_round.id
