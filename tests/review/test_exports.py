"""Exports: the visit list and every answer as CSV and XLSX, filtered, labels in one language."""

import csv
import io

from openpyxl import load_workbook
from reviewtools import make_visit

from server.extensions import db
from server.models import AuditEvent


def _sheet(data: bytes) -> list[list]:
    """Read the first sheet of an XLSX file back as rows of values."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    book.close()
    return rows


def _csv(data: bytes) -> list[list]:
    """Read a CSV export (UTF-8 with BOM) back."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_answers_xlsx_has_indicator_ids_labels_and_values(client, login, chair, sizo):
    visit = make_visit(client, login, sizo, conflict=False)
    response = client.get("/api/v1/exports/answers?format=xlsx&lang=kk", headers=chair)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    ids, labels, *rows = _sheet(response.data)
    assert ids[:5] == ["visit_id", "facility_id", "facility", "started_at", "status"]
    column = ids.index("walk.minutes_per_day")
    assert labels[column] == "Ашық ауада күн сайын сейілдеудің ұзақтығы (минут)"
    assert len(rows) == 1 and rows[0][0] == visit.id
    assert rows[0][column] == 30 and rows[0][ids.index("nutrition.drinking_water_always")] is True
    assert rows[0][2] == sizo.name_kk
    event = db.session.execute(db.select(AuditEvent).filter_by(
        action="export_downloaded")).scalar_one()
    assert event.data["format"] == "xlsx" and event.data["rows"] == 1


def test_visit_list_csv_with_scores_and_filters(client, login, chair, sizo, demo):
    make_visit(client, login, sizo, conflict=False, started="2026-05-10T09:00:00+05:00")
    make_visit(client, login, demo.facility("almaty-ivs"), conflict=False,
               started="2026-10-10T09:00:00+05:00")
    data = _csv(client.get("/api/v1/exports/visits?format=csv&lang=ru", headers=chair).data)
    ids, labels, *rows = data
    assert ids[:3] == ["visit_id", "commission", "region"] and "set.mandela" in ids
    assert labels[ids.index("facility_score")] == "Балл"
    assert len(rows) == 2
    assert float(rows[0][ids.index("critical_unmet")]) >= 2
    period = _csv(client.get("/api/v1/exports/visits?format=csv&date_from=2026-09-01",
                             headers=chair).data)
    assert len(period) == 3 and period[2][ids.index("kind")] == "ivs"
    kind = _csv(client.get("/api/v1/exports/visits?kind=sizo", headers=chair).data)
    assert [row[ids.index("kind")] for row in kind[2:]] == ["sizo"]
    empty = _csv(client.get("/api/v1/exports/visits?region=karaganda", headers=chair).data)
    assert len(empty) == 2
    bad = client.get("/api/v1/exports/visits?date_from=2026-09-01&date_to=2026-01-01",
                     headers=chair)
    assert bad.status_code == 422


def test_ombudsman_exports_every_commission_or_one(client, login, sizo, demo):
    make_visit(client, login, sizo, conflict=False)
    headers = login("ombudsman")
    everything = _csv(client.get("/api/v1/exports/visits", headers=headers).data)
    assert len(everything) == 3
    karaganda = demo.commission("karaganda").id
    none = _csv(client.get(f"/api/v1/exports/visits?commission_id={karaganda}",
                           headers=headers).data)
    assert len(none) == 2


def test_page_download_in_english(client, login, sizo):
    make_visit(client, login, sizo, conflict=False)
    client.post("/login", data={"username": "inspector.almaty", "password": "tekseru-demo"})
    response = client.get("/review/export/answers?format=csv&lang=en")
    assert response.status_code == 200
    assert 'filename="tekseru-answers.csv"' in response.headers["Content-Disposition"]
    ids, labels, row = _csv(response.data)
    assert labels[ids.index("nutrition.meals_per_day")] == "How many hot meals are served a day?"
    xlsx = client.get("/review/export/visits?format=xlsx&lang=en")
    assert _sheet(xlsx.data)[1][0] == "Visit id"
