"""Every role × every endpoint and page × own/other commission, generated from the URL map.

A new endpoint is covered automatically: its path parameters must be known to PARAMS
(the test fails and says so otherwise). Properties checked:
- anonymous requests get 401 (API) or a redirect to the login page (pages);
- for a commission member, another commission's object answers exactly like an object
  that does not exist (404 for reads), never 403;
- no response to a commission member mentions an id of another commission's records.
"""

import hashlib
import re
import uuid
from datetime import UTC, datetime

import pytest

from server.extensions import db
from server.models import Blob, PhotoLink, SyncConflict, SyncDevice, User, Visit
from server.sync.storage import blob_store

# Endpoints anyone may call without signing in.
PUBLIC = {"static", "health.healthz", "api-docs.openapi_json", "api-docs.openapi_swagger_ui",
          "auth.create_token", "web.login", "web.logout", "web.index", "health.readyz"}
# Parameters naming things every signed-in user may read (the same for every commission).
SHARED_PARAMS = {"form_id": "detention-visit", "year": 2026}
PUBLIC_BLUEPRINTS = {"pwa", "apidocs"}
# Endpoints restricted to roles, answering 404 to others.
ROLE_ONLY = {"users.": {"admin"}, "metrics.": {"admin"}, "review.import_page": {"chair"},
             "devices.": {"admin", "chair"}, "review.devices": {"admin", "chair"}}
# Pages that do not even admit they exist to anyone without the role (404, no login prompt).
HIDDEN = {"metrics.metrics"}
COMMISSION_USERS = ("inspector.almaty", "chair.almaty")
NATIONAL_USERS = ("ombudsman", "admin")
SKIP = {"api-docs.openapi_swagger_ui"}
# Photos are sensitive: within scope, only the commission and the ombudsman read them
# (tests/sync/test_sensitive.py); an admin gets 404.
SENSITIVE = {"blobs.BlobView", "review.photo"}


def _objects(demo, slug):
    """Return the records of one commission that URLs can name."""
    commission = demo.commission(slug)
    facility = demo.facility(f"{slug}-sizo")
    member = demo.user(f"inspector.{slug}")
    visit = Visit(id=uuid.uuid4(), facility_id=facility.id, started_at=datetime.now(UTC),
                  created_by_id=member.id)
    db.session.add(visit)
    sha256 = _photo(visit, member, slug)
    conflict = _conflict(visit, member)
    db.session.commit()
    return {"facility_id": facility.id, "commission_id": commission.id, "user_id": member.id,
            "visit_id": visit.id, "sha256": sha256, "job_id": _job(member),
            "conflict_id": conflict.id, "device_id": _device(member, slug), **SHARED_PARAMS}


def _device(member, slug):
    """Register a tablet of a commission member; return its id."""
    device = SyncDevice(id=f"matrix-{slug}", user_id=member.id, last_seq=0)
    db.session.add(device)
    return device.id


def _conflict(visit, member):
    """Keep an open conflict on one answer of a visit."""
    conflict = SyncConflict(id=uuid.uuid4(), visit_id=visit.id, reason="concurrent_edit",
                            field="answer:nutrition.meals_per_day:", winner_value=3,
                            winner_hlc="1-0-matrix", winner_device_id="matrix",
                            winner_author_id=member.id, loser_value=2, loser_hlc="1-0-other",
                            loser_device_id="other", loser_author_id=member.id)
    db.session.add(conflict)
    return conflict


def _job(user):
    """Run a bulk-report job of a user (nothing matches: an empty ZIP); return its id.

    A job belongs to the person who started it: only they read it (job_id is own-only).
    """
    from flask import current_app

    from server.reports.bulk import Selection
    from server.reports.jobs import run_all, start_bulk

    job_id = start_bulk(user, Selection(datetime(2000, 1, 1).date(), datetime(2000, 1, 1).date()),
                        run=False)
    db.session.commit()
    run_all(current_app._get_current_object(), job_id, 1)
    return job_id


def _photo(visit, member, slug):
    """Attach a stored photo to a visit; return its hash."""
    data = f"photo of {slug}".encode()
    sha256 = hashlib.sha256(data).hexdigest()
    blob_store().put(sha256, data)
    db.session.add(Blob(sha256=sha256, size=len(data), content_type="image/jpeg",
                        stored_sha256=sha256, stored_size=len(data), width=1, height=1))
    db.session.flush()
    db.session.add(PhotoLink(id=uuid.uuid4(), visit_id=visit.id, sha256=sha256,
                             author_id=member.id, device_id="matrix"))
    return sha256


