"""Reading /search/ as a citizen does, for the search tests of every app."""

SEARCH = "/search/"


def found(client, q, **params) -> str:
    """The results page for ``q`` (``source=`` etc. in ``params``), served without error."""
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def found_nothing(client, q, **params) -> str:
    """The results page for a query that was searched (a results section is shown) and
    matched nothing: so that a result's absence is never the absence of a results page."""
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200 and response.context["page"] is not None
    html = response.content.decode()
    assert response.context["page"].paginator.count == 0 and 'id="results-title"' in html
    return html
