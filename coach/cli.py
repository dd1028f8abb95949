"""Flask commands (the demo's are in cli_demo.py); validate-questionnaires is a plugin."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from coach import cli_demo, cli_units, mail
from coach.coaching.actions import LIBRARY_FILE, validate_action_library
from coach.config import Settings
from coach.extensions import db
from coach.instrument import load_instruments, validate_directory
from coach.instruments_registry import action_library, default_instrument, instruments
from coach.models import Role
from coach.services.accounts import accounts
from coach.services.people import org_import
from coach.services.plans.reminders import queue_checkin_reminders


@click.command("validate-questionnaires")
@click.option("--path", type=click.Path(path_type=Path), help="Folder of instrument files.")
def validate_questionnaires(path: Path | None) -> None:
    """Check every instrument file; print each problem and exit non-zero if there is one.

    Registered as a plugin command so it runs even when a bad file stops the app loading.
    """
    settings = Settings.from_env()
    folder = path or settings.questionnaires_dir
    problems = validate_directory(folder)
    library = folder / LIBRARY_FILE
    if not problems and library.exists():
        instrument = load_instruments(folder).get(settings.default_instrument)
        if instrument is None:
            wanted = settings.default_instrument
            problems = [f"{LIBRARY_FILE}: no {wanted!r} instrument to check it against"]
        else:
            problems = validate_action_library(library, instrument)
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"{len(problems)} problem(s) in {folder}", err=True)
        sys.exit(1)
    click.echo(f"All instruments in {folder} are valid, and so is the action library.")


def register(app: Flask) -> None:
    """Attach the app-bound commands."""
    app.cli.add_command(create_user)
    cli_demo.register(app)
    cli_units.register(app)
    app.cli.add_command(import_people)
    app.cli.add_command(send_mail)
    app.cli.add_command(seed_synthetic)
    app.cli.add_command(import_responses)
    app.cli.add_command(erase_person)
    app.cli.add_command(send_checkin_reminders)
    app.cli.add_command(recluster)
    app.cli.add_command(quality_command)
    app.cli.add_command(rebuild_hr_summaries)
    app.cli.add_command(export_org)
    app.cli.add_command(unlock_account)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MANAGER.value)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, name: str, role: str, password_stdin: bool) -> None:
    """Create an account; the password is prompted for unless --password-stdin is given."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(
            db.session,
            accounts.NewAccount(email=email, name=name, role=Role(role), password=password),
        )
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} account for {user.email}.")


@click.command("import-people")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--deactivate-missing",
    is_flag=True,
    help="The file is the whole organisation: deactivate people who are not in it.",
)
@with_appcontext
def import_people(csv_file: Path, deactivate_missing: bool) -> None:
    """Import the org chart from a CSV file (email,name,unit,manager_email,role)."""
    summary = org_import.import_people(
        db.session,
        csv_file.read_bytes(),
        base_url=current_app.config["COACH"].base_url,
        deactivate_missing=deactivate_missing,
    )
    for line in summary.lines():
        click.echo(line, err=not summary.ok)
    if not summary.ok:
        sys.exit(1)


@click.command("send-mail")
@with_appcontext
def send_mail() -> None:
    """Deliver every due message in the outbox over SMTP, with retries for failures."""
    settings = current_app.config["COACH"]
    if not mail.smtp_configured(settings):
        raise click.ClickException("COACH_SMTP_HOST is not set: messages stay in the outbox.")
    report = mail.deliver_due(db.session, settings)
    click.echo(
        f"Delivered {report.delivered}, will retry {report.retried}, gave up on {report.failed}."
    )


@click.command("send-checkin-reminders")
@with_appcontext
def send_checkin_reminders() -> None:
    """Queue e-mail reminders for goals with no check-in for two weeks (opted-in plans only)."""
    queued = queue_checkin_reminders(db.session, date.today(), current_app.config["COACH"].base_url)
    click.echo(f"Queued {queued} check-in reminder{'' if queued == 1 else 's'}.")


@click.command("seed-synthetic")
@click.option("--people", type=click.IntRange(10, 2_000_000), required=True)
@click.option("--seed", default=1, show_default=True, help="Random seed.")
@with_appcontext
def seed_synthetic(people: int, seed: int) -> None:
    """Build a synthetic organisation of PEOPLE with assessments and 360 rounds."""
    from coach.services.demo import synthetic
    from coach.services.hr.summary import rebuild_summaries

    started = time.perf_counter()
    summary = synthetic.seed_synthetic(
        db.session, default_instrument(), people, seed, progress=lambda m: click.echo(f"  {m}")
    )
    click.echo("  rebuilding the HR summary tables")
    rebuild_summaries(db.session, instruments(), every_instrument=True)
    click.echo(
        f"Seeded {summary.people} people in {summary.units} units, {summary.assessments} "
        f"assessments, {summary.rounds} rounds, {summary.responses} responses "
        f"in {time.perf_counter() - started:.1f} s."
    )


@click.command("import-responses")
@click.argument("instrument_id")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_responses(instrument_id: str, csv_file: Path) -> None:
    """Import responses for INSTRUMENT_ID (email, rater_group, date, one column per item)."""
    from coach.services.feedback import response_import

    instrument = instruments().get(instrument_id)
    if instrument is None:
        raise click.ClickException(f"No instrument {instrument_id!r}; see validate-questionnaires.")
    summary = response_import.import_responses(
        db.session,
        instrument,
        csv_file.read_bytes(),
        min_group_n=current_app.config["COACH"].min_group_n,
    )
    for line in summary.lines():
        click.echo(line, err=not summary.ok)
    if not summary.ok:
        sys.exit(1)


