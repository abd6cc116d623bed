"""One core for state changes (portal.workflow), permissions (portal.permissions) and events
(portal.events): every state change locks, checks, moves and records in one place."""

import importlib
import threading

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import translation

from approvals.models import Application, ApprovalItem, FeeItem, RectificationCase
from disclosures import services
from disclosures.models import Disclosure, Status
from portal import events, workflow
from portal.models import Event
from portal.permissions import READ, scope
from supervision.models import Complaint
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(department_a, publisher_a):
    return DisclosureFactory(department=department_a, created_by=publisher_a)


def test_every_model_with_a_lifecycle_has_one_registered_workflow():
    for model in (Disclosure, Complaint, ApprovalItem, FeeItem, Application, RectificationCase):
        machine = workflow.for_model(model)
        assert machine is not None and machine.model is model
        for transition in machine.transitions.values():
            assert events.kind_of(transition.event.value) is transition.event


def test_event_kinds_are_unique_named_and_translated():
    kinds = events.kinds()
    assert len({kind.value for kind in kinds}) == len(kinds) > 40
    assert all(kind.value.count(".") == 1 for kind in kinds)
    with translation.override("zh-hant"):
        untranslated = [kind.value for kind in kinds if str(kind.label).isascii()]
    assert untranslated == []


def test_an_unregistered_event_kind_is_refused(draft, publisher_a):
    class Stray(events.EventKind):
        INVENTED = "disclosure.invented", "invented"

    with pytest.raises(ValueError):
        events.record(Stray.INVENTED, actor=publisher_a, subject=draft)


def test_a_step_records_a_typed_event_with_actor_states_and_payload(draft, publisher_a):
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    event = Event.objects.get(content_type=ContentType.objects.get_for_model(Disclosure), object_id=str(draft.pk))
    assert (event.kind, event.actor, event.from_state, event.to_state) == (
        "disclosure.submitted", publisher_a, Status.DRAFT, Status.IN_REVIEW,
    )
    with translation.override("zh-hant"):
        assert event.kind_label == "已送預審"


