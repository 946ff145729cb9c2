"""`tekseru sync import FILE`: apply an offline app's export file through the push path."""

import json

import click
from flask.cli import with_appcontext
from marshmallow import ValidationError

from ..errors import APIError
from ..extensions import db

sync_group = click.Group("sync", help="Offline sync.")


@sync_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--user", "username", help="apply as this account (default: the file's user)")
@with_appcontext
def import_command(path, username):
    """Apply an "export unsynced data" file (idempotent: importing twice changes nothing)."""
    from .exportfile import ExportSchema, import_export

    try:
        with open(path, encoding="utf-8") as handle:
            export = ExportSchema().load(json.load(handle))
        summary = import_export(export, username)
    except (ValueError, ValidationError) as exc:
        db.session.rollback()
        raise click.ClickException(f"{path}: {exc}") from exc
    except APIError as exc:
        db.session.rollback()
        raise click.ClickException(f"{path}: {exc.code}: {exc.message}") from exc
    db.session.commit()
    click.echo(json.dumps(summary, ensure_ascii=False, sort_keys=True))
