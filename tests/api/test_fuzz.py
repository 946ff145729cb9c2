"""A bounded schemathesis pass over the live OpenAPI document: no request may cause a 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import given as hypothesis_given

MAX_EXAMPLES = 25


@pytest.fixture
def schema(app):
    """Load the OpenAPI document the app serves."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _operations(schema):
    """Return every operation of the document."""
    return [result.ok() for result in schema.get_all_operations()]


def test_openapi_document_lists_the_api(schema):
    paths = {op.path for op in _operations(schema)}
    assert {"/api/v1/auth/token", "/api/v1/facilities", "/api/v1/me"} <= paths


def _fresh_headers(demo, username):
    """Issue a new token directly (no rate limit), as a revoking call may end the last one."""
    from server.auth.tokens import issue_token
    from server.extensions import db

    token, _ = issue_token(demo.user(username))
    db.session.commit()
    return {"Authorization": "Bearer " + token}


def _fuzz(operation, headers, statuses, failures):
    """Send generated requests to one operation; record statuses and any 5xx."""

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @hypothesis_given(case=operation.as_strategy())
    def check(case):
        response = case.call(headers=headers)
        statuses.setdefault(operation.path, set()).add(response.status_code)
        if response.status_code >= 500:
            failures.append((case.method, case.formatted_path, response.status_code,
                             response.text[:200]))

    check()


@pytest.mark.slow
# Schemathesis calls Hypothesis APIs that Hypothesis now marks deprecated; the warning came up
# once in a run of this test (not our code, and not reproducible); it must not fail the suite.
@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
@pytest.mark.parametrize("username", ["admin", "inspector.almaty"])
def test_no_generated_request_causes_a_server_error(app, schema, demo, username):
    failures, statuses = [], {}
    for operation in _operations(schema):
        _fuzz(operation, _fresh_headers(demo, username), statuses, failures)
    assert not failures, failures
    # The fuzzer really reached the views: most operations answered something besides 401.
    authorised = [p for p, codes in statuses.items() if codes - {401}]
    assert len(authorised) >= len(statuses) - 1, statuses
