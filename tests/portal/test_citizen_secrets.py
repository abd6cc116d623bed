"""Secrets handed to citizens: an alphabet without look-alikes, grouped for reading, forgiving
on input, stored hashed, and secrets issued before this alphabet still accepted."""

import re
import secrets

import pytest
from django.contrib.auth.hashers import make_password

from portal import citizen_secrets

SECRET_FORMAT = re.compile(r"[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{4}")


def test_a_secret_is_three_groups_of_four_without_confusable_characters():
    issued = [citizen_secrets.new_secret() for _ in range(2000)]
    assert all(SECRET_FORMAT.fullmatch(secret) for secret in issued)
    used = set("".join(issued).replace("-", ""))
    assert used.isdisjoint("01OIL") and used.isdisjoint("0O1lI")  # nothing to misread
    assert used == set(citizen_secrets.ALPHABET)  # …and the whole alphabet is drawn from
    assert len(set(issued)) == len(issued)


def test_the_alphabet_is_crockford_base32_without_zero_and_one():
    crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    assert citizen_secrets.ALPHABET == crockford.replace("0", "").replace("1", "")
    assert len(citizen_secrets.ALPHABET) ** citizen_secrets.LENGTH > 2**58


@pytest.mark.parametrize("typed", [
    "K7Q2-M9XD-4HTW", "k7q2m9xd4htw", " k7q2 m9xd 4htw ", "K7Q2–M9XD—4HTW", "K7Q2－M9XD－4HTW",
    "ｋ７ｑ２　ｍ９ｘｄ　４ｈｔｗ", "K7Q2_M9XD.4HTW",
])
def test_case_spaces_hyphens_and_full_width_forms_are_forgiven(typed):
    assert citizen_secrets.normalise(typed) == "K7Q2-M9XD-4HTW"


@pytest.mark.parametrize("typed", ["", None, "K7Q2-M9XD-4HT", "K7Q2-M9XD-4HTWX", "K7Q2-M9XD-4HT0", "K7Q2-M9XD-4HTO",
                                   "<script>alert(1)</script>", "K7Q2-M9XD-4HT\x00", "1" * 10_000])
def test_what_cannot_be_a_secret_is_refused(typed):
    assert citizen_secrets.normalise(typed) is None


def test_a_secret_is_stored_hashed_and_matched_however_it_is_typed():
    stored = citizen_secrets.hashed("K7Q2-M9XD-4HTW")
    assert "K7Q2" not in stored and "M9XD" not in stored
    assert citizen_secrets.matches("k7q2 m9xd 4htw", stored)
    assert not citizen_secrets.matches("K7Q2-M9XD-4HTX", stored)
    assert not citizen_secrets.matches("", stored) and not citizen_secrets.matches(None, stored)
    assert not citizen_secrets.matches("K7Q2-M9XD-4HTW", "")  # nothing stored: nothing matches


def test_a_secret_issued_before_this_alphabet_still_matches_exactly_as_issued():
    """Anonymous complaints filed before got ``token_urlsafe`` secrets: case-sensitive."""
    old = secrets.token_urlsafe(12)
    stored = make_password(old)
    assert citizen_secrets.matches(old, stored) and citizen_secrets.matches(f"  {old} ", stored)
    flipped = old.swapcase()
    assert flipped == old or not citizen_secrets.matches(flipped, stored)
