"""Traditional/Simplified Chinese conversion (OpenCC).

Data is entered in Traditional Chinese (the default language); readers who chose
Simplified Chinese see it converted, and search folds both scripts together.
"""

from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s():
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t():
    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    return _t2s().convert(text) if text else text


def to_traditional(text: str) -> str:
    return _s2t().convert(text) if text else text


def for_language(text: str, language: str | None, english: str = "") -> str:
    """``text`` (Traditional) as shown to a reader of ``language``."""
    if not text:
        return text
    if language == "zh-hans":
        return to_simplified(text)
    if language == "en" and english:
        return english
    return text
