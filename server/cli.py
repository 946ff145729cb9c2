"""The `tekseru` command: the Flask CLI group with the app and Tekseru's own commands."""

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from .extensions import db


def _create_app():
    """Build the app for the CLI."""
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main():
    """Tekseru: monitoring of places of detention."""


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo data (idempotent; refused in production)."""
    from .demo import DEMO_PASSWORD, load_demo

    if current_app.config["TEKSERU_ENV"] == "production":
        raise click.ClickException("demo data is never loaded in production")
    summary = load_demo()
    db.session.commit()
    click.echo(f"demo data ready: {summary}")
    click.echo(f"demo accounts (password {DEMO_PASSWORD!r}): " + ", ".join(summary["usernames"]))


user_group = click.Group("user", help="Manage user accounts.")


def _user(username: str):
    """Return a user by name or stop with an error."""
    from .models import User

    user = db.session.execute(select(User).where(User.username == username.lower())).scalar()
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    return user


def _run(operation):
    """Run an account operation; turn its API error into a CLI error."""
    from .errors import APIError

    try:
        result = operation()
    except APIError as exc:
        db.session.rollback()
        detail = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.errors.items())
        raise click.ClickException(f"{exc.message} {detail}".strip()) from exc
    db.session.commit()
    return result


@user_group.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["inspector", "chair", "ombudsman", "admin"]),
              required=True)
@click.option("--commission", "commission_slug", help="commission slug (inspector, chair)")
@click.option("--full-name", default="")
@click.password_option()
@with_appcontext
def user_create(username, role, commission_slug, full_name, password):
    """Create an account."""
    from .auth.operations import create_user
    from .models import Commission

    commission = None
    if commission_slug:
        commission = db.session.execute(
            select(Commission).where(Commission.slug == commission_slug)).scalar()
        if commission is None:
            raise click.ClickException(f"no commission {commission_slug!r}")
    user = _run(lambda: create_user(username, password, role, commission, full_name))
    click.echo(f"created {user.username} ({user.role})")


@user_group.command("passwd")
@click.argument("username")
@click.password_option()
@with_appcontext
def user_passwd(username, password):
    """Set a new password; every token and session of the user is revoked."""
    from .auth.operations import change_password

    user = _user(username)
    _run(lambda: change_password(user, password))
    click.echo(f"password changed for {user.username}")


@user_group.command("disable")
@click.argument("username")
@with_appcontext
def user_disable(username):
    """Disable an account and revoke its tokens."""
    from .auth.operations import disable_user

    user = _user(username)
    _run(lambda: disable_user(user))
    click.echo(f"disabled {user.username}")


audit_group = click.Group("audit", help="The audit log.")


@audit_group.command("verify")
@with_appcontext
def audit_verify():
    """Walk the audit hash chain and re-hash approved visits; exit 1 naming what broke."""
    from .audit import verify_chain
    from .review.verify import verify_approvals

    checked, problem = verify_chain()
    if problem:
        click.echo(f"BROKEN after {checked} good events: {problem}", err=True)
    else:
        click.echo(f"audit chain intact: {checked} events")
    approved, changed = verify_approvals()
    for item in changed:
        click.echo(f"BROKEN: {item}", err=True)
    if not changed:
        click.echo(f"approved visits intact: {approved} checked")
    if problem or changed:
        sys.exit(1)


@click.command("backup")
@click.argument("path", required=False)
@with_appcontext
def backup_command(path):
    """Write a backup archive (database snapshot, photos, manifest of hashes)."""
    from datetime import UTC, datetime

    from .backup import BackupError, create_backup

    path = path or f"tekseru-backup-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    try:
        manifest = create_backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = sum(manifest["row_counts"].values())
    click.echo(f"backup written to {path}: {rows} rows, {len(manifest['files']) - 1} photos")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--verify-only", is_flag=True, help="only check the archive against its manifest")
@with_appcontext
def restore_command(path, verify_only):
    """Restore a backup archive into an empty instance."""
    from .backup import BackupError, restore_backup, verify_backup

    try:
        manifest = verify_backup(path) if verify_only else restore_backup(path)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    action = "verified" if verify_only else "restored"
    click.echo(f"{action} {path} (made {manifest['created_at']})")


def init_app(app) -> None:
    """Attach Tekseru's commands to the app's CLI."""
    for command in (demo_command, user_group, audit_group, backup_command, restore_command):
        app.cli.add_command(command)
    from .forms.commands import forms_group
    from .reports.cli import report_group
    from .review.cli import review_group
    from .sync.cli import sync_group

    app.cli.add_command(forms_group)
    app.cli.add_command(report_group)
    app.cli.add_command(review_group)
    app.cli.add_command(sync_group)
