"""Flask commands for the demo organisation: seed-demo, demo-sign-ins and remove-demo."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from coach.extensions import db
from coach.instrument import Instrument
from coach.instruments_registry import default_instrument
from coach.services.demo import lifecycle as demo_lifecycle
from coach.services.demo import organisation as demo_organisation

DEMO_CREDENTIALS = "demo-sign-ins.txt"


def register(app: Flask) -> None:
    """Attach the demo commands."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(demo_sign_ins)
    app.cli.add_command(remove_demo)


def _sign_ins_file() -> Path:
    return Path(current_app.instance_path) / DEMO_CREDENTIALS


@click.command("seed-demo")
@with_appcontext
@click.option("--seed", default=7, show_default=True, help="Random seed for the profiles.")
@click.option(
    "--auto",
    is_flag=True,
    help="What make run does: seed only the embedded SQLite database, unless COACH_DEMO "
    "says otherwise (1 seeds any empty database, 0 none).",
)
def seed_demo(seed: int, auto: bool) -> None:
    """Fill an empty database with the demo organisation and print its sign-ins once."""
    settings = current_app.config["COACH"]
    demo_setting = os.environ.get("COACH_DEMO")
    if auto and not demo_lifecycle.seeding_allowed(
        settings.database_url, settings.instance_dir, demo_setting
    ):
        click.echo(
            "No demo: COACH_DATABASE_URL names a database of your own (or COACH_DEMO is off). "
            "COACH_DEMO=1, or `flask --app coach seed-demo`, adds one to an empty database."
        )
        return
    if not demo_organisation.database_is_empty(db.session):
        click.echo("The database already holds people; the demo was not seeded.")
        if _sign_ins_file().exists():
            click.echo(
                f"The demo sign-ins are in {_sign_ins_file()} "
                "(`flask --app coach demo-sign-ins` prints them)."
            )
        return
    password = os.environ.get("COACH_DEMO_PASSWORD") or secrets.token_urlsafe(9)
    instrument = default_instrument()
    sign_ins = demo_organisation.seed_demo(db.session, instrument, password, seed=seed)
    _analyse_demo(instrument)
    lines = [f"  {s.email:<40} {s.role:<8} {s.what}" for s in sign_ins]
    text = "Demo sign-ins (password for all: " + password + ")\n" + "\n".join(lines) + "\n"
    path = _sign_ins_file()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when an older version left the file readable by others
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    click.echo(text + f"Saved to {path}, readable by this account only; not printed again.")


def _analyse_demo(instrument: Instrument) -> None:
    """What HR would run on real data: archetypes (theory prototypes at this size) and the
    instrument-quality figures, so that every HR page has something to show."""
    from coach.services.hr import archetype_refit as archetype_runs
    from coach.services.hr import instrument_quality as quality

    result = archetype_runs.recluster(db.session, instrument)
    click.echo(f"Archetypes: {', '.join(result.model.names)} ({result.model.kind}).")
    quality.refresh_quality(db.session, instrument)
    click.echo("Instrument quality computed.")


@click.command("demo-sign-ins")
@with_appcontext
def demo_sign_ins() -> None:
    """Print the demo sign-ins saved when the demo was seeded."""
    path = _sign_ins_file()
    if path.exists():
        click.echo(path.read_text())
    else:
        click.echo("No demo sign-ins are saved here.")


@click.command("remove-demo")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def remove_demo(yes: bool) -> None:
    """Erase the demo organisation: its people with all their data, and its unused units."""
    people = demo_lifecycle.demo_people(db.session)
    if not people:
        click.echo(f"No demo accounts (@{demo_organisation.DEMO_DOMAIN}) are left.")
    elif not yes:
        click.confirm(
            f"Erase the {len(people)} demo accounts (@{demo_organisation.DEMO_DOMAIN}) "
            "and their data?",
            abort=True,
        )
    done = demo_lifecycle.remove_demo(db.session)
    _sign_ins_file().unlink(missing_ok=True)
    click.echo(
        f"Removed {done.people} demo people with {done.assessments} assessments, "
        f"{done.rounds} feedback rounds and {done.plans} plans, and {done.units} demo units; "
        "the demo sign-ins file is deleted. The archetype model and quality figures computed "
        "with them stay until the next `recluster` and `quality`."
    )
