"""Appending to and verifying the county-wide hash chain of published revisions."""

from __future__ import annotations

from dataclasses import dataclass

from disclosures.models import LedgerHead, Revision
from disclosures.models.ledger import GENESIS_HASH


def append(revision: Revision) -> Revision:
    """Chain ``revision`` after the current tip and save it. Call inside a transaction.

    The tip row is locked (SELECT … FOR UPDATE on PostgreSQL) so that concurrent
    publications are serialised and each names its true predecessor.
    """
    LedgerHead.objects.get_or_create(pk=1)
    head = LedgerHead.objects.select_for_update().get(pk=1)
    revision.sequence = head.last_sequence + 1
    revision.previous_hash = head.last_hash
    revision.entry_hash = revision.compute_hash()
    revision.save(force_insert=True)
    head.last_sequence, head.last_hash = revision.sequence, revision.entry_hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return revision


@dataclass(frozen=True)
class Break:
    sequence: int
    revision_id: int
    reason: str


def verify(batch_size: int = 500) -> tuple[int, Break | None]:
    """Walk the chain from the start. Returns (revisions checked, first broken link or None)."""
    expected_previous, expected_sequence, checked = GENESIS_HASH, 1, 0
    for revision in Revision.objects.order_by("sequence").iterator(chunk_size=batch_size):
        if revision.sequence != expected_sequence:
            return checked, Break(revision.sequence, revision.pk, f"sequence gap: expected {expected_sequence}")
        if revision.previous_hash != expected_previous:
            return checked, Break(revision.sequence, revision.pk, "previous hash does not match the preceding revision")
        if revision.compute_hash() != revision.entry_hash:
            return checked, Break(revision.sequence, revision.pk, "content does not match its hash (edited?)")
        expected_previous, expected_sequence = revision.entry_hash, expected_sequence + 1
        checked += 1
    head = LedgerHead.objects.filter(pk=1).first()
    if head and (head.last_sequence, head.last_hash) != (checked, expected_previous):
        return checked, Break(head.last_sequence, 0, "ledger head does not match the last revision (row removed?)")
    return checked, None
