"""`tekseru report render`: the bulk ZIP from the command line, with a progress bar."""

import zipfile

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
