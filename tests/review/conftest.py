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

