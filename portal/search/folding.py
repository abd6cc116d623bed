"""Text folding and words: the one form that indexed text and queries are compared in.

Text is folded (NFKC, lower case, Traditional → Simplified with OpenCC, since jieba's
dictionary is Simplified) and segmented with jieba; the original is kept for display.
Identifiers such as document numbers (漢政發〔2007〕12號) also become one whole word.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

from portal.chinese import to_simplified

#: Identifiers indexed whole are cut to this length.
MAX_KEYWORD_LENGTH = 60
#: Longer "words" (a run of letters without a break) are dropped: PostgreSQL refuses a
#: lexeme of 2 KB, and no one searches for one.
MAX_WORD_LENGTH = 200

# A word: letters and digits of any script (no punctuation, no underscore).
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")


def fold(text: str) -> str:
    """The form everything is compared in: NFKC (full-width → half-width), lower case,
    Simplified Chinese."""
    return to_simplified(unicodedata.normalize("NFKC", text or "").lower())


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = fold(char)
    return folded if len(folded) == 1 else char.lower()


def fold_aligned(text: str) -> str:
    """``fold(text)`` with one character for each character of ``text``, so that a hit
    found in it marks the same place in the original."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded
    return "".join(_fold_char(char) for char in text)


@lru_cache(maxsize=1)
def _jieba():
    import jieba  # its dictionary ships in the wheel: nothing is fetched

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def words(folded: str, *, fine: bool = True) -> list[str]:
    """Words of folded text, punctuation dropped. ``fine`` is jieba's search mode, which
    also yields the shorter words inside long ones (财政局 → 财政, 财政局): used for
    indexing; queries use the coarse mode and fall back to the shorter words.

    jieba segments each run of letters and digits (its ``re_han_default`` blocks) on its
    own, so the text is cut into those runs here and each run's words are remembered:
    the same result, and official text repeats its phrases (the department's name, the
    legal basis, the closing formula), which are then segmented once per process."""
    return [word for block in _blocks().split(folded) if block and not block.isspace()
            for word in _block_words(block, fine)]


@lru_cache(maxsize=1)
def _blocks():
    return _jieba().re_han_default


@lru_cache(maxsize=100_000)
def _block_words(block: str, fine: bool) -> tuple[str, ...]:
    jieba = _jieba()
    tokens = jieba.cut_for_search(block) if fine else jieba.cut(block)
    return tuple(word for token in tokens for word in _WORD.findall(token) if len(word) <= MAX_WORD_LENGTH)


def preload() -> None:
    """Load jieba's dictionary now (a web process at start-up, so that no reader waits
    the ~0.7 s of the first segmentation, and gunicorn's ``preload_app`` shares it)."""
    _block_words("政务公开", True)


@lru_cache(maxsize=20_000)  # department and category names come with every row
def keyword_words(keyword: str) -> tuple[str, ...]:
    """An identifier's words, its numbers, and the whole of it as one word."""
    folded = fold(keyword)
    found = words(folded) + [digits for digits in _DIGITS.findall(folded) if len(digits) <= MAX_WORD_LENGTH]
    whole = whole_word(keyword)
    if whole:
        found.append(whole)
    return tuple(found)


def whole_word(text: str) -> str:
    """Folded text as one word: its letters and digits run together (漢政發〔2007〕12號 → 汉政发200712号)."""
    return "".join(_WORD.findall(fold(text)))[:MAX_KEYWORD_LENGTH]
