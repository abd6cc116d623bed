"""Shared by the information-request tests: filing a request as a service call."""

import datetime as dt

from disclosures.requests import services


def file_request(department, *, received_on=dt.date(2026, 9, 21), requester_type="person", name="張三",
                 email="", **extra):
    return services.request_file(
        department=department, requester_type=requester_type,
        identity=services.Identity(name=name, phone="0718-1234567", email=email, address="城關鎮五一路3號"),
        description=extra.pop("description", "2026年城關鎮五一村徵地補償款發放明細"),
        received_on=received_on, **extra,
    ).request
