"""Issue 16's simulation, kept: every registered deadline kind over a window with the
Spring Festival and its make-up Saturdays, the scan twice a day on a real worker, and the
faults — broker down a whole day, the worker killed with deliveries queued and during
delivery, two scans at once, a handling time changed, 2027 confirmed, an override
entered, nobody to tell. Each reminder is compared with an independent expectation
(tests/deadline_simulation.py).

CI runs the reduced window (a few minutes); ``GONGKAI_SIMULATION=full`` runs January to
May 2026 and prints the table written in bench/RESULTS.md.
"""

import datetime as dt
import os

import pytest

from portal.models import Reminder
from tests.deadline_simulation import Faults, Simulation

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

D = dt.date

REDUCED = (D(2026, 2, 9), D(2026, 3, 6), Faults(
    broker_down=D(2026, 2, 10),  # a Tuesday: its reminders must come the next day, marked late
    worker_killed_queued=D(2026, 2, 12),
    two_scans=D(2026, 2, 13),
    worker_killed_delivering=D(2026, 2, 24),  # the first working day after the Spring Festival
    rule_change=D(2026, 2, 25),
    override=(D(2026, 2, 25), D(2026, 3, 5), False),  # a Thursday made a day off
    year_confirmed=D(2026, 2, 26),
    nobody=(D(2026, 2, 27), D(2026, 3, 3)),
))

FULL = (D(2026, 1, 5), D(2026, 5, 29), Faults(
    broker_down=D(2026, 2, 10),
    worker_killed_queued=D(2026, 2, 12),
    two_scans=D(2026, 2, 13),
    worker_killed_delivering=D(2026, 3, 2),
    rule_change=D(2026, 3, 16),
    override=(D(2026, 4, 1), D(2026, 4, 21), False),
    year_confirmed=D(2026, 4, 8),
    nobody=(D(2026, 4, 27), D(2026, 5, 6)),
))


def test_every_reminder_once_on_its_day_through_every_fault(reference_data, broker_url, tmp_path, capsys):
    """(``broker_url``: the Celery app is pointed back at the configured broker afterwards;
    the simulation runs its own Redis, stopped at the end.)"""
    first, last, faults = FULL if os.environ.get("GONGKAI_SIMULATION") == "full" else REDUCED
    simulation = Simulation(first, last, faults, tmp_path)
    simulation.build()
    simulation.run()
    table = simulation.compare()
    with capsys.disabled():
        print(f"\nDeadline simulation {first} – {last}\n" + "\n".join(table.faults) + "\n\n" + table.markdown())
    assert table.problems[:20] == []
    assert (table.missed, table.duplicated, table.wrong_day, table.unexpected) == (0, 0, 0, 0)
    assert (table.silent_sent, table.not_delivered, table.late_unmarked) == (0, 0, 0)
    assert table.late > 0  # the day without the broker was caught up, and said so
    assert table.fallen_back > 0 and table.undeliverable > 0  # the empty audiences went up the chain, or were recorded
    assert Reminder.objects.undeliverable().count() == table.undeliverable
