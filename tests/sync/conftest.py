"""Fixtures of the sync tests: signed-in inspectors and a started visit."""

import pytest
from synctools import Device, new_id, push_ok


@pytest.fixture
def almaty(demo, login):
    """Return the Authorization headers of inspector.almaty."""
    return login("inspector.almaty")


@pytest.fixture
def almaty2(demo, login):
    """Return the Authorization headers of inspector2.almaty."""
    return login("inspector2.almaty")


@pytest.fixture
def karaganda(demo, login):
    """Return the Authorization headers of inspector.karaganda."""
    return login("inspector.karaganda")


@pytest.fixture
def tablet():
    """Return a fresh simulated tablet."""
    return Device()


@pytest.fixture
def visit(client, almaty, demo, tablet):
    """Start a visit to the Almaty SIZO from a tablet; return its id."""
    visit_id = new_id()
    body = push_ok(client, almaty, tablet, [tablet.upsert(visit_id, demo.facility("almaty-sizo"))])
    assert body["results"][0]["status"] == "applied", body
    return visit_id
