"""The facility page links to its reports; the links download."""

import re


def test_facility_page_links_to_its_reports(client, demo, breached_visit):
    client.post("/login", data={"username": "ombudsman", "password": demo.password})
    page = client.get(f"/facilities/{breached_visit.facility_id}")
    assert page.status_code == 200
    assert "Отчеты (PDF)" in page.text and 'href="/reports/bulk"' in page.text
    links = re.findall(r'href="(/reports/[^"]+\.pdf[^"]*)"', page.text)
    assert f"/reports/visits/{breached_visit.id}.pdf?lang=kk" in links
    assert f"/reports/facilities/{breached_visit.facility_id}.pdf?lang=en" in links
    assert any(link.startswith("/reports/annual/") and "commission=almaty" in link
               for link in links)
    visit_link = next(link for link in links if "/visits/" in link)
    assert client.get(visit_link.replace("&amp;", "&")).status_code == 200
