"""The open-data API, generated from its own OpenAPI schema (``/api/schema/``) by
schemathesis, in process through the WSGI application: no generated request — odd ids,
codes, page sizes, formats, filters — gets a server error. Examples per operation are
bounded so that the suite stays fast.

Each operation's cases are drawn with hypothesis from ``operation.as_strategy()``:
schemathesis's own pytest integration (``from_fixture``) relies on a pytest internal
(``Node._nodeid``) that pytest 9 no longer has."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error

from tests.trust.cases import tally

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def api_schema(world, settings):
    """The schema as the API serves it, with the WSGI application that answers its cases.
    As Django's test client does, requests do not close the test's database connection;
    schemathesis's WSGI client names its host ``localhost``."""
    from portal.wsgi import application

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_no_generated_api_request_gets_a_server_error(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12  # every endpoint of docs/api.md, lists and details

    for operation in operations:

        @hypothesis_settings(max_examples=EXAMPLES_PER_OPERATION)
        @given(case=operation.as_strategy())
        def answers_without_a_server_error(case):
            response = case.call()
            tally["schemathesis (API)"] += 1
            if response.status_code >= 500:
                tally["schemathesis (API) 5xx"] += 1
            case.validate_response(response, checks=[not_a_server_error])

        answers_without_a_server_error()
