"""The disclosure lifecycle (DESIGN §3.2): draft → in pre-review → approved → published →
superseded | withdrawn. Every step is one function here; admin actions, views and commands
call them and change nothing on their own.

Each step checks the actor's permission, writes a review record where the seed's 預審備案
asks for one, writes an event in the same transaction, and refuses transitions that the
current state does not allow with a ``TransitionError`` that says why.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures import compliance, ledger
from disclosures.models import CatalogueEntry, DataTable, Disclosure, ReviewRecord, Revision, Scope, Status
from disclosures.permissions import may
from portal import page_cache
from portal.audit import record_event
from portal.roles import Role, roles_of


class TransitionError(ValidationError):
    """The disclosure is not in a state that allows this step."""


def _locked(disclosure: Disclosure) -> Disclosure:
    return Disclosure.objects.select_for_update().select_related("department").get(pk=disclosure.pk)


def _require(actor, action: str, disclosure: Disclosure) -> None:
    if not may(actor, action, disclosure):
        raise PermissionDenied(_("You may not %(action)s this disclosure.") % {"action": _(action)})


def _expect(disclosure: Disclosure, *states: Status) -> None:
    if disclosure.status not in states:
        raise TransitionError(
            _("“%(title)s” is %(status)s; this step needs it to be %(expected)s.")
            % {
                "title": disclosure.title,
                "status": disclosure.get_status_display(),
                "expected": " / ".join(str(Status(s).label) for s in states),
            }
        )


def _move(disclosure: Disclosure, actor, to: Status, verb: str, **data) -> Disclosure:
    previous = disclosure.status
    disclosure.status = to
    disclosure.save()
    record_event(actor=actor, subject=disclosure, verb=verb, from_state=previous, to_state=to, **data)
    return disclosure


def disclosure_submit(*, actor, disclosure: Disclosure) -> Disclosure:
    """Send a draft to pre-review (預審)."""
    with transaction.atomic():
        disclosure = _locked(disclosure)
        _require(actor, "change", disclosure)
        _expect(disclosure, Status.DRAFT)
        disclosure.submitted_by = actor
        ReviewRecord.objects.create(
            disclosure=disclosure, reviewer=actor, decision=ReviewRecord.Decision.SUBMITTED, scope=disclosure.scope
        )
        return _move(disclosure, actor, Status.IN_REVIEW, "submitted")


def disclosure_approve(*, actor, disclosure: Disclosure, scope: Scope | str | None = None, comment: str = "") -> Disclosure:
    """Approve in pre-review, deciding the scope (public / internal).

    A publisher cannot approve what they submitted. If the department needs the
    coordinator's review as well, the department's approval forwards it to the
    coordinator, whose approval completes it.
    """
    with transaction.atomic():
        disclosure = _locked(disclosure)
        _require(actor, "review", disclosure)
        _expect(disclosure, Status.IN_REVIEW, Status.IN_COORDINATOR_REVIEW)
        if disclosure.submitted_by_id == actor.pk:
            raise PermissionDenied(_("You cannot approve a disclosure you submitted yourself."))
        is_coordinator = actor.is_superuser or Role.COORDINATOR in roles_of(actor)
        if disclosure.status == Status.IN_COORDINATOR_REVIEW and not is_coordinator:
            raise PermissionDenied(_("This disclosure waits for the coordinator's review."))
        if scope:
            disclosure.scope = Scope(scope)
        forward = (
            disclosure.status == Status.IN_REVIEW
            and disclosure.department.requires_coordinator_review
            and not is_coordinator
        )
        decision = ReviewRecord.Decision.FORWARDED if forward else ReviewRecord.Decision.APPROVED
        ReviewRecord.objects.create(
            disclosure=disclosure, reviewer=actor, decision=decision, scope=disclosure.scope, comment=comment
        )
        to = Status.IN_COORDINATOR_REVIEW if forward else Status.APPROVED
        return _move(disclosure, actor, to, "approved" if not forward else "forwarded", scope=disclosure.scope)


def disclosure_return(*, actor, disclosure: Disclosure, comment: str) -> Disclosure:
    """Return a disclosure in review to its department with a comment saying what to fix."""
    if not comment.strip():
        raise TransitionError(_("Say why the disclosure is returned."))
    with transaction.atomic():
        disclosure = _locked(disclosure)
        _require(actor, "review", disclosure)
        _expect(disclosure, Status.IN_REVIEW, Status.IN_COORDINATOR_REVIEW, Status.APPROVED)
        ReviewRecord.objects.create(
            disclosure=disclosure,
            reviewer=actor,
            decision=ReviewRecord.Decision.RETURNED,
            scope=disclosure.scope,
            comment=comment,
        )
        return _move(disclosure, actor, Status.DRAFT, "returned", comment=comment)


def disclosure_publish(*, actor, disclosure: Disclosure) -> Revision:
    """Publish an approved disclosure: write an immutable revision, chain it in the
    ledger, and make it the one the public reads (the previous one is superseded).

    Its data tables go into the revision masked, and only once the publisher has
    confirmed the masking of each."""
    with transaction.atomic():
        disclosure = _locked(disclosure)
        _require(actor, "publish", disclosure)
        _expect(disclosure, Status.APPROVED)
        tables = list(disclosure.tables.all())
        unconfirmed = [table.title for table in tables if not table.masking_confirmed]
        if unconfirmed:
            raise TransitionError(
                _("The masking of these data tables has not been confirmed: %(titles)s. "
                  "Return the disclosure so that its publisher checks and confirms the masking.")
                % {"titles": ", ".join(unconfirmed)}
            )
        now = timezone.now()
        previous = disclosure.current_revision
        attachments = [
            {"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type, "sha256": a.sha256}
            for a in disclosure.attachments.filter(in_next_revision=True)
        ]
        revision = ledger.append(
            Revision(
                disclosure=disclosure,
                number=(previous.number + 1) if previous else 1,
                title=disclosure.title,
                summary=disclosure.summary,
                body=disclosure.body,
                document_number=disclosure.document_number,
                index_number=disclosure.index_number,
                department_code=disclosure.department.code,
                category_code=disclosure.category.code,
                formed_on=disclosure.formed_on,
                valid_until=disclosure.valid_until,
                scope=disclosure.scope,
                channels=list(disclosure.channels),
                attachments=attachments,
                tables=[table.snapshot() for table in tables],
                published_at=now,
                published_by=actor,
            )
        )
        if previous is not None:
            previous.superseded_at = now
            previous.save(update_fields=["superseded_at"])
        disclosure.current_revision = revision
        _move(disclosure, actor, Status.PUBLISHED, "published", revision=revision.number, hash=revision.entry_hash)
        page_cache.invalidate_on_commit()
        if disclosure.catalogue_entry_id:
            compliance.refresh(CatalogueEntry.objects.filter(pk=disclosure.catalogue_entry_id))
        return revision


def disclosure_amend(*, actor, disclosure: Disclosure) -> Disclosure:
    """Open a published disclosure for amendment. The public keeps reading the current
    revision; the amendment becomes revision n+1 only after review and publication."""
    with transaction.atomic():
        disclosure = _locked(disclosure)
        _require(actor, "change", disclosure)
        _expect(disclosure, Status.PUBLISHED)
        page_cache.invalidate_on_commit()
        return _move(disclosure, actor, Status.DRAFT, "amendment_started")


def disclosure_withdraw(*, actor, disclosure: Disclosure, reason: str) -> Disclosure:
    """Withdraw a published disclosure. It keeps its URL and says it was withdrawn,
    when and why; nothing is deleted."""
    if not reason.strip():
        raise TransitionError(_("A withdrawal needs a reason."))
    with transaction.atomic():
        disclosure = _locked(disclosure)
        _require(actor, "withdraw", disclosure)
        if disclosure.current_revision_id is None:
            raise TransitionError(_("Only a published disclosure can be withdrawn."))
        _expect(disclosure, Status.PUBLISHED, Status.DRAFT, Status.IN_REVIEW, Status.IN_COORDINATOR_REVIEW, Status.APPROVED)
        disclosure.withdrawn_at = timezone.now()
        disclosure.withdrawn_reason = reason
        page_cache.invalidate_on_commit()
        return _move(disclosure, actor, Status.WITHDRAWN, "withdrawn", reason=reason)


def data_table_confirm_masking(*, actor, table: DataTable) -> DataTable:
    """Record that ``actor`` has checked the masked preview of a data table; a
    disclosure is published only when every one of its tables is confirmed."""
    with transaction.atomic():
        table = DataTable.objects.select_for_update().get(pk=table.pk)
        disclosure = _locked(table.disclosure)
        _require(actor, "change", disclosure)
        _expect(disclosure, Status.DRAFT)
        table.masking_confirmed_by = actor
        table.masking_confirmed_at = timezone.now()
        table.save(update_fields=["masking_confirmed_by", "masking_confirmed_at"])
        record_event(
            actor=actor, subject=disclosure, verb="table_masking_confirmed", table=table.pk, columns=table.masked_columns
        )
        return table
