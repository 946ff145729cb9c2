"""Fixtures of the report tests: a reports folder per test, visits with findings, PDF readers."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_factory import make_visit, when

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "reports"
INJECTION = ('<img src="http://127.0.0.1:9/steal.png"> <link rel="stylesheet" '
             'href="file:///etc/passwd"> file:///etc/passwd')
BREACHES = {  # values breaking critical rules, with the rule ids expected unmet
    "walk.minutes_per_day": 30,
    "nutrition.drinking_water_always": False,
    "safeguards.confidential_complaints": False,
}


@pytest.fixture(autouse=True)
def reports_dir(app, tmp_path):
    """Keep rendered reports, photos and jobs in the test's own folder."""
    app.config["REPORTS_DIR"] = str(tmp_path / "reports")
    return tmp_path / "reports"


@pytest.fixture
def breached_visit(demo):
    """Return an unapproved visit to the Almaty medium-security institution with breaches."""
    visit = make_visit(demo.facility("almaty-medium"), demo.user("inspector.almaty"),
                       when(2026, 3, 10), quality=1.0, overrides=BREACHES,
                       notes=[("walk", "Двор 3×4 м; " + INJECTION), (None, INJECTION)])
    from server.extensions import db

    db.session.commit()
    return visit


def pdf_pages(data: bytes) -> list[str]:
    """Return the text of each page in reading order (a table cell stays together)."""
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def pdf_text(data: bytes) -> str:
    """Return the text of a PDF with its whitespace collapsed."""
    return " ".join("\n".join(pdf_pages(data)).split())


def pdf_reader(data: bytes) -> PdfReader:
    """Return a pypdf reader."""
    return PdfReader(io.BytesIO(data))


def words_outside_page(data: bytes) -> list[str]:
    """Return the words pdftotext places beyond the page edges (there should be none)."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode("utf-8")
    outside = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html,
                            re.S):
        width, height = float(page[1]), float(page[2])
        for word in re.finditer(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
                                r'yMax="([\d.-]+)">(.*?)</word>', page[3]):
            x0, y0, x1, y1 = map(float, word.groups()[:4])
            if x0 < 0 or y0 < 0 or x1 > width + 0.5 or y1 > height + 0.5:
                outside.append(word[5])
    return outside


def page_png(data: bytes, name: str, page: int = 1) -> Path:
    """Render one page to tests/artifacts/reports/<name>.png and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page),
                    "-singlefile", "-", str(target)], input=data, check=True)
    return target.with_suffix(".png")
