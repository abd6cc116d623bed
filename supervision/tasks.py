"""The supervision app's Celery tasks."""

from celery import shared_task
from django.utils import timezone

from portal.indicators import Period


@shared_task(name="supervision.refresh_figures", time_limit=600, soft_time_limit=540)
def refresh_figures() -> None:
    """Compute this year's compliance figures afresh into the cache (``supervision.figures``),
    so that the dashboard never waits for them."""
    from supervision import figures

    figures.columns(Period.year(timezone.localdate().year), fresh=True)
