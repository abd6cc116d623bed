"""How an applicant appears outside the handling staff (DESIGN §3.4): a company's name in
full, a person's name masked; ID numbers and phones masked, never shown whole."""

from __future__ import annotations

from approvals.models import ApplicantKind
from portal.masking import mask_in_text, mask_lone, mask_phone


def mask_person_name(name: str) -> str:
    """張三 → 張*, 歐陽明華 → 歐***: the first character and a star for each other one."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    return name[0] + "*" * (len(name) - 1)


def public_name(kind: str, name: str) -> str:
    """The applicant as published: an organisation in full (with any personal number in its
    name masked), a person masked."""
    if kind == ApplicantKind.ORGANISATION:
        return mask_in_text(name)
    return mask_person_name(name)


def masked_id_number(number: str) -> str:
    """An ID number as handled by ``portal.masking`` (an organisation's code keeps its last four)."""
    masked = mask_lone(number or "")
    if masked == number and number:  # not recognised as a personal number: hide all but the end
        return "*" * max(len(number) - 4, 0) + number[-4:]
    return masked


def masked_phone(phone: str) -> str:
    return mask_phone(phone or "")
