"""`tekseru report render`: the bulk ZIP from the command line, with a progress bar."""

import os
import time
import zipfile
from pathlib import Path

from report_factory import make_visit, when

from server.extensions import db


def test_report_render_writes_the_zip(runner, demo, tmp_path):
    author = demo.user("inspector.karaganda")
    for key in ("karaganda-ivs", "karaganda-full"):
        make_visit(demo.facility(key), author, when(2026, 4))
    db.session.commit()
    out = tmp_path / "out.zip"
    result = runner.invoke(args=[
        "report", "render", "--as", "ombudsman", "--from", "2026-01-01", "--to", "2026-12-31",
        "--region", "karaganda", "--report", "visit", "--report", "annual", "--lang", "kk",
        "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 reports in" in result.output and "reports" in result.output
    names = zipfile.ZipFile(out).namelist()
    assert sorted(n.split("/")[0] for n in names) == ["annual", "index.csv", "visits", "visits"]
    assert names[-1] == "index.csv"


def test_report_render_refuses_unknown_users_and_queue_without_redis(runner, demo):
    base = ["report", "render", "--from", "2026-01-01", "--to", "2026-12-31"]
    assert "no active user" in runner.invoke(args=[*base, "--as", "nobody"]).output
    assert "needs REDIS_URL" in runner.invoke(args=[*base, "--as", "ombudsman",
                                                    "--queue"]).output


def _aged(path, days, size=1000):
    """Write a file of size bytes last used days ago."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF" + b"x" * (size - 4))
    stamp = time.time() - days * 86400
    os.utime(path, (stamp, stamp))
    return path


def test_report_prune_removes_old_files_then_the_least_recently_used(app, runner):
    folder = app.config["REPORTS_DIR"]
    cache = Path(folder) / "cache"
    old_pdf = _aged(cache / "aa" / ("a" * 64 + ".pdf"), 40)
    old_zip = _aged(Path(folder) / "bulk" / "job.zip", 40)
    lru = _aged(cache / "bb" / ("b" * 64 + ".pdf"), 5)
    recent = _aged(cache / "cc" / ("c" * 64 + ".pdf"), 2)
    in_use = _aged(cache / "dd" / ("d" * 64 + ".pdf"), 0)  # a download may be reading it

    result = runner.invoke(args=["report", "prune", "--older-than-days", "30"])
    assert result.exit_code == 0, result.output
    assert "removed 2 files" in result.output and "kept 3 files" in result.output
    assert not old_pdf.exists() and not old_zip.exists()
    assert lru.exists() and recent.exists() and in_use.exists()

    # over the size cap: the least recently used PDF goes first, a file in use never
    result = runner.invoke(args=["report", "prune", "--older-than-days", "30",
                                 "--max-size-mb", "0"])
    assert result.exit_code == 0, result.output
    assert not lru.exists() and not recent.exists() and in_use.exists()
    assert "removed 2 files" in result.output and "kept 1 files" in result.output


def test_a_cache_hit_marks_the_pdf_used(app):
    from server.reports.cache import cached_pdf, store_pdf

    key = "e" * 64
    path = store_pdf(key, b"%PDF-1.7 test")
    os.utime(path, (0, 0))
    assert cached_pdf(key) == path
    assert path.stat().st_mtime > 0
    assert cached_pdf("f" * 64) is None
