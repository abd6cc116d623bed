"""What approvals offer the search (``portal.search``): every approval item on the register
and every fee in the published schedule — all of them public.

Items in force, adjusted or delegated are one source; cancelled items are another, so that
each of their results says “cancelled” (they keep their page, marked, with the
cancellation). A cancelled fee leaves the schedule and the search; its change log stays on
the fee schedule page.

The index follows the register: a receiver of ``post_save`` on ``ApprovalItem`` and
``FeeItem`` (every service of ``approvals.services.registers`` saves the object) reindexes
it once the transaction commits. ``manage.py rebuild_search_index`` rebuilds it whole.
"""

import datetime as dt

from django.db.models import Max
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from approvals.models import ApprovalItem, FeeItem, ItemStatus
from portal import search

ITEMS, CANCELLED_ITEMS, FEES = "approval-items", "cancelled-approval-items", "fees"


def _changed_at(day: dt.date | None) -> dt.datetime | None:
    """The last entry of the change log, as the result's date (newest first among equals)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min)) if day else None


def _items():
    return ApprovalItem.objects.select_related("department").annotate(last_change_on=Max("changes__effective_on"))


def item_rows():
    """Items an applicant can apply for: in force, adjusted or delegated."""
    return _items().current()


def cancelled_item_rows():
    return _items().cancelled()


def item_document(item: ApprovalItem) -> search.SearchDocument:
    basis = " ".join(part for part in (item.basis_law, item.basis_article) if part)
    return search.SearchDocument(
        title=item.name,
        url=item.get_absolute_url(),
        text="\n".join(part for part in (basis, item.conditions) if part),
        department_code=item.department.code,
        published_at=_changed_at(item.last_change_on),
        keywords=(item.code, item.basis_document, item.department.name),
    )


def fee_rows():
    """The published schedule: fees charged or suspended."""
    return (
        FeeItem.objects.scheduled()
        .select_related("department", "approval_item")
        .annotate(last_change_on=Max("changes__effective_on"))
    )


def fee_document(fee: FeeItem) -> search.SearchDocument:
    return search.SearchDocument(
        title=fee.name,
        url=fee.get_absolute_url(),
        text="\n".join(part for part in (fee.standard, fee.legal_basis, fee.reductions) if part),
        department_code=fee.department.code,
        published_at=_changed_at(fee.last_change_on),
        keywords=(fee.code, fee.approval_item.code if fee.approval_item else "", fee.department.name),
    )


SOURCES = (
    search.SearchSource(name=ITEMS, label=_("Approval items"), rows=item_rows, document=item_document, order=20),
    search.SearchSource(
        name=CANCELLED_ITEMS,
        label=format_lazy("{} · {}", _("Approval items"), ItemStatus.CANCELLED.label),
        rows=cancelled_item_rows,
        document=item_document,
        order=25,
    ),
    search.SearchSource(name=FEES, label=_("Fees"), rows=fee_rows, document=fee_document, order=30),
)


def item_saved(sender, instance, raw=False, **kwargs):
    """Keep the index in step with the register (a signal only to decouple: the index is
    derived data). Both item sources: a cancellation moves the item from one to the other."""
    if not raw:
        search.reindex_on_commit(ITEMS, instance.pk)
        search.reindex_on_commit(CANCELLED_ITEMS, instance.pk)


def fee_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search.reindex_on_commit(FEES, instance.pk)
