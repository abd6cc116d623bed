"""Reading a standard catalogue's time limit as written (公開時限) into the rule the deadline
engine counts: a cadence and a number of working days (``disclosures.compliance``).

County catalogues write the time limit in a handful of phrasings. What each becomes is
the table in docs/catalogue.md; in short:

* "…20個工作日內" — 20 working days from the information forming or changing (standing);
* "…7日內" / "7天內" — calendar days, converted to working days (five of every seven,
  at least one), because the engine counts working days;
* "按年度" / "每季度" / "每月" / "每半年" — periodic: the county's default working days after
  the period ends ("每半年" is counted as two quarters' worth: yearly twice is not a cadence
  the engine has, so it is read as quarterly, which is never later than the obligation);
* "及時公開", "實時公開" and anything not understood — the county's defaults
  (``GONGKAI_CATALOGUE_PROMPT_DAYS``, ``…_REAL_TIME_DAYS``, ``…_DEFAULT_DAYS``), and the
  entry says so (``time_limit_rule``), so the page can show the figure as a default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

from disclosures.models import Cadence, TimeLimitRule
from portal.chinese import to_traditional

_DIGITS = {"一": 1, "二": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUMBER = r"(\d+|[一二兩三四五六七八九十]+)"
_WORKING_DAYS = re.compile(_NUMBER + r"\s*個?\s*工作日")
_CALENDAR_DAYS = re.compile(_NUMBER + r"\s*(?:個自然日|自然日|日|天)(?:以內|之內|內)")
_PERIODIC = [
    (re.compile(r"半年"), Cadence.QUARTERLY),
    (re.compile(r"季度?"), Cadence.QUARTERLY),
    (re.compile(r"(?:按|每)月|月度|月報"), Cadence.MONTHLY),
    (re.compile(r"年度|每年|按年|年報"), Cadence.YEARLY),
]
_REAL_TIME = re.compile(r"實時|即時")
_PROMPT = re.compile(r"及時|隨時|第一時間|適時")


@dataclass(frozen=True)
class TimeLimit:
    cadence: str
    days: int
    rule: str

    @property
    def is_default(self) -> bool:
        return self.rule in DEFAULT_RULES


DEFAULT_RULES = frozenset({
    TimeLimitRule.PERIODIC, TimeLimitRule.PROMPT_DEFAULT, TimeLimitRule.REAL_TIME_DEFAULT,
    TimeLimitRule.UNPARSED_DEFAULT,
})


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):  # 十五 = 15
        return 10 + (_DIGITS.get(text[1:], 0) if len(text) > 1 else 0)
    if "十" in text:  # 二十 = 20, 二十五 = 25
        tens, _, ones = text.partition("十")
        return _DIGITS.get(tens, 0) * 10 + (_DIGITS.get(ones, 0) if ones else 0)
    return _DIGITS.get(text, 0)


def parse(text: str) -> TimeLimit:
    """The rule for a time limit as written (Simplified or Traditional)."""
    written = to_traditional(re.sub(r"\s+", "", text or ""))
    match = _WORKING_DAYS.search(written)
    if match and _number(match.group(1)) > 0:
        return TimeLimit(_cadence(written, Cadence.STANDING), min(_number(match.group(1)), 366), TimeLimitRule.WORKING_DAYS)
    match = _CALENDAR_DAYS.search(written)
    if match and _number(match.group(1)) > 0:
        days = max(1, _number(match.group(1)) * 5 // 7)
        return TimeLimit(_cadence(written, Cadence.STANDING), min(days, 366), TimeLimitRule.CALENDAR_DAYS)
    for pattern, cadence in _PERIODIC:
        if pattern.search(written):
            return TimeLimit(cadence, settings.GONGKAI_CATALOGUE_DEFAULT_DAYS, TimeLimitRule.PERIODIC)
    if _REAL_TIME.search(written):
        return TimeLimit(Cadence.STANDING, settings.GONGKAI_CATALOGUE_REAL_TIME_DAYS, TimeLimitRule.REAL_TIME_DEFAULT)
    if _PROMPT.search(written):
        return TimeLimit(Cadence.STANDING, settings.GONGKAI_CATALOGUE_PROMPT_DAYS, TimeLimitRule.PROMPT_DEFAULT)
    return TimeLimit(Cadence.STANDING, settings.GONGKAI_CATALOGUE_DEFAULT_DAYS, TimeLimitRule.UNPARSED_DEFAULT)


def _cadence(written: str, default: str) -> str:
    """A count of days after a period ("每季度結束後10個工作日內") keeps the period."""
    for pattern, cadence in _PERIODIC:
        if pattern.search(written):
            return cadence
    return default
