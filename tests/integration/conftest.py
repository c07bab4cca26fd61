"""Fixtures of the integration tests."""

from __future__ import annotations

import pytest

from tests.helpers import lo_client


@pytest.fixture(scope="session")
def lo():
    """This worker's one LibreOffice (soffice fr-FR + UNO driver), for the client tests and the
    recalculation oracle alike; started again if it dies, ended with the session."""
    office = lo_client.shared()
    office.start()
    yield office
    lo_client.close_shared()
