"""`tekseru review …`: refresh the score summaries, load the review demo history."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db

review_group = click.Group("review", help="The chair's review desk.")


@review_group.command("refresh")
@with_appcontext
def refresh_command():
    """Recompute the stale per-visit score summaries (the dashboard also does it lazily)."""
    from .summaries import refresh_summaries

    count = refresh_summaries()
    db.session.commit()
    click.echo(f"{count} visit summaries recomputed")


@review_group.command("demo")
@with_appcontext
def demo_command():
    """Load earlier, approved Almaty visits after `tekseru demo` (idempotent; not in production)."""
    from ..demo import demo_id
    from .demo import load_demo_history
    from .summaries import refresh_summaries

    if current_app.config["TEKSERU_ENV"] == "production":
        raise click.ClickException("demo data is never loaded in production")
    summary = load_demo_history(demo_id)
    summary["summaries"] = refresh_summaries()
    db.session.commit()
    click.echo(json.dumps(summary, sort_keys=True))
