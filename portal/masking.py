"""Detecting and masking personal numbers in published tables (DESIGN §3.2).

PRC ID-card numbers, mobile phone numbers and bank-account or card numbers are found
by their content (an ID number must carry a valid check digit and birth date) or by
the words of a column's header, and masked so that a recipient can still recognise
their own line: ID 610921********1234, phone 138****5678, account ***************1234.

Pure functions on strings, usable by any app that publishes a list of people.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ID_CARD = "id_card", _("ID-card number")
    PHONE = "phone", _("Phone number")
    ACCOUNT = "account", _("Bank account or card number")


#: Header words that mark a column, in Traditional and Simplified Chinese. Checked in this order.
HEADER_WORDS = {
    Kind.ID_CARD: ("身份證", "身份证", "證件", "证件"),
    Kind.PHONE: ("電話", "电话", "手機", "手机", "聯繫方式", "联系方式"),
    Kind.ACCOUNT: ("銀行", "银行", "賬號", "账号", "帳號", "帐号", "卡號", "卡号"),
}

#: Share of a column's non-empty cells that must hold such numbers for the column to be masked.
CONTENT_THRESHOLD = 0.5

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SEPARATORS = re.compile(r"[\s\-]")
_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
_ACCOUNT = re.compile(r"\d{12,19}")
# Numbers inside free text; the look-arounds keep them from matching part of a longer number.
_EMBEDDED_ID = re.compile(r"(?<!\d)(?<!\d\.)(\d{17}[\dXx]|\d{15})(?![\dXx])(?!\.\d)")
_EMBEDDED_MOBILE = re.compile(r"(?<!\d)(?<!\d\.)1[3-9]\d{9}(?!\d)(?!\.\d)")


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", value or "").upper()


def _valid_birth_date(text: str) -> bool:
    try:
        born = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return born.year >= 1900


def is_id_card(value: str) -> bool:
    """An 18-digit resident ID number with a valid check digit and birth date, or the old
    15-digit form with a valid birth date."""
    number = _compact(value)
    if re.fullmatch(r"\d{17}[\dX]", number):
        total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS))
        return _ID_CHECK[total % 11] == number[17] and _valid_birth_date(number[6:14])
    if re.fullmatch(r"\d{15}", number):
        return _valid_birth_date("19" + number[6:12])
    return False


def is_mobile(value: str) -> bool:
    """A mainland mobile number, 1[3-9] and nine digits, with or without +86."""
    return _MOBILE.fullmatch(_compact(value)) is not None


def is_bank_account(value: str) -> bool:
    """Twelve to nineteen digits, spaces and hyphens allowed between them."""
    return _ACCOUNT.fullmatch(_compact(value)) is not None


_TESTS = {Kind.ID_CARD: is_id_card, Kind.PHONE: is_mobile, Kind.ACCOUNT: is_bank_account}


def _keep(number: str, first: int, last: int) -> str:
    hidden = len(number) - first - last
    if hidden <= 0:  # too short to show anything safely
        return "*" * len(number)
    return number[:first] + "*" * hidden + number[len(number) - last :]


def mask_id_card(value: str) -> str:
    """610921199003071234 → 610921********1234."""
    return _keep(_compact(value), 6, 4) if value else value


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; other numbers keep only their last four digits."""
    if not value:
        return value
    number = _compact(value)
    mobile = _MOBILE.fullmatch(number)
    if mobile:
        return _keep(mobile.group(1), 3, 4)
    return _keep(number, 0, 4)


def mask_account(value: str) -> str:
    """6222021234567890123 → ***************0123."""
    return _keep(_compact(value), 0, 4) if value else value


_MASKS = {Kind.ID_CARD: mask_id_card, Kind.PHONE: mask_phone, Kind.ACCOUNT: mask_account}


def mask(value: str, kind: Kind | str) -> str:
    """Mask ``value`` as a number of ``kind``. A cell without any digit (“無”, “—”) is kept."""
    if not any(char.isdigit() for char in value or ""):
        return value
    return _MASKS[Kind(kind)](value)


def mask_in_text(text: str) -> str:
    """Mask valid ID numbers and mobile numbers that appear inside free text
    (“聯繫人 13812345678”). Bank accounts are not looked for here: in free text a long
    number is as often a document or contract number."""
    if not text or not any(char.isdigit() for char in text):
        return text
    text = _EMBEDDED_ID.sub(lambda m: mask_id_card(m.group(0)) if is_id_card(m.group(0)) else m.group(0), text)
    return _EMBEDDED_MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


def mask_lone(value: str) -> str:
    """Mask a value whose column says nothing (a header cell, a form field): as whatever
    kind of number it wholly is, else the ID and mobile numbers in its text."""
    for kind, test in _TESTS.items():
        if test(value):
            return mask(value, kind)
    return mask_in_text(value)


def kind_from_header(header: str) -> Kind | None:
    for kind, words in HEADER_WORDS.items():
        if any(word in (header or "") for word in words):
            return kind
    return None


def kind_from_values(values: Iterable[str]) -> Kind | None:
    """The kind most cells of a column hold, if at least half of its non-empty cells do.

    ID numbers are tested first: an 18-digit ID is also 12–19 digits long."""
    filled = [value for value in values if value and value.strip()]
    if not filled:
        return None
    for kind, test in _TESTS.items():
        if sum(1 for value in filled if test(value)) / len(filled) >= CONTENT_THRESHOLD:
            return kind
    return None


@dataclass(frozen=True)
class MaskedColumn:
    index: int
    kind: Kind
    found_by: str  # "header" or "content"

    def as_dict(self) -> dict:
        return {"index": self.index, "kind": str(self.kind), "found_by": self.found_by}


def detect_column(index: int, header: str, values: Sequence[str]) -> MaskedColumn | None:
    """Why column ``index`` must be masked, if it must. A header word is enough as soon as
    one cell holds digits (an “ID type” column of words is left alone)."""
    by_header = kind_from_header(header)
    if by_header and any(any(char.isdigit() for char in value) for value in values):
        return MaskedColumn(index, by_header, "header")
    by_content = kind_from_values(values)
    if by_content:
        return MaskedColumn(index, by_content, "content")
    return None


def mask_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> tuple[list[list[str]], list[MaskedColumn]]:
    """Masked copies of ``rows`` and the columns that were masked. Cells of the other
    columns still have ID and mobile numbers masked where they appear in text."""
    columns = []
    for index, name in enumerate(header):
        found = detect_column(index, name, [row[index] if index < len(row) else "" for row in rows])
        if found:
            columns.append(found)
    kinds = {column.index: column.kind for column in columns}
    masked = [
        [mask(cell, kinds[index]) if index in kinds else mask_in_text(cell) for index, cell in enumerate(row)]
        for row in rows
    ]
    return masked, columns
