"""The disclosure lifecycle and who may take each step (DESIGN §3.2)."""

import pytest
from django.core.exceptions import PermissionDenied

from disclosures import services
from disclosures.models import ReviewRecord, Revision, Status
from portal.events import events_for
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(department_a, publisher_a):
    return DisclosureFactory(department=department_a, created_by=publisher_a)


def test_full_path_files_every_review_decision(draft, publisher_a, reviewer_a):
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    services.disclosure_approve(actor=reviewer_a, disclosure=draft, scope="public", comment="可以公開")
    revision = services.disclosure_publish(actor=publisher_a, disclosure=draft)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.current_revision == revision
    decisions = list(draft.reviews.values_list("decision", "reviewer__username", "scope", "comment"))
    assert decisions == [
        ("submitted", "publisher_a", "public", ""),
        ("approved", "reviewer_a", "public", "可以公開"),
    ]
    verbs = list(events_for(draft).order_by("pk").values_list("kind", "from_state", "to_state"))
    assert verbs == [
        ("disclosure.submitted", "draft", "in_review"),
        ("disclosure.approved", "in_review", "approved"),
        ("disclosure.published", "approved", "published"),
    ]


def test_a_publisher_cannot_approve_their_own_disclosure(draft, publisher_a, reviewer_a):
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(actor=publisher_a, disclosure=draft)


def test_a_reviewer_cannot_approve_what_they_submitted(draft, reviewer_a, coordinator):
    # The reviewer lacks change permission to submit; the coordinator submits and cannot approve it.
    services.disclosure_submit(actor=coordinator, disclosure=draft)
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(actor=coordinator, disclosure=draft)


def test_another_departments_reviewer_cannot_approve(draft, publisher_a, make_staff, department_b):
    other_reviewer = make_staff("reviewer_b", "reviewer", department_b)
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(actor=other_reviewer, disclosure=draft)


def test_another_departments_publisher_cannot_submit(draft, publisher_b):
    with pytest.raises(PermissionDenied):
        services.disclosure_submit(actor=publisher_b, disclosure=draft)


def test_nothing_is_published_without_approval(draft, publisher_a, reviewer_a):
    with pytest.raises(services.TransitionError):
        services.disclosure_publish(actor=reviewer_a, disclosure=draft)
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    with pytest.raises(services.TransitionError):
        services.disclosure_publish(actor=reviewer_a, disclosure=draft)
    assert not Revision.objects.exists()


def test_return_needs_a_comment_and_goes_back_to_draft(draft, publisher_a, reviewer_a):
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    with pytest.raises(services.TransitionError):
        services.disclosure_return(actor=reviewer_a, disclosure=draft, comment="  ")
    services.disclosure_return(actor=reviewer_a, disclosure=draft, comment="請補充附件")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.reviews.last().decision == ReviewRecord.Decision.RETURNED


def test_department_needing_coordinator_review_waits_for_the_coordinator(draft, department_a, publisher_a, reviewer_a, coordinator):
    department_a.requires_coordinator_review = True
    department_a.save()
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    services.disclosure_approve(actor=reviewer_a, disclosure=draft)
    draft.refresh_from_db()
    assert draft.status == Status.IN_COORDINATOR_REVIEW
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(actor=reviewer_a, disclosure=draft)
    services.disclosure_approve(actor=coordinator, disclosure=draft)
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED


def test_amendment_creates_revision_two_and_keeps_revision_one(draft, publisher_a, reviewer_a, publish):
    first = publish(draft, publisher_a, reviewer_a)
    services.disclosure_amend(actor=publisher_a, disclosure=draft)
    draft.refresh_from_db()
    draft.title = "關於公開2026年部門預算的通知(更正)"
    draft.save()
    # While the amendment is in draft, the public still reads revision 1.
    assert draft.current_revision == first
    second = publish(draft, publisher_a, reviewer_a)
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert first.title != second.title and first.superseded_at is not None
    assert second.previous_hash == first.entry_hash


def test_withdrawal_needs_a_reason_and_deletes_nothing(draft, publisher_a, reviewer_a, publish):
    publish(draft, publisher_a, reviewer_a)
    with pytest.raises(services.TransitionError):
        services.disclosure_withdraw(actor=reviewer_a, disclosure=draft, reason="")
    with pytest.raises(PermissionDenied):
        services.disclosure_withdraw(actor=publisher_a, disclosure=draft, reason="錯誤")
    services.disclosure_withdraw(actor=reviewer_a, disclosure=draft, reason="數據有誤,另行公布")
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN and draft.withdrawn_reason == "數據有誤,另行公布"
    assert draft.revisions.count() == 1


def test_supervisor_sees_but_cannot_act(draft, publisher_a, supervisor):
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    with pytest.raises(PermissionDenied):
        services.disclosure_approve(actor=supervisor, disclosure=draft)
