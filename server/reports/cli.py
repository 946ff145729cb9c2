"""`tekseru report render` (a bulk ZIP from the command line) and `tekseru report worker`."""

import shutil
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from ..extensions import db
from ..i18n import LANGUAGES
from ..models import FACILITY_KINDS, User
from .bulk import REPORT_KINDS, Selection, zip_path
from .cache import prune_reports
from .jobs import dispatch, queue_name, run_all, start_bulk
from .jobstore import job_store

report_group = click.Group("report", help="PDF reports.")


def _user(username: str) -> User:
    """Return the account whose scope the reports are made in."""
    user = db.session.execute(select(User).where(User.username == username.lower())).scalar()
    if user is None or not user.active:
        raise click.ClickException(f"no active user {username!r}")
    return user


def _follow(job_id: str, total: int, bar) -> dict:
    """Update a progress bar from the job's record until the job ends."""
    shown = 0
    while True:
        job = job_store().get(job_id)
        bar.update(job["done"] - shown)
        shown = job["done"]
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.5)


@report_group.command("render")
@click.option("--as", "username", required=True, help="whose scope (e.g. ombudsman)")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), required=True)
@click.option("--commission", "commissions", multiple=True, help="slug; repeat for several")
@click.option("--region", "regions", multiple=True)
@click.option("--kind", "kinds", multiple=True, type=click.Choice(FACILITY_KINDS))
@click.option("--report", "reports", multiple=True, type=click.Choice(REPORT_KINDS),
              default=("visit",), show_default=True)
@click.option("--lang", "languages", multiple=True, type=click.Choice(LANGUAGES),
              default=("ru",), show_default=True)
@click.option("--queue", is_flag=True, help="hand the job to RQ workers (needs REDIS_URL)")
@click.option("--out", type=click.Path(dir_okay=False), default="tekseru-reports.zip",
              show_default=True)
@with_appcontext
def render_command(username, date_from, date_to, commissions, regions, kinds, reports,
                   languages, queue, out):
    """Render every matching report into one ZIP with a CSV index."""
    if queue and not current_app.config.get("REDIS_URL"):
        raise click.ClickException("--queue needs REDIS_URL")
    selection = Selection(date_from.date(), date_to.date(), list(commissions), list(regions),
                          list(kinds), list(reports), list(languages))
    job_id = start_bulk(_user(username), selection, run=False)
    db.session.commit()
    job = job_store().get(job_id)
    with click.progressbar(length=job["total"], label="reports") as bar:
        if queue:
            dispatch(job_id, job["chunks"], "rq")
            job = _follow(job_id, job["total"], bar)
        else:
            run_all(current_app._get_current_object(), job_id, job["chunks"], bar.update)
            job = job_store().get(job_id)
    if job["status"] != "done":
        raise click.ClickException(f"job {job_id} failed: {job.get('error')}")
    shutil.copyfile(zip_path(job_id), out)
    click.echo(f"{job['total']} reports in {out}")


@report_group.command("prune")
@click.option("--older-than-days", type=click.FloatRange(min=0), default=30, show_default=True,
              help="delete cached PDFs and bulk ZIPs not used for this long")
@click.option("--max-size-mb", type=click.IntRange(min=0), default=None,
              help="then delete the least recently used PDFs until the cache is this small")
@with_appcontext
def prune_command(older_than_days, max_size_mb):
    """Free disk space from the report cache (run it daily from cron or a systemd timer)."""
    limit = None if max_size_mb is None else max_size_mb * 1024 * 1024
    result = prune_reports(older_than_days, limit)
    click.echo(f"removed {result.files} files ({result.bytes / 1048576:.1f} MB); "
               f"kept {result.kept_files} files ({result.kept_bytes / 1048576:.1f} MB)")


@report_group.command("worker")
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
@with_appcontext
def worker_command(burst):
    """Render bulk-job chunks from the Redis queue (REDIS_URL) in this process."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("the worker needs REDIS_URL")
    connection = Redis.from_url(url)
    worker = SimpleWorker([Queue(queue_name(), connection=connection)], connection=connection)
    worker.work(burst=burst)


