"""Facility and annual reports read back: trend, open findings, ranking, contents, the study."""

import random
from types import SimpleNamespace

import pytest
from conftest import BREACHES, page_png, pdf_pages, pdf_reader, pdf_text, words_outside_page
from report_factory import make_facilities, make_visit, when

from server.extensions import db


@pytest.fixture
def history(demo):
    """Return the Almaty medium-security institution with 3 visits (walk short since 2025)."""
    facility, author = demo.facility("almaty-medium"), demo.user("inspector.almaty")
    own = [make_visit(facility, author, when(2025, 4), quality=1.0),
           make_visit(facility, author, when(2025, 10), quality=1.0, overrides=BREACHES),
           make_visit(facility, author, when(2026, 6), quality=1.0, overrides=BREACHES)]
    rng = random.Random(3)
    for key in ("almaty-sizo", "almaty-ivs", "karaganda-sizo", "karaganda-maximum"):
        make_visit(demo.facility(key), author, when(2026, 2), rng=rng, quality=0.7)
        make_visit(demo.facility(key), author, when(2025, 2), rng=rng, quality=0.6)
    db.session.commit()
    return SimpleNamespace(facility=facility, visits=own)


def approve(demo, visits) -> None:
    """Sign visits off as the Almaty chair, oldest first (review records the findings)."""
    from server.review.approval import approve_visit, last_change

    for visit in visits:
        approve_visit(demo.user("chair.almaty"), visit.id, last_change(visit.id))
    db.session.commit()


def test_facility_report(client, login, demo, history):
    url = f"/reports/facilities/{history.facility.id}.pdf?lang=ru"
    headers = login("chair.almaty")
    draft = client.get(url, headers=headers)
    assert draft.status_code == 200
    text = pdf_text(draft.data)
    assert "Учреждение средней безопасности ЛА-155/4 (демо)" in text
    assert "Динамика балла по посещениям" in text
    for day in ("10.04.2025", "10.10.2025", "10.06.2026"):
        assert day in text
    assert "Неустранённых нарушений нет." in text  # no visit approved: no finding yet
    assert all("Черновик — не утверждено" in " ".join(p.split()) for p in pdf_pages(draft.data))
    approve(demo, history.visits)
    data = client.get(url, headers=headers).data
    text = pdf_text(data)
    open_part = text.split("Неустранённые нарушения")[1].split("Последнее посещение")[0]
    assert "Продолжительность ежедневной прогулки" in open_part
    assert "10.10.2025" in open_part  # first found at the second visit, still open
    assert "Черновик" not in text and "ЧЕРНОВИК" not in text  # every visit approved
    assert words_outside_page(data) == []
    assert pdf_reader(data).metadata.title.startswith("Отчет по учреждению")
    page_png(data, "facility-ru")


def test_annual_national_report(client, login, history):
    response = client.get("/reports/annual/2026.pdf?lang=kk", headers=login("ombudsman"))
    assert response.status_code == 200
    data = response.data
    text = " ".join(pdf_text(data).split())
    assert "2026 жылға арналған жыл сайынғы жинақталған баяндама" in text
    assert "Қазақстан Республикасы" in text
    contents = text.split("Мазмұны")[1].split("6. Зерттеудің бастапқы деректері")[0]
    assert "1. Негізгі көрсеткіштер" in contents
    assert "2. Мекемелердің балл бойынша рейтингі" in contents
    for name in ("ЛА-155/4 орташа қауіпсіз мекеме (демо)", "Қарағанды қаласының № 2 тергеу"):
        assert name in text
    assert "Жиі сақталмайтын талаптар" in text and "71" in text  # the study's figures
    assert "Жанозакова" in text  # each figure with its source
    assert "Алдыңғы жылмен салыстыру" in text and "2025" in text
    assert all("Жоба — бекітілмеген" in " ".join(p.split()) for p in pdf_pages(data))
    assert words_outside_page(data) == []
    reader = pdf_reader(data)
    assert str(reader.trailer["/Root"]["/Lang"]) == "kk" and len(reader.pages) >= 4
    page_png(data, "annual-kk")
    page_png(data, "annual-kk-ranking", page=2)


def test_annual_report_per_commission_and_region(client, login, history):
    karaganda = client.get("/reports/annual/2026.pdf?commission=karaganda&lang=en",
                           headers=login("ombudsman"))
    text = " ".join(pdf_text(karaganda.data).split())
    assert "Public Monitoring Commission of Karaganda Region" in text
    assert "Karaganda pre-trial detention centre" in text and "AK-159/17" in text
    assert "Almaty" not in text
    region = client.get("/reports/annual/2026.pdf?region=almaty&lang=en",
                        headers=login("ombudsman"))
    assert "Almaty pre-trial detention centre" in pdf_text(region.data)
    chair = client.get("/reports/annual/2026.pdf?lang=en", headers=login("chair.almaty"))
    chair_text = " ".join(pdf_text(chair.data).split())
    assert "Public Monitoring Commission of Almaty" in chair_text
    assert "Karaganda" not in chair_text
    assert client.get("/reports/annual/2026.pdf?region=karaganda",
                      headers=login("chair.almaty")).status_code == 404
    assert client.get("/reports/annual/1999.pdf", headers=login("ombudsman")).status_code == 404


def test_annual_report_of_a_year_without_visits(client, login, demo):
    response = client.get("/reports/annual/2024.pdf?lang=ru", headers=login("ombudsman"))
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data).split())
    assert "В этом году посещений не было." in text
    assert "ЧЕРНОВИК" not in text  # nothing unapproved in it


def test_kazakh_facility_names_render(client, login, demo):
    facility = make_facilities(demo.commission("almaty"), 1)[0]
    make_visit(facility, demo.user("inspector.almaty"), when(2026, 4))
    db.session.commit()
    data = client.get(f"/reports/facilities/{facility.id}.pdf?lang=kk",
                      headers=login("ombudsman")).data
    assert "№ 1 мекеме (almaty) — әғқңөұүһі" in pdf_text(data)
