"""Published revisions are immutable in the database, and the hash chain exposes tampering."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from disclosures.models import Revision
from disclosures.models.ledger import ImmutableRevisionError
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(department_a, publisher_a, reviewer_a, publish):
    revisions = [publish(DisclosureFactory(department=department_a), publisher_a, reviewer_a) for _ in range(3)]
    return revisions


def tamper(sql, params):
    """Edit a row behind the application's back, as a careless operator would: switch the
    immutability trigger off, update, switch it back on."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks may block ALTER TABLE
            cursor.execute("ALTER TABLE disclosures_revision DISABLE TRIGGER disclosures_revision_immutable")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE disclosures_revision ENABLE TRIGGER disclosures_revision_immutable")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'disclosures_revision_no_update'")
            (trigger_sql,) = cursor.fetchone()
            cursor.execute("DROP TRIGGER disclosures_revision_no_update")
            cursor.execute(sql, params)
            cursor.execute(trigger_sql)


def test_the_model_refuses_to_change_a_published_revision(chain):
    revision = Revision.objects.get(pk=chain[0].pk)
    revision.title = "改過的標題"
    with pytest.raises(ImmutableRevisionError):
        revision.save()
    with pytest.raises(ImmutableRevisionError):
        revision.delete()


def test_the_database_refuses_an_update_of_content(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        Revision.objects.filter(pk=chain[0].pk).update(title="靜默修改")
    assert Revision.objects.get(pk=chain[0].pk).title == chain[0].title


def test_the_database_refuses_a_delete(chain):
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM disclosures_revision WHERE id = %s", [chain[1].pk])
    assert Revision.objects.filter(pk=chain[1].pk).exists()


def test_superseding_is_the_one_change_allowed(chain):
    assert Revision.objects.filter(pk=chain[0].pk).update(superseded_at=chain[1].published_at) == 1
    assert Revision.objects.get(pk=chain[0].pk).superseded_at == chain[1].published_at


def test_verify_ledger_passes_on_an_intact_chain(chain, capsys):
    call_command("verify_ledger")
    assert "3 published revisions verified" in capsys.readouterr().out


def test_verify_ledger_reports_the_first_edited_row(chain):
    tamper("UPDATE disclosures_revision SET body = %s WHERE id = %s", ["<p>改過</p>", chain[1].pk])
    with pytest.raises(CommandError) as error:
        call_command("verify_ledger")
    assert f"sequence {chain[1].sequence}" in str(error.value)
    assert "edited" in str(error.value)


def test_verify_ledger_notices_a_rehashed_row_breaks_the_next_link(chain):
    """Recomputing the edited row's own hash is not enough: the next revision names the old one."""
    edited = Revision.objects.get(pk=chain[0].pk)
    edited.body = "<p>偽造</p>"
    new_hash = edited.compute_hash()
    tamper("UPDATE disclosures_revision SET body = %s, entry_hash = %s WHERE id = %s", [edited.body, new_hash, edited.pk])
    with pytest.raises(CommandError) as error:
        call_command("verify_ledger")
    assert f"sequence {chain[1].sequence}" in str(error.value)
    assert "previous hash" in str(error.value)
