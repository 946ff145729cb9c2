"""The visit report read back: facts, unmet critical rules with citations, draft, metadata."""

import subprocess

import pytest
from conftest import page_png, pdf_pages, pdf_reader, pdf_text, words_outside_page

CRITICAL = {  # indicator label (ru) and citation article (ru) expected among unmet rules
    "Может ли каждый содержащийся получить питьевую воду": "правило 22(2)",
    "Продолжительность ежедневной прогулки": "правило 23(1)",
}


def get_pdf(client, visit, login, lang=None, **headers):
    """Download a visit report as the ombudsman; return the response."""
    query = {"lang": lang} if lang else {}
    return client.get(f"/reports/visits/{visit.id}.pdf", query_string=query,
                      headers={**login("ombudsman"), **headers})


def test_visit_report_prints_facts_critical_rules_and_citations(client, login, breached_visit):
    response = get_pdf(client, breached_visit, login, "ru")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    flat = " ".join(text.split())
    assert "Учреждение средней безопасности ЛА-155/4 (демо)" in flat
    assert "Несоблюдённые критические требования" in flat
    critical = flat.split("Несоблюдённые критические требования")[1]
    critical = critical.split("Оценка по стандартам")[0]
    for indicator, article in CRITICAL.items():
        assert indicator in critical
        assert article in critical
    assert "Правила Нельсона Манделы" in critical
    assert "Установлено: 30 мин" in critical and "Норма: ≥ 60 мин" in critical
    assert "Нурлан Абенов" in flat  # the team
    page_png(response.data, "visit-ru")


LANGUAGE_VERSIONS = {  # title, draft header
    "ru": ("Отчет о мониторинговом посещении", "Черновик — не утверждено"),
    "kk": ("Мониторингтік бару туралы есеп", "Жоба — бекітілмеген"),
    "en": ("Monitoring visit report", "Draft — not approved"),
}


@pytest.mark.parametrize("lang", LANGUAGE_VERSIONS)
def test_each_language_is_a_draft_on_every_page_with_metadata_and_nothing_cut(
        client, login, breached_visit, lang):
    title, draft = LANGUAGE_VERSIONS[lang]
    data = get_pdf(client, breached_visit, login, lang).data
    pages = pdf_pages(data)
    assert len(pages) >= 3
    assert all(draft in " ".join(page.split()) for page in pages)
    reader = pdf_reader(data)
    assert reader.metadata.title.startswith(title)
    assert str(reader.trailer["/Root"]["/Lang"]) == lang
    assert len(reader.pages) == len(pages)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3" pdfaid:conformance="B"' in xmp
    assert words_outside_page(data) == []
    page_png(data, f"visit-{lang}-page2", page=2)


def test_kazakh_report_has_kazakh_letters_and_embedded_fonts(client, login, breached_visit,
                                                             tmp_path):
    data = get_pdf(client, breached_visit, login, "kk").data
    text = pdf_text(data)
    assert "ЛА-155/4 орташа қауіпсіз мекеме (демо)" in text
    assert "Сақталмаған сыни талаптар" in text
    for letter in "әғқңөұүі":
        assert letter in text, letter
    (tmp_path / "kk.pdf").write_bytes(data)
    listing = subprocess.run(["pdffonts", str(tmp_path / "kk.pdf")], capture_output=True,
                             text=True, check=True).stdout.splitlines()[2:]
    assert listing and all("DejaVu" in line for line in listing)
    assert all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in listing)  # emb sub uni
    page_png(data, "visit-kk")


def test_unknown_language_is_422_in_the_project_shape(client, login, breached_visit):
    response = get_pdf(client, breached_visit, login, "de", Accept="application/json")
    assert response.status_code == 422
    assert response.json["code"] == "unknown_language"
    assert response.json["errors"] == {"lang": ["must be one of: ru, kk, en"]}
    page = get_pdf(client, breached_visit, login, "fr", Accept="text/html")
    assert page.status_code == 422 and page.mimetype == "text/html"


@pytest.mark.parametrize("who", ["chair.karaganda", "inspector.karaganda"])
def test_outside_scope_is_404(client, login, breached_visit, demo, who):
    headers = login(who)
    assert client.get(f"/reports/visits/{breached_visit.id}.pdf", headers=headers).status_code \
        == 404
    facility = demo.facility("almaty-medium")
    assert client.get(f"/reports/facilities/{facility.id}.pdf", headers=headers).status_code \
        == 404
    assert client.get("/reports/annual/2026.pdf?commission=almaty",
                      headers=headers).status_code == 404
    assert client.get("/reports/visits/not-a-uuid.pdf", headers=headers).status_code == 404


def test_anonymous_gets_401_or_the_login_page(client, breached_visit):
    url = f"/reports/visits/{breached_visit.id}.pdf"
    assert client.get(url, headers={"Accept": "application/json"}).status_code == 401
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.location


def test_session_login_downloads_and_every_download_is_audited(client, breached_visit, demo):
    from server.extensions import db
    from server.models import AuditEvent

    client.post("/login", data={"username": "chair.almaty", "password": demo.password})
    response = client.get(f"/reports/visits/{breached_visit.id}.pdf?lang=en")
    assert response.status_code == 200
    events = db.session.execute(db.select(AuditEvent).filter_by(
        action="report_downloaded")).scalars().all()
    assert [(e.target_type, e.target_id, e.data["kind"]) for e in events] == [
        ("visit", str(breached_visit.id), "visit")]


def test_an_approved_visit_prints_the_approval_block_and_no_draft(client, login, breached_visit,
                                                                  monkeypatch):
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from server.reports import facts, review, visit_data

    signed = SimpleNamespace(approved_at=datetime(2026, 3, 12, 9, 30, tzinfo=UTC),
                             approved_by=SimpleNamespace(full_name="Айгерим Сейтова"),
                             content_hash="ab12" * 16)
    assert review.approval_of(SimpleNamespace(approved_at=None)) is None
    approval = review.approval_of(signed)
    assert approval == {"signer": "Айгерим Сейтова", "at": signed.approved_at,
                        "content_hash": "ab12" * 16}
    for module in (facts, visit_data):  # as review (issue 6) will answer for this visit
        monkeypatch.setattr(module, "approval_of", lambda visit: approval)
    data = get_pdf(client, breached_visit, login, "ru").data
    text = pdf_text(data)
    assert "Утверждено" in text and "Айгерим Сейтова" in text and "12.03.2026 09:30 UTC" in text
    assert "ab12" * 16 in text.replace(" ", "")
    assert "ЧЕРНОВИК" not in text and "Черновик — не утверждено" not in text
