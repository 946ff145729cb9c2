"""Facility list, filters, pagination and admin changes."""


def test_inspector_lists_only_own_commission(client, login, demo):
    body = client.get("/api/v1/facilities", headers=login("inspector.almaty")).json
    assert body["total"] == 6
    assert {f["region"] for f in body["items"]} == {"almaty"}


def test_ombudsman_lists_everything(client, login, demo):
    body = client.get("/api/v1/facilities?per_page=100", headers=login("ombudsman")).json
    assert body["total"] == 13
    kinds = {f["kind"] for f in body["items"]}
    assert len(kinds) == 11  # every kind of STANDARDS.md is in the demo data


def test_filters_and_pages(client, login, demo):
    headers = login("ombudsman")
    body = client.get("/api/v1/facilities?kind=sizo", headers=headers).json
    assert body["total"] == 2 and {f["kind"] for f in body["items"]} == {"sizo"}
    page1 = client.get("/api/v1/facilities?per_page=5&page=1", headers=headers).json
    page3 = client.get("/api/v1/facilities?per_page=5&page=3", headers=headers).json
    assert len(page1["items"]) == 5 and len(page3["items"]) == 3
    ids = {f["id"] for f in page1["items"]} & {f["id"] for f in page3["items"]}
    assert not ids
    found = client.get("/api/v1/facilities?q=караганд", headers=headers).json
    assert found["total"] >= 1


def test_admin_creates_and_changes_a_facility(client, login, demo):
    headers = login("admin")
    response = client.post("/api/v1/facilities", headers=headers, json={
        "commission_id": str(demo.commission("karaganda").id), "region": "karaganda",
        "kind": "ivs", "name_ru": "ИВС", "name_kk": "УҰИ", "name_en": "IVS",
        "populations": ["men"], "capacity": 12})
    assert response.status_code == 201
    facility_id = response.json["id"]
    patched = client.patch(f"/api/v1/facilities/{facility_id}", headers=headers,
                           json={"capacity": 20})
    assert patched.status_code == 200 and patched.json["capacity"] == 20
    seen = client.get(f"/api/v1/facilities/{facility_id}",
                      headers=login("inspector.karaganda"))
    assert seen.json["capacity"] == 20


def test_non_admin_cannot_create(client, login, demo):
    response = client.post("/api/v1/facilities", headers=login("chair.almaty"), json={})
    assert response.status_code in (404, 422)


def test_admin_user_management(client, login, demo):
    headers = login("admin")
    created = client.post("/api/v1/users", headers=headers, json={
        "username": "new.inspector", "password": "long-enough-pw", "role": "inspector",
        "commission_id": str(demo.commission("almaty").id)})
    assert created.status_code == 201
    no_commission = client.post("/api/v1/users", headers=headers, json={
        "username": "lost.inspector", "password": "long-enough-pw", "role": "inspector"})
    assert no_commission.status_code == 422 and "commission_id" in no_commission.json["errors"]
    disabled = client.patch(f"/api/v1/users/{created.json['id']}", headers=headers,
                            json={"active": False})
    assert disabled.status_code == 200 and disabled.json["active"] is False
    login_attempt = client.post("/api/v1/auth/token", json={
        "username": "new.inspector", "password": "long-enough-pw"})
    assert login_attempt.status_code == 401