def _rules(app):
    """Yield (endpoint, rule, method) for every routed method."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, rule, method


def _url(rule, values):
    """Build the URL of a rule with the given parameter values."""
    params = {}
    for name in rule.arguments:
        if name not in values:
            pytest.fail(f"{rule.rule}: add parameter {name!r} to the scoping matrix PARAMS")
        params[name] = str(values[name])
    return rule.build(params, append_unknown=False)[1]


def _call(client, method, url, headers):
    """Send a request with an empty JSON body for methods that take one."""
    kwargs = {"headers": headers}
    if method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    return client.open(url, method=method, **kwargs)


def _signed_in(client, app, username, is_api):
    """Return headers for the API, or sign the client's session in for pages."""
    if is_api:
        tokens = app.extensions.setdefault("matrix_tokens", {})  # one sign-in per test and user
        if username not in tokens:
            tokens[username] = client.post("/api/v1/auth/token", json={
                "username": username, "password": "tekseru-demo"}).json["token"]
        return {"Authorization": "Bearer " + tokens[username]}
    client.post("/login", data={"username": username, "password": "tekseru-demo"})
    return {"Accept": "text/html"}


def _is_public(endpoint):
    """Tell whether an endpoint needs no sign-in."""
    return endpoint in PUBLIC or endpoint.split(".")[0] in PUBLIC_BLUEPRINTS


@pytest.fixture
def world(app, demo):
    """Return the addressable records of both commissions."""
    app.config["LOGIN_RATE_LIMIT"] = "1000 per minute"  # pages sign in once per rule
    return {"almaty": _objects(demo, "almaty"), "karaganda": _objects(demo, "karaganda")}


def test_anonymous_requests_are_refused(app, client, world):
    for endpoint, rule, method in _rules(app):
        if _is_public(endpoint):
            continue
        response = _call(client, method, _url(rule, world["almaty"]), {})
        if endpoint in HIDDEN:
            assert response.status_code == 404, (method, rule.rule)
        elif rule.rule.startswith("/api/"):
            assert response.status_code == 401, (method, rule.rule, response.status_code)
        else:
            assert response.status_code in (302, 401), (method, rule.rule)
            if response.status_code == 302:
                assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("username", COMMISSION_USERS)
def test_other_commission_looks_like_nothing(app, world, username):
    missing = {key: uuid.uuid4() for key in world["almaty"]} | SHARED_PARAMS
    for endpoint, rule, method in _rules(app):
        if _is_public(endpoint) or not set(rule.arguments) - set(SHARED_PARAMS):
            continue
        client = app.test_client()
        headers = _signed_in(client, app, username, rule.rule.startswith("/api/"))
        other = _call(client, method, _url(rule, world["karaganda"]), headers)
        absent = _call(client, method, _url(rule, missing), headers)
        where = (username, method, rule.rule)
        assert other.status_code != 403, where
        assert other.status_code == absent.status_code, where
        if method == "GET":
            assert other.status_code == 404, where
        if other.is_json and absent.is_json:
            assert other.json.get("code") == absent.json.get("code"), where


@pytest.mark.parametrize("username", COMMISSION_USERS + NATIONAL_USERS)
def test_reads_within_scope_work(app, world, username):
    role_slug, own_jobs = "almaty", {}
    for endpoint, rule, method in _rules(app):
        if method != "GET" or _is_public(endpoint):
            continue
        client = app.test_client()
        headers = _signed_in(client, app, username, rule.rule.startswith("/api/"))
        values = {**world[role_slug], "job_id": own_jobs.setdefault(username, _job(
            db.session.execute(db.select(User).filter_by(username=username)).scalar_one()))}
        response = _call(client, method, _url(rule, values), headers)
        allowed = next((roles for prefix, roles in ROLE_ONLY.items()
                        if endpoint.startswith(prefix)), None)
        user_role = username.split(".")[0].rstrip("2")
        if (allowed is not None and user_role not in allowed) or (
                user_role == "admin" and endpoint in SENSITIVE):
            assert response.status_code == 404, (username, rule.rule)
        else:
            assert response.status_code in (200, 204), (username, rule.rule,
                                                        response.status_code)


@pytest.mark.parametrize("username", COMMISSION_USERS)
def test_no_response_mentions_another_commissions_ids(app, world, username):
    foreign = {str(v) for v in world["karaganda"].values()}
    from server.models import Facility

    foreign |= {str(f.id) for f in db.session.execute(
        db.select(Facility).where(Facility.region == "karaganda")).scalars()}
    for endpoint, rule, method in _rules(app):
        if method != "GET" or _is_public(endpoint):
            continue
        client = app.test_client()
        headers = _signed_in(client, app, username, rule.rule.startswith("/api/"))
        body = _call(client, method, _url(rule, world["almaty"]), headers).get_data()
        text = body.decode("utf-8", "replace")  # PDFs and ZIPs are bytes
        leaked = foreign & set(re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", text))
        assert not leaked, (username, rule.rule, leaked)
