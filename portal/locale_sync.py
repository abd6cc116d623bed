"""Derive the Simplified Chinese catalogues from the Traditional Chinese ones.

Why: the two scripts say the same thing, so keeping two hand-written catalogues
would only let them drift apart. Translators maintain ``zh_Hant`` alone (the
default language); every ``zh_Hans`` catalogue is rebuilt from it, entry for
entry, with OpenCC's t2s conversion (``portal.chinese.to_simplified``, the same
conversion the site applies to content), then the Mainland's words for a few interface
terms (``MAINLAND_TERMS``: 汇入 → 导入, 列印 → 打印 …). Hand edits to a ``zh_Hans`` ``.po``
file are therefore overwritten: fix the ``zh_Hant`` translation instead.

Run by ``make messages`` between ``makemessages`` and ``compilemessages``::

    python -m portal.locale_sync           # rewrite zh_Hans/*.po where they differ
    python -m portal.locale_sync --check   # write nothing; exit 1 if one is stale

Needs ``polib`` (requirements-dev.txt: only ``make messages`` uses it) and
OpenCC; imports nothing from Django, so it runs without settings.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import polib

from portal.chinese import to_simplified

BASE_DIR = Path(__file__).resolve().parent.parent
SOURCE_LOCALE = "zh_Hant"
TARGET_LOCALE = "zh_Hans"
#: Directories never searched for catalogues (same spirit as makemessages --ignore).
SKIP_DIRS = {".venv", "venv", "var", "node_modules", "staticfiles", "media", "__pycache__"}

#: Interface words where the Mainland says it otherwise (zh_Hant keeps the terms of the
#: Traditional-script government sites): applied to the interface after t2s, never to
#: content. Only unambiguous ones — OpenCC's tw2sp was tried and rejected: it turns
#: 指標 (indicator) into 指针 (pointer) and official 文件 into 文档.
MAINLAND_TERMS = {
    "汇入": "导入", "汇出": "导出", "列印": "打印", "连结": "链接", "登入": "登录", "储存": "保存",
    "字元": "字符", "位元组": "字节", "栏位": "字段", "即时": "实时", "模组": "模块",
}


def interface_simplified(text: str) -> str:
    """An interface string of zh_Hant in Simplified Chinese, in the Mainland's words."""
    text = to_simplified(text)
    for taiwan, mainland in MAINLAND_TERMS.items():
        text = text.replace(taiwan, mainland)
    return text


GENERATED_NOTICE = (
    "Simplified Chinese, generated from zh_Hant by `python -m portal.locale_sync`\n"
    "(OpenCC t2s, then MAINLAND_TERMS). Do not edit: translate in locale/zh_Hant and run `make messages`."
)


def source_catalogues(root: Path = BASE_DIR) -> list[Path]:
    """Every ``zh_Hant/LC_MESSAGES/*.po`` under ``root`` (LOCALE_PATHS and app ``locale`` dirs)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        path = Path(dirpath)
        if path.name == "LC_MESSAGES" and path.parent.name == SOURCE_LOCALE:
            found.extend(path / name for name in sorted(filenames) if name.endswith(".po"))
    return found


def target_for(source: Path) -> Path:
    return source.parent.parent.parent / TARGET_LOCALE / "LC_MESSAGES" / source.name


def simplified_catalogue(source: polib.POFile) -> polib.POFile:
    """A copy of ``source`` whose translations are converted to Simplified Chinese."""
    target = polib.POFile(wrapwidth=source.wrapwidth, encoding="utf-8")
    target.header = GENERATED_NOTICE
    target.metadata = dict(source.metadata)
    target.metadata["Language"] = TARGET_LOCALE
    target.metadata["Language-Team"] = "Simplified Chinese (generated from zh_Hant)"
    target.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    target.metadata_is_fuzzy = source.metadata_is_fuzzy
    for entry in source:
        target.append(
            polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgstr=interface_simplified(entry.msgstr),
                msgstr_plural={k: interface_simplified(v) for k, v in entry.msgstr_plural.items()},
                occurrences=list(entry.occurrences),
                flags=list(entry.flags),
                comment=entry.comment,
                tcomment=entry.tcomment,
                obsolete=entry.obsolete,
                previous_msgctxt=entry.previous_msgctxt,
                previous_msgid=entry.previous_msgid,
                previous_msgid_plural=entry.previous_msgid_plural,
            )
        )
    return target


def sync(root: Path = BASE_DIR, *, write: bool = True, out=sys.stdout) -> list[Path]:
    """Rebuild each zh_Hans catalogue from its zh_Hant one; return those that were stale."""
    stale = []
    for source_path in source_catalogues(root):
        source = polib.pofile(str(source_path), wrapwidth=78)
        missing = len(source.untranslated_entries()) + len(source.fuzzy_entries())
        if missing:
            out.write(f"{source_path.relative_to(root)}: {missing} entries untranslated or fuzzy\n")
        target_path = target_for(source_path)
        text = str(simplified_catalogue(source))
        if not text.endswith("\n"):
            text += "\n"
        current = target_path.read_text(encoding="utf-8") if target_path.exists() else None
        if current == text:
            continue
        stale.append(target_path)
        if write:
            target_path.parent.mkdir(parents=True, exist_ok=True)
            target_path.write_text(text, encoding="utf-8")
            out.write(f"{target_path.relative_to(root)}: updated from {SOURCE_LOCALE}\n")
        else:
            out.write(f"{target_path.relative_to(root)}: out of date\n")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal.locale_sync", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a zh_Hans catalogue is stale")
    args = parser.parse_args(argv)
    stale = sync(write=not args.check)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
