"""The database away (issue 15 §4; portal.outages): a reader gets a 503 "try again
shortly" page, never a 500, cached pages go on being served, and the site answers again
as soon as PostgreSQL does, without a restart. (bench/faults.py stops a real server under
load; here the server is made unreachable by pointing the connection at a closed port.)"""

import socket

import pytest
from django.db import connection

PAGES_NEEDING_THE_DATABASE = ["/search/?q=預算", "/disclosures/?q=預算", "/api/v1/disclosures/", "/supervision/complaints/new/"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # released again: nothing listens there


@pytest.fixture
def database_away():
    """PostgreSQL refusing connections, as while it is stopped or restarting."""
    saved = connection.settings_dict["HOST"], connection.settings_dict["PORT"]

    def away():
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", _closed_port()

    def back():
        connection.close()
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = saved

    yield away, back
    back()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_while_the_database_is_away_pages_answer_503_and_recover_when_it_returns(client, database_away):
    """Given PostgreSQL refusing connections, every page that needs it answers 503 with a
    Retry-After and a page saying the site is briefly unavailable (no 500, no traceback), a
    page the cache holds is still served, and once PostgreSQL answers again the same
    pages are 200 in the same process."""
    away, back = database_away
    client.raise_request_exception = False
    assert client.get("/").status_code == 200  # now in the page cache

    away()
    answers = {page: client.get(page) for page in PAGES_NEEDING_THE_DATABASE}
    cached = client.get("/")
    back()

    for page, response in answers.items():
        assert response.status_code == 503, page
        assert response["Retry-After"] == "10"
        assert "no-store" in response["Cache-Control"]
        text = response.content.decode()
        assert "網站暫時無法使用" in text, page
        assert "Traceback" not in text
    assert cached.status_code == 200
    assert all(client.get(page).status_code == 200 for page in PAGES_NEEDING_THE_DATABASE)

