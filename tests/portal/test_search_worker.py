"""A publication's search entry is written by a real Celery worker, not by the publishing
request (issue 15: the request does not wait for the index); with the broker down it is
written by the web process after the commit, so nothing published misses the search."""

import pytest

from disclosures.models import Disclosure
from portal.models import SearchEntry
from tests.broker import use_broker, wait_for
from tests.factories import DisclosureFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def in_worker(settings, reference_data):
    settings.GONGKAI_SEARCH_INDEX_IN_WORKER = True


def _entries(disclosure):
    return SearchEntry.objects.filter(source="disclosures", object_id=disclosure.pk)


def test_the_publishing_request_leaves_the_index_to_the_worker(in_worker, broker_url, publish, publisher_a, reviewer_a,
                                                                 department_a):
    disclosure = DisclosureFactory(department=department_a, title="農機購置補貼公示")
    publish(disclosure, publisher_a, reviewer_a)
    assert Disclosure.objects.get(pk=disclosure.pk).current_public
    assert not _entries(disclosure).exists()  # queued, no worker yet

    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert wait_for(lambda: _entries(disclosure).exists(), 20)
    assert _entries(disclosure).get().title == "農機購置補貼公示"


def test_with_the_broker_down_the_entry_is_written_after_the_commit(in_worker, broker_url, publish, publisher_a,
                                                                      reviewer_a, department_a):
    use_broker("redis://127.0.0.1:1/0")  # nothing listens there
    disclosure = DisclosureFactory(department=department_a, title="低保資金發放公示")
    publish(disclosure, publisher_a, reviewer_a)
    assert _entries(disclosure).get().title == "低保資金發放公示"
