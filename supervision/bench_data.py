"""Ten years of the supervision mailbox for the bench (``portal.bench_data``): at scale
1, 200,000 complaints, reports and suggestions, nearly all handled and closed."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.bench_data import County, copy_instances, first_id, reset_sequences
from supervision.models import Complaint
from supervision.models.complaints import Channel, Kind, Satisfaction, Status


def generate(county: County) -> int:
    departments, rand = county.shared["departments"], county.random
    today, first = timezone.localdate(), first_id(Complaint)
    complaints = []
    for n in range(county.count(200_000)):
        received_on = today - dt.timedelta(days=rand.randint(0, 3650))
        due_on = received_on + dt.timedelta(days=rand.randint(10, 30))
        status = rand.choices([Status.CLOSED, Status.REPLIED, Status.ASSIGNED, Status.RECEIVED, Status.DECLINED], [85, 5, 5, 3, 2])[0]
        if due_on > today and status == Status.CLOSED:
            status = Status.ASSIGNED
        closed_at = timezone.make_aware(dt.datetime.combine(received_on + dt.timedelta(days=rand.randint(1, 35)), dt.time(10)))
        department = rand.choice(departments)
        complaints.append(Complaint(
            pk=first + n, tracking_code=f"BENCH{first + n:015d}", kind=rand.choice(Kind.values),
            channel=rand.choice(Channel.values), department=department,
            assigned_department=department if status != Status.RECEIVED else None,
            summary=county.phrase(8, 30), details="".join(county.paragraphs(80, 600)),
            status=status, received_on=received_on, due_on=due_on,
            decline_reason="不屬於本機關職責範圍。" if status == Status.DECLINED else "",
            satisfaction=rand.choice(Satisfaction.values) if status == Status.CLOSED else "",
            replied_at=closed_at if status in (Status.CLOSED, Status.REPLIED) else None,
            closed_at=closed_at if status == Status.CLOSED else None,
            closed_on_time=(closed_at.date() <= due_on) if status == Status.CLOSED else None,
        ))
    copy_instances(Complaint, complaints)
    reset_sequences(Complaint)
    return len(complaints)
