"""What the approvals app contributes to the home page."""

from django.db.models import Count, Q

from approvals.models import ApprovalItem, FeeItem, FeeStatus, ItemStatus


def approvals(request) -> dict:
    """Items that can be applied for, and fees charged (two queries)."""
    items = ApprovalItem.objects.aggregate(current=Count("pk", filter=~Q(status=ItemStatus.CANCELLED)))
    fees = FeeItem.objects.filter(status=FeeStatus.IN_FORCE).count()
    return {"items": items["current"], "fees": fees}