@click.command("erase-person")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def erase_person(email: str, yes: bool) -> None:
    """Remove EMAIL's personal rows; anonymous responses and aggregates stay."""
    from coach.services.people import personal_data

    person = accounts.find_by_email(db.session, email)
    if person is None:
        raise click.ClickException(f"No one has the e-mail {email}.")
    if not yes:
        click.confirm(f"Erase {person.name} <{person.email}> for good?", abort=True)
    done = personal_data.erase_person(db.session, person)
    click.echo(
        f"Erased: {done.assessments} assessments, {done.rounds} feedback rounds, {done.plans} "
        f"plans; their address removed from {done.invitations_anonymised} invitations."
    )


def _instrument_named(instrument_id: str | None):  # type: ignore[no-untyped-def]
    if instrument_id is None:
        return default_instrument()
    found = instruments().get(instrument_id)
    if found is None:
        raise click.ClickException(f"No instrument {instrument_id!r}; see validate-questionnaires.")
    return found


def _progress(started: float):  # type: ignore[no-untyped-def]
    return lambda message: click.echo(f"  [{time.perf_counter() - started:6.1f} s] {message}")


@click.command("recluster")
@click.option("--instrument", "instrument_id", help="Instrument id (default: the default one).")
@click.option("--seed", default=0, show_default=True, help="Random seed of the fit.")
@click.option(
    "--min-population",
    default=500,
    show_default=True,
    help="Below this many complete profiles, use the four theory archetypes.",
)
@with_appcontext
def recluster(instrument_id: str | None, seed: int, min_population: int) -> None:
    """Fit the archetype model on everyone's latest self profile; store it and assign everyone."""
    from coach.services.hr import archetype_refit as archetype_runs

    instrument = _instrument_named(instrument_id)
    started = time.perf_counter()
    result = archetype_runs.recluster(
        db.session,
        instrument,
        seed=seed,
        min_population=min_population,
        progress=_progress(started),
    )
    model = result.model
    click.echo(
        f"Model version {model.version} ({model.kind}, k={model.k}, structure: "
        f"{model.structure}): {', '.join(model.names)}. {result.assigned} people assigned "
        f"in {result.seconds:.1f} s."
    )


@click.command("quality")
@click.option("--instrument", "instrument_id", help="Instrument id (default: the default one).")
@with_appcontext
def quality_command(instrument_id: str | None) -> None:
    """Compute the instrument-quality figures (alpha, omega, ICC...) for the HR page."""
    from coach.services.hr import instrument_quality as quality

    instrument = _instrument_named(instrument_id)
    figures = quality.refresh_quality(db.session, instrument)
    counts = ", ".join(f"{n} {group}" for group, n in figures["respondents"].items())
    click.echo(f"Instrument quality of {instrument.id} from {counts} in {figures['seconds']} s.")


@click.command("rebuild-hr-summaries")
@with_appcontext
def rebuild_hr_summaries() -> None:
    """Recompute the HR summary tables and the pooled rater variance from every stored score
    (after bulk loads or moves)."""
    from coach.services.feedback import variance_pool
    from coach.services.hr.summary import rebuild_summaries

    started = time.perf_counter()
    rows = variance_pool.rebuild(db.session)
    _progress(started)(f"pooled rater variance: {rows} rows")
    rebuild_summaries(db.session, instruments(), progress=_progress(started), every_instrument=True)
    click.echo(f"HR summaries rebuilt in {time.perf_counter() - started:.1f} s.")


@click.command("export-org")
@click.argument("outdir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--instrument", "instrument_id", help="Instrument id (default: the default one).")
@with_appcontext
def export_org(outdir: Path, instrument_id: str | None) -> None:
    """Write every anonymised HR aggregate (each unit, archetypes, psychometrics) as CSV files."""
    from coach.services.hr import exports

    started = time.perf_counter()
    instrument = _instrument_named(instrument_id)
    written = exports.export_org(
        db.session,
        instrument,
        action_library(instrument.id),
        outdir,
        progress=_progress(started),
    )
    for name, rows in written.items():
        click.echo(f"  {outdir / name}: {rows} rows")
    click.echo(f"Exported in {time.perf_counter() - started:.1f} s (recorded in the audit log).")


@click.command("unlock-account")
@click.argument("email")
@with_appcontext
def unlock_account(email: str) -> None:
    """End every wait that wrong passwords put on this account; recorded in the audit log."""
    try:
        cleared = accounts.unlock_account(db.session, None, email)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{accounts.normalise_email(email)} can sign in again at once ({cleared} cleared).")


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def backup_command(directory: Path) -> None:
    """Write a consistent copy of the database into DIRECTORY while the app keeps serving."""
    from coach import backup

    try:
        done = backup.backup(current_app.config["SQLALCHEMY_DATABASE_URI"], directory)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up the {done.engine} database to {done.path} ({done.size:,} bytes).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite a database that already holds tables.")
@with_appcontext
def restore_command(file: Path, replace: bool) -> None:
    """Load a backup made by `backup` into the configured (empty) database."""
    from coach import backup

    try:
        held = backup.restore(current_app.config["SQLALCHEMY_DATABASE_URI"], file, replace)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    replaced = f", replacing its {held} tables" if held else ""
    click.echo(f"Restored {file} into the database{replaced}. Run `flask db upgrade` next.")
