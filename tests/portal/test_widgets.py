"""QuickSelect writes the markup Django's Select writes (issue 15: it only skips the
templates)."""

import re

import pytest
from django import forms

from portal.widgets import QuickSelect


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


CHOICES = [("", "全部"), ("a", "財政局 & <稅務>"), ("b", 'say "hi"'), ("Group", [("c", "丙"), ("d", "丁")])]


@pytest.mark.parametrize("value", [None, "", "a", "d", "missing"])
@pytest.mark.parametrize("attrs", [None, {"id": "id_department", "aria-describedby": "help", "required": True}])
def test_the_same_markup_as_djangos_select(value, attrs):
    ours = QuickSelect(choices=CHOICES).render("department", value, attrs)
    django = forms.Select(choices=CHOICES).render("department", value, attrs)
    assert _tight(ours) == _tight(django)
    assert "&lt;稅務&gt;" in ours and "<稅務>" not in ours  # labels escaped


@pytest.mark.django_db
def test_the_public_filters_offer_every_department_and_keep_the_choice(client):
    from tests.approvals.factories import establish

    items = [establish(), establish()]
    chosen = items[1].department
    page = client.get("/approvals/", {"department": chosen.code}).content.decode()
    select = re.search(r'<select name="department"[^>]*>(.*?)</select>', page, re.S)
    assert select, page
    assert f'<option value="{chosen.code}" selected>' in select.group(1)
    assert f'<option value="{items[0].department.code}">' in select.group(1)
