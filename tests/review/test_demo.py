"""`tekseru demo` then `tekseru review demo`: the whole review flow has something to show."""

import json
import re

from server.extensions import db
from server.models import Finding, SyncConflict, Visit


def test_review_demo_history_loads_once_and_shows_the_flow(runner, client, demo, login):
    assert runner.invoke(args=["demo"]).exit_code == 0
    first = runner.invoke(args=["review", "demo"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["visits_approved"] == 5
    again = runner.invoke(args=["review", "demo"])
    assert json.loads(again.output) == {"summaries": 0, "visits_approved": 0,
                                        "visits_created": 0}
    approved = db.session.execute(db.select(Visit).filter_by(status="approved")).scalars().all()
    assert len(approved) == 5
    assert db.session.execute(db.select(SyncConflict).filter_by(status="open")).first()
    assert db.session.execute(db.select(Finding).filter_by(status="open")).first()
    client.post("/login", data={"username": "chair.almaty", "password": "tekseru-demo"})
    html = client.get("/review/").get_data(as_text=True)
    rows = re.findall(r'<tr class="([^"]*)" data-facility="([0-9a-f-]+)"', html)
    assert rows[0] == ("crit", str(demo.facility("almaty-sizo").id))
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "approved visits intact: 5 checked" in verified.output
