"""Fixtures of the review tests: the chair's headers and a visit with an open conflict."""

import pytest
from reviewtools import make_visit


@pytest.fixture
def chair(demo, login):
    """Return the Authorization headers of chair.almaty."""
    return login("chair.almaty")


@pytest.fixture
def sizo(demo):
    """Return the Almaty pre-trial centre."""
    return demo.facility("almaty-sizo")


@pytest.fixture
def conflicted(client, login, sizo):
    """Return a draft visit with one open conflict."""
    return make_visit(client, login, sizo)


def conflicts_of(client, headers, visit_id) -> dict:
    """Return {cursor, conflicts} of a visit."""
    response = client.get(f"/api/v1/visits/{visit_id}/conflicts", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _browser_fixtures():
    """Load the browser fixtures of tests/browser/conftest.py (live server, Chromium)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("review_browser_fixtures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_fixtures = _browser_fixtures()
playwright_session = _fixtures.playwright_session
browser = _fixtures.browser
live = _fixtures.live
context_factory = _fixtures.context_factory