def test_a_refused_step_changes_nothing_and_records_nothing(draft, publisher_b):
    with pytest.raises(PermissionDenied):
        services.disclosure_submit(actor=publisher_b, disclosure=draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert not events.events_for(draft).exists()


def test_a_step_from_the_wrong_state_says_which_states_it_needs(draft, publisher_a):
    with pytest.raises(workflow.TransitionError) as refused, translation.override("en"):
        services.disclosure_amend(actor=publisher_a, disclosure=draft)
    assert "Draft" in refused.value.messages[0] and "Published" in refused.value.messages[0]


def test_available_steps_follow_state_and_permission(draft, publisher_a, reviewer_a, publisher_b):
    machine = workflow.for_model(Disclosure)
    assert [t.name for t in machine.available(publisher_a, draft)] == ["edit", "confirm_masking", "submit"]
    assert machine.available(publisher_b, draft) == []
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    draft.refresh_from_db()
    assert [t.name for t in machine.available(reviewer_a, draft)] == ["approve", "return_to_department"]
    assert "approve" not in [t.name for t in machine.available(publisher_a, draft)]


def test_the_change_page_offers_the_steps_the_user_may_take_and_runs_them(client, draft, publisher_a, reviewer_a):
    client.force_login(publisher_a)
    page = client.get(reverse("admin:disclosures_disclosure_change", args=[draft.pk])).content.decode()
    assert 'value="submit"' in page and 'value="approve"' not in page
    response = client.post(
        reverse("admin:disclosures_disclosure_changelist"),
        {"action": "submit", "_selected_action": draft.pk, "index": 0, "select_across": 0, "_back_to_object": 1},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:disclosures_disclosure_change", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    client.force_login(reviewer_a)
    page = client.get(reverse("admin:disclosures_disclosure_change", args=[draft.pk])).content.decode()
    assert 'value="approve"' in page and "?step=approve" in page  # one click, or with a comment on its own page
    assert 'value="submit"' not in page


def test_the_changelist_offers_only_actions_the_role_allows(client, draft, publisher_a, reviewer_a):
    client.force_login(publisher_a)
    choices = dict(client.get(reverse("admin:disclosures_disclosure_changelist")).context["action_form"].fields["action"].choices)
    assert "submit" in choices and "approve" not in choices and "complete_review" not in choices
    client.force_login(reviewer_a)
    choices = dict(client.get(reverse("admin:disclosures_disclosure_changelist")).context["action_form"].fields["action"].choices)
    assert "approve" in choices and "submit" not in choices


def test_the_api_says_which_steps_the_signed_in_user_may_take(client, draft, publisher_a, reviewer_a, publisher_b):
    url = reverse("api-steps", args=["disclosures.disclosure", draft.pk])
    assert client.get(url).status_code == 404  # anonymous: nothing to see
    client.force_login(publisher_b)
    assert client.get(url).status_code == 404  # another department's draft
    client.force_login(publisher_a)
    answer = client.get(url).json()
    assert answer["state"] == "draft" and [step["name"] for step in answer["steps"]] == ["edit", "confirm_masking", "submit"]
    client.force_login(reviewer_a)
    assert client.get(url).json()["steps"] == []  # a reviewer waits for the submission
    assert client.get(reverse("api-steps", args=["portal.department", 1])).status_code == 404  # no workflow


def test_the_history_page_reads_the_events(client, draft, publisher_a):
    services.disclosure_submit(actor=publisher_a, disclosure=draft)
    client.force_login(publisher_a)
    with translation.override("zh-hant"):
        page = client.get(reverse("admin:disclosures_disclosure_history", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant")
    html = page.content.decode()
    assert page.status_code == 200 and "已送預審" in html and "publisher_a" in html


def test_the_public_reads_the_published_revisions_scope_not_the_working_copys(
    draft, publisher_a, reviewer_a, publish
):
    """Issue #11.1 replayed: opening a public notice for amendment and setting the draft
    internal must not take it down; the reverse must not make an internal one public."""
    publish(draft, publisher_a, reviewer_a)
    services.disclosure_amend(actor=publisher_a, disclosure=draft)
    Disclosure.objects.filter(pk=draft.pk).update(scope="internal")
    assert scope(AnonymousUser(), Disclosure.objects.all(), READ).filter(pk=draft.pk).exists()

    internal = DisclosureFactory(department=draft.department, scope="internal")
    publish(internal, publisher_a, reviewer_a)
    services.disclosure_amend(actor=publisher_a, disclosure=internal)
    Disclosure.objects.filter(pk=internal.pk).update(scope="public")
    assert not scope(AnonymousUser(), Disclosure.objects.all(), READ).filter(pk=internal.pk).exists()
    assert scope(publisher_a, Disclosure.objects.all(), READ).filter(pk=internal.pk).exists()


def test_old_event_names_are_migrated_to_the_typed_vocabulary(draft):
    content_type = ContentType.objects.get_for_model(Disclosure)
    old = Event.objects.create(kind="submitted", content_type=content_type, object_id=str(draft.pk))
    migration = importlib.import_module("disclosures.migrations.0009_event_kind_names").Migration
    rename = migration.operations[0]
    rename.code(django_apps, None)
    old.refresh_from_db()
    assert old.kind == "disclosure.submitted"
    rename.reverse_code(django_apps, None)
    old.refresh_from_db()
    assert old.kind == "submitted"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_approve_once(reference_data, department_a, publisher_a, reviewer_a, make_staff):
    """The row lock: the second transaction waits, then finds the state moved on."""
    second = make_staff("reviewer_a2", "reviewer", department_a)
    disclosure = DisclosureFactory(department=department_a, created_by=publisher_a)
    services.disclosure_submit(actor=publisher_a, disclosure=disclosure)
    barrier, outcomes = threading.Barrier(2), []

    def approve(reviewer):
        try:
            barrier.wait()
            services.disclosure_approve(actor=reviewer, disclosure=Disclosure.objects.get(pk=disclosure.pk))
            outcomes.append("approved")
        except workflow.TransitionError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=approve, args=(reviewer,)) for reviewer in (reviewer_a, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    assert events.events_for(disclosure).filter(kind="disclosure.approved").count() == 1
