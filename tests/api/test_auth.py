"""Tokens, passwords, sessions and rate limits."""

from server.extensions import db
from server.models import AuditEvent


def test_token_answers_token_expiry_and_user(client, demo):
    response = client.post("/api/v1/auth/token",
                           json={"username": "inspector.almaty", "password": demo.password})
    assert response.status_code == 201
    body = response.json
    assert set(body) == {"token", "expires_at", "user"}
    assert body["user"]["username"] == "inspector.almaty"
    assert body["user"]["role"] == "inspector"
    assert body["expires_at"].endswith("+00:00")
    me = client.get("/api/v1/me", headers={"Authorization": "Bearer " + body["token"]})
    assert me.status_code == 200 and me.json["username"] == "inspector.almaty"


def test_username_is_case_insensitive(client, demo):
    response = client.post("/api/v1/auth/token",
                           json={"username": "Inspector.Almaty", "password": demo.password})
    assert response.status_code == 201


def test_wrong_password_is_401_and_audited(client, demo):
    response = client.post("/api/v1/auth/token",
                           json={"username": "inspector.almaty", "password": "nope"})
    assert response.status_code == 401
    assert response.json["code"] == "invalid_credentials"
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert "login_failed" in actions


def test_unknown_user_is_the_same_401(client, demo):
    response = client.post("/api/v1/auth/token", json={"username": "ghost", "password": "x"})
    assert response.status_code == 401 and response.json["code"] == "invalid_credentials"


def test_tampered_token_is_401(client, login, demo):
    header = login("inspector.almaty")["Authorization"]
    bad = header[:-3] + ("AAA" if not header.endswith("AAA") else "BBB")
    assert client.get("/api/v1/me", headers={"Authorization": bad}).status_code == 401


def test_logout_revokes_the_token(client, login, demo):
    headers = login("inspector.almaty")
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401 and response.json["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_401(app, client, demo):
    app.config["TOKEN_TTL_SECONDS"] = -1
    token = client.post("/api/v1/auth/token", json={"username": "inspector.almaty",
                                                     "password": demo.password}).json["token"]
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer " + token})
    assert response.status_code == 401


def test_password_change_revokes_every_token(client, login, demo):
    headers = login("inspector.almaty")
    other = client.post("/api/v1/auth/token", json={"username": "inspector.almaty",
                                                     "password": demo.password}).json["token"]
    response = client.put("/api/v1/me/password", headers=headers,
                          json={"current_password": demo.password,
                                "new_password": "a-new-long-password"})
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me",
                      headers={"Authorization": "Bearer " + other}).status_code == 401
    fresh = client.post("/api/v1/auth/token", json={"username": "inspector.almaty",
                                                     "password": "a-new-long-password"})
    assert fresh.status_code == 201


def test_password_change_needs_the_current_password(client, login, demo):
    response = client.put("/api/v1/me/password", headers=login("inspector.almaty"),
                          json={"current_password": "wrong", "new_password": "long-enough-pw"})
    assert response.status_code == 422 and "current_password" in response.json["errors"]


def test_disabled_user_loses_access(client, login, demo):
    from server.auth.operations import disable_user

    headers = login("inspector.almaty")
    disable_user(demo.user("inspector.almaty"))
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    again = client.post("/api/v1/auth/token", json={"username": "inspector.almaty",
                                                     "password": demo.password})
    assert again.status_code == 401


def test_login_rate_limit_answers_429_with_retry_after(app, client, demo):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    for _ in range(3):
        client.post("/api/v1/auth/token", json={"username": "inspector.almaty", "password": "x"})
    response = client.post("/api/v1/auth/token",
                           json={"username": "inspector.almaty", "password": demo.password})
    assert response.status_code == 429
    assert response.json["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


def test_session_login_page_sets_a_safe_cookie(client, demo):
    response = client.post("/login", data={"username": "chair.almaty",
                                           "password": demo.password})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/facilities/").status_code == 200


def test_session_login_refuses_offsite_redirect(client, demo):
    response = client.post("/login?next=https://evil.example/", data={
        "username": "chair.almaty", "password": demo.password})
    assert response.headers["Location"] == "/facilities/"


def test_session_cookie_is_not_accepted_by_the_api(client, demo):
    client.post("/login", data={"username": "chair.almaty", "password": demo.password})
    assert client.get("/api/v1/me").status_code == 401


def test_wrong_session_login_says_so(client, demo):
    response = client.post("/login", data={"username": "chair.almaty", "password": "bad"})
    assert response.status_code == 401
    assert "Неверное имя пользователя" in response.get_data(as_text=True)


def test_page_forms_need_a_csrf_token(app, client, demo):
    app.config["WTF_CSRF_ENABLED"] = True
    refused = client.post("/login", data={"username": "chair.almaty", "password": demo.password})
    assert refused.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    accepted = client.post("/login", data={"username": "chair.almaty",
                                           "password": demo.password, "csrf_token": token})
    assert accepted.status_code == 302
