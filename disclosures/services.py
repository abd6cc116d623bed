"""The disclosure lifecycle (DESIGN §3.2): draft → in pre-review → approved → published →
superseded | withdrawn. Every step is one function here; admin actions, views and commands
call them and change nothing on their own.

Each step runs through the state machine in ``disclosures.workflows`` (``portal.workflow``),
which locks the row, checks the actor's permission and the current state, and writes the
event in the same transaction; the functions here add what is particular to the step —
the review record the seed's 預審備案 asks for, the revision and its ledger entry.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosures import compliance, ledger
from disclosures.models import CatalogueEntry, DataTable, Disclosure, ReviewRecord, Revision, Scope, Status
from disclosures.events import DisclosureEvent
from disclosures.workflows import DISCLOSURE

#: Working days to publish information that no catalogue entry covers (the statutory figure).
STATUTORY_DAYS = 20
from portal import page_cache
from portal.calendar import WorkingCalendar
from portal.permissions import can, may_add_to
from portal.workflow import TransitionError

__all__ = [
    "TransitionError",
    "data_table_confirm_masking",
    "disclosure_amend",
    "disclosure_approve",
    "disclosure_publish",
    "disclosure_return",
    "disclosure_save",
    "disclosure_submit",
    "disclosure_withdraw",
]


def disclosure_save(
    *, actor, disclosure: Disclosure, fields: list[str] | tuple[str, ...] = (), source: str = "admin"
) -> Disclosure:
    """Save a new draft or the edits to a draft (the admin form, an import row). The event
    names the fields changed and where the change came from; simple-history keeps the values."""
    if disclosure.category_id and disclosure.category.is_internal:
        disclosure.scope = Scope.INTERNAL  # the category decides
    if disclosure.pk is None:
        with DISCLOSURE.step("create", disclosure, actor=actor, source=source) as step:
            step.obj.created_by = actor if getattr(actor, "is_authenticated", False) else None
        return step.obj
    with DISCLOSURE.step("edit", disclosure, actor=actor, fields=sorted(fields), source=source) as step:
        locked = step.obj
        if disclosure.department_id != locked.department_id and not may_add_to(actor, Disclosure, disclosure.department_id):
            raise PermissionDenied(_("You may not move a disclosure to a department that is not yours."))
        # The edits are the caller's object; the state and the published revision are the locked row's.
        disclosure.status, disclosure.current_revision_id = locked.status, locked.current_revision_id
        step.obj = disclosure
    return disclosure


def disclosure_submit(*, actor, disclosure: Disclosure) -> Disclosure:
    """Send a draft to pre-review (預審)."""
    with DISCLOSURE.step("submit", disclosure, actor=actor) as step:
        step.obj.submitted_by = actor
        ReviewRecord.objects.create(
            disclosure=step.obj, reviewer=actor, decision=ReviewRecord.Decision.SUBMITTED, scope=step.obj.scope
        )
    return step.obj


def disclosure_approve(*, actor, disclosure: Disclosure, scope: Scope | str | None = None, comment: str = "") -> Disclosure:
    """Approve in pre-review, deciding the scope (public / internal).

    A publisher cannot approve what they submitted. If the department needs the
    coordinator's review as well, the department's approval forwards it to the
    coordinator, whose approval completes it.
    """
    name = "complete_review" if _current_status(disclosure) == Status.IN_COORDINATOR_REVIEW else "approve"
    with DISCLOSURE.step(name, disclosure, actor=actor) as step:
        disclosure = step.obj
        if disclosure.submitted_by_id == actor.pk:
            raise PermissionDenied(_("You cannot approve a disclosure you submitted yourself."))
        if scope:
            disclosure.scope = Scope(scope)
        _refuse_public_internal(disclosure)
        forward = (
            name == "approve"
            and disclosure.department.requires_coordinator_review
            and not can(actor, "coordinate", disclosure)
        )
        decision = ReviewRecord.Decision.FORWARDED if forward else ReviewRecord.Decision.APPROVED
        ReviewRecord.objects.create(
            disclosure=disclosure, reviewer=actor, decision=decision, scope=disclosure.scope, comment=comment
        )
        if forward:
            step.to, step.event = Status.IN_COORDINATOR_REVIEW, DisclosureEvent.FORWARDED
        step.payload["scope"] = disclosure.scope
    return disclosure


def _refuse_public_internal(disclosure: Disclosure) -> None:
    if disclosure.scope == Scope.PUBLIC and disclosure.category.is_internal:
        raise TransitionError(
            _("“%(category)s” is an internal category: a notice filed there is internal and cannot be made public.")
            % {"category": disclosure.category}
        )


def _current_status(disclosure: Disclosure) -> str:
    """The state in the database (the caller's object may be stale); the step locks and checks it again."""
    return Disclosure.objects.filter(pk=disclosure.pk).values_list("status", flat=True).first() or ""


def disclosure_return(*, actor, disclosure: Disclosure, comment: str) -> Disclosure:
    """Return a disclosure in review to its department with a comment saying what to fix."""
    if not comment.strip():
        raise TransitionError(_("Say why the disclosure is returned."))
    with DISCLOSURE.step("return_to_department", disclosure, actor=actor, comment=comment) as step:
        ReviewRecord.objects.create(
            disclosure=step.obj,
            reviewer=actor,
            decision=ReviewRecord.Decision.RETURNED,
            scope=step.obj.scope,
            comment=comment,
        )
    return step.obj


def publication_due(disclosure: Disclosure, calendar: WorkingCalendar | None = None):
    """The day by which ``disclosure`` had to be published: the working days its catalogue
    entry allows (the statutory 20 without one) after the information formed."""
    days = disclosure.catalogue_entry.days_allowed if disclosure.catalogue_entry_id else STATUTORY_DAYS
    return (calendar or WorkingCalendar()).add_working_days(disclosure.formed_on, days).date


def disclosure_publish(*, actor, disclosure: Disclosure) -> Revision:
    """Publish an approved disclosure: write an immutable revision, chain it in the
    ledger, and make it the one the public reads (the previous one is superseded).

    Its data tables go into the revision masked, and only once the publisher has
    confirmed the masking of each."""
    with DISCLOSURE.step("publish", disclosure, actor=actor) as step:
        disclosure = step.obj
        _refuse_public_internal(disclosure)
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
                catalogue_entry_id=disclosure.catalogue_entry_id,
                issuing_body=disclosure.issuing_body,
                written_on=disclosure.written_on,
                validity=disclosure.validity,
                repealed_on=disclosure.repealed_on,
                normative=disclosure.normative,
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
        if previous is None:
            disclosure.first_published_on = timezone.localdate(now)
            disclosure.publication_due_on = publication_due(disclosure)
        step.payload.update(revision=revision.number, hash=revision.entry_hash)
        page_cache.invalidate_on_commit()
    if disclosure.catalogue_entry_id:
        compliance.refresh(CatalogueEntry.objects.filter(pk=disclosure.catalogue_entry_id))
    return revision


def disclosure_amend(*, actor, disclosure: Disclosure) -> Disclosure:
    """Open a published disclosure for amendment. The public keeps reading the current
    revision; the amendment becomes revision n+1 only after review and publication."""
    with DISCLOSURE.step("amend", disclosure, actor=actor) as step:
        page_cache.invalidate_on_commit()
    return step.obj


def disclosure_withdraw(*, actor, disclosure: Disclosure, reason: str) -> Disclosure:
    """Withdraw a published disclosure. It keeps its URL and says it was withdrawn,
    when and why; nothing is deleted."""
    if not reason.strip():
        raise TransitionError(_("A withdrawal needs a reason."))
    with DISCLOSURE.step("withdraw", disclosure, actor=actor, reason=reason) as step:
        if step.obj.current_revision_id is None:
            raise TransitionError(_("Only a published disclosure can be withdrawn."))
        step.obj.withdrawn_at = timezone.now()
        step.obj.withdrawn_reason = reason
        page_cache.invalidate_on_commit()
    return step.obj


def data_table_confirm_masking(*, actor, table: DataTable) -> DataTable:
    """Record that ``actor`` has checked the masked preview of a data table; a
    disclosure is published only when every one of its tables is confirmed."""
    with DISCLOSURE.step("confirm_masking", table.disclosure, actor=actor) as step:
        table = DataTable.objects.select_for_update().get(pk=table.pk)
        table.masking_confirmed_by = actor
        table.masking_confirmed_at = timezone.now()
        table.save(update_fields=["masking_confirmed_by", "masking_confirmed_at"])
        step.payload.update(table=table.pk, columns=table.masked_columns)
    return table
