"""A request whose query ran past the web processes' ``statement_timeout`` (settings)
gets a 503 page saying so, not a 500: PostgreSQL has already cancelled the query, and
the reader may try again or narrow the search. (A database that does not answer at all
gets a 503 of its own: ``portal.outages``.)"""

from __future__ import annotations

import logging

from django.db import OperationalError
from django.template.loader import render_to_string

from portal.outages import unavailable

logger = logging.getLogger(__name__)


def is_statement_timeout(error: BaseException) -> bool:
    """Whether ``error`` is PostgreSQL's cancellation of a statement (SQLSTATE 57014)."""
    cause = error.__cause__ or error
    return getattr(cause, "pgcode", None) == "57014"


class StatementTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and is_statement_timeout(exception):
            logger.warning("statement timeout: %s", request.get_full_path()[:300])
            return unavailable(render_to_string("503_timeout.html", request=request), retry_after=30)
        return None
