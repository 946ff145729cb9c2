"""Every error has the JSON shape {code, message, errors} and the right status."""

def assert_error(response, status, code):
    """Check the status and the error shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.json
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    return body


def test_400_malformed_json(client):
    response = client.post("/api/v1/auth/token", data='{"username": ',
                           content_type="application/json")
    assert_error(response, 400, "malformed_json")


def test_401_without_token(client):
    assert_error(client.get("/api/v1/facilities"), 401, "unauthorized")


def test_404_unknown_path(client):
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_404_invalid_uuid_is_plain_not_found(client, login, demo):
    response = client.get("/api/v1/facilities/not-a-uuid", headers=login("ombudsman"))
    assert_error(response, 404, "not_found")


def test_405_wrong_method_names_allowed_ones(client, login, demo):
    response = client.delete("/api/v1/me", headers=login("ombudsman"))
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_409_duplicate_username(client, login, demo):
    response = client.post("/api/v1/users", headers=login("admin"), json={
        "username": "inspector.almaty", "password": "long-enough-pw", "role": "ombudsman"})
    assert_error(response, 409, "username_taken")


def test_413_over_large_body(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/auth/token", data="x" * 4096,
                           content_type="application/json")
    assert_error(response, 413, "payload_too_large")


def test_415_not_json(client):
    response = client.post("/api/v1/auth/token", data="username=a&password=b",
                           content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")


def test_422_names_the_field_and_why(client, login, demo):
    response = client.post("/api/v1/facilities", headers=login("admin"), json={
        "commission_id": str(demo.commission("almaty").id), "region": "almaty",
        "kind": "castle", "name_ru": "x", "name_kk": "x", "name_en": "x", "capacity": -5})
    body = assert_error(response, 422, "invalid_fields")
    assert set(body["errors"]) == {"kind", "capacity"}


def test_422_unknown_field_is_refused(client, login, demo):
    response = client.post("/api/v1/auth/token", json={"username": "a", "password": "b",
                                                       "role": "admin"})
    body = assert_error(response, 422, "invalid_fields")
    assert "role" in body["errors"]


def test_429_rate_limited(app, client, demo):
    app.config["LOGIN_RATE_LIMIT"] = "1 per minute"
    client.post("/api/v1/auth/token", json={"username": "x", "password": "y"})
    response = client.post("/api/v1/auth/token", json={"username": "x", "password": "y"})
    assert_error(response, 429, "rate_limited")
    assert response.headers["Retry-After"].isdigit()


def test_500_is_json_and_leaks_nothing(app, client):
    from server.api.common import public

    @app.route("/api/v1/_boom")
    @public
    def boom():
        raise RuntimeError("secret detail")

    response = client.get("/api/v1/_boom")
    body = assert_error(response, 500, "internal_error")
    assert "secret" not in body["message"]


def test_page_errors_are_html(client):
    response = client.get("/facilities/x/y/z", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_failure_after_a_flush_leaves_nothing_half_written(client, login, demo, monkeypatch):
    from server.api import facilities as facilities_api
    from server.extensions import db
    from server.models import Facility

    headers = login("admin")
    before = db.session.query(Facility).count()

    def broken_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(facilities_api, "append_event", broken_audit)
    response = client.post("/api/v1/facilities", headers=headers, json={
        "commission_id": str(demo.commission("almaty").id), "region": "almaty",
        "kind": "ivs", "name_ru": "a", "name_kk": "b", "name_en": "c"})
    assert_error(response, 500, "internal_error")
    db.session.rollback()
    assert db.session.query(Facility).count() == before


def test_nul_characters_are_refused_not_crashed(client, login, demo):
    headers = login("admin")
    body = {"slug": "nul-test", "region": "x", "name_ru": "a\x00b", "name_kk": "k", "name_en": "e"}
    response = client.post("/api/v1/commissions", headers=headers, json=body)
    assert_error(response, 422, "nul_character")
    query = client.get("/api/v1/facilities?q=a%00b", headers=headers)
    body = assert_error(query, 422, "invalid_fields")
    assert "q" in body["errors"]
