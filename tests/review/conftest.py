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

