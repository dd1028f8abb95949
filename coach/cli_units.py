"""Flask command remove-unused-units: clear units that nobody and no campaign uses."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext

from coach.extensions import db
from coach.services.people import unit_cleanup


def register(app: Flask) -> None:
    """Attach the command."""
    app.cli.add_command(remove_unused_units)


@click.command("remove-unused-units")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def remove_unused_units(yes: bool) -> None:
    """Delete every unit with nobody in it or below it and no campaign (after a wrong import)."""
    if not yes:
        click.confirm("Delete every unit that no person and no campaign uses?", abort=True)
    removed = unit_cleanup.remove_unused_units(db.session)
    click.echo(f"Removed {removed} unused unit{'' if removed == 1 else 's'}.")
