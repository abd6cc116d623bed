"""The database not answering (PostgreSQL stopped, restarting, refusing connections) gets
a 503 page asking the reader to try again shortly, not a 500: nothing is wrong with the
page, and the site answers again once the server is back (``CONN_HEALTH_CHECKS`` replaces
a dead connection at the next request; no process needs a restart). Pages the cache holds
are still served meanwhile (``portal.page_cache``).

``server_error`` is the site's ``handler500``: it sees every exception no view or
middleware answered, including those raised before a view runs (a session read, a
middleware's query), which a middleware's ``process_exception`` never sees."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

#: SQLSTATE classes of a server that is not there: connection exceptions (08…) and
#: operator intervention (57P01 shutting down, 57P02 crash, 57P03 cannot connect now).
UNAVAILABLE_CODES = ("08", "57P")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` means the database server cannot be reached or is going away
    (not a query's fault: a bad query has an SQLSTATE of its own)."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    code = getattr(error.__cause__ or error, "pgcode", None)
    return code is None or code.startswith(UNAVAILABLE_CODES)


def unavailable(content: str, *, retry_after: int) -> HttpResponse:
    """A 503 that says when to come back and is never cached on the way."""
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """Django's 500 view, but a 503 "try again shortly" page while the database is away.
    Rendered without the request, as Django renders its 500 page: a page that needs the
    database must not ask it again (for the reader's session, say) to explain it is away."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable(loader.get_template("503_unavailable.html").render(), retry_after=10)
    return HttpResponseServerError(loader.get_template(template_name).render())
