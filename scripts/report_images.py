"""Render the first page of each report kind on the demo data to docs/img/ (for the README).

    .venv/bin/python scripts/report_images.py

The demo visits (server/demo_visits.py) are joined by visits drawn with
tests/reports/report_factory.py so that the facility trend and the annual ranking have data.
"""

import os
import random
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "reports"))
OUT = REPO / "docs" / "img"
# (file, URL, page)
PAGES = (("report-visit-kk", "/reports/visits/{visit}.pdf?lang=kk", 1),
         ("report-facility-ru", "/reports/facilities/{facility}.pdf?lang=ru", 1),
         ("report-annual-en", "/reports/annual/2026.pdf?lang=en", 1))


def build(work: Path):
    """Return an app on a fresh database with the demo data and a history of visits."""
    os.environ["TEKSERU_INSTANCE_PATH"] = str(work / "instance")
    from flask_migrate import upgrade
    from report_factory import make_visit, when

    from server import create_app
    from server.demo import FACILITIES, demo_id, load_demo
    from server.extensions import db
    from server.models import Facility, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'demo.sqlite3'}",
                      "BLOB_DIR": str(work / "blobs"), "REPORTS_DIR": str(work / "reports")})
    with app.app_context():
        upgrade()
        load_demo()
        rng = random.Random(11)
        author = db.session.execute(db.select(User).filter_by(username="inspector.almaty"))
        author = author.scalar_one()
        for key, *_rest in FACILITIES:
            facility = db.session.get(Facility, demo_id("facility:" + key))
            make_visit(facility, author, when(2025, 5, 14), rng, rng.uniform(0.55, 0.8))
            make_visit(facility, author, when(2026, 3, 17), rng, rng.uniform(0.6, 0.9))
        db.session.commit()
    return app


def main() -> None:
    """Render each page to docs/img/<name>.png."""
    from server.demo import demo_id
    from server.demo_visits import NAMESPACE

    with tempfile.TemporaryDirectory(prefix="tekseru-report-images-") as folder:
        app = build(Path(folder))
        client = app.test_client()
        token = client.post("/api/v1/auth/token", json={"username": "ombudsman",
                                                        "password": "tekseru-demo"}).json
        headers = {"Authorization": "Bearer " + token["token"]}
        ids = {"visit": uuid.uuid5(NAMESPACE, "visit:almaty-sizo"),
               "facility": demo_id("facility:almaty-sizo")}
        OUT.mkdir(parents=True, exist_ok=True)
        for name, url, page in PAGES:
            response = client.get(url.format(**ids), headers=headers)
            assert response.status_code == 200, (url, response.status_code)
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page),
                            "-singlefile", "-", str(OUT / name)], input=response.data,
                           check=True)
            print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
