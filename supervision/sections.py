"""What the supervision app contributes to the home page."""

from supervision import stats


def mailbox(request) -> dict:
    """This year's handling figures, those the home page shows (one aggregate query)."""
    year = stats.requested_year(None)
    return {"year": year, "totals": stats.totals(year, ("received", "closed", "closed_on_time"))}
