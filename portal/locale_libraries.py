"""Traditional Chinese for the admin pages of the libraries we use (issue 12).

django-import-export, django-guardian, django-simple-history and django-celery-beat ship
Simplified Chinese (``zh_Hans``) but no Traditional, so in the portal's default language
their pages were English. This builds ``locale_libraries/zh_Hant/LC_MESSAGES/django.po``
(on ``LOCALE_PATHS``, after the project's own catalogue, which wins where both have an
entry) from their ``zh_Hans`` catalogues converted with OpenCC s2t — the conversion the
site applies to content. ``portal.locale_sync`` then derives ``zh_Hans`` from it, as for
every catalogue. Entries the project translates differently are corrected in ``FIXES``.

Run after upgrading one of them, then ``make -o .venv/bin/.installed messages``::

    python -m portal.locale_libraries
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polib

from portal.chinese import to_traditional

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET = BASE_DIR / "locale_libraries" / "zh_Hant" / "LC_MESSAGES" / "django.po"
LIBRARIES = ("import_export", "guardian", "simple_history", "django_celery_beat")
#: Where the machine conversion reads wrongly in a county office's Traditional Chinese.
FIXES = {
    "Import": "匯入",
    "Export": "匯出",
    "History": "歷史記錄",
    "Line number": "行號",
    # django-import-export's pages in Taiwan terms (匯入/匯出, 欄位, 資料), not the mainland's (導入, 字段, 數據).
    "This importer will import the following fields: ": "將匯入以下欄位：",
    "This exporter will export the following fields: ": "將匯出以下欄位：",
    "File to import": "要匯入的檔案",
    "Confirm import": "確認匯入",
    "Below is a preview of data to be imported. If you are satisfied with the results, click 'Confirm import'":
        "以下是要匯入的資料預覽。確認無誤後，請按“確認匯入”。",
    "Import finished: {} new, {} updated, {} deleted and {} skipped {}.": "匯入完成：新增 {} 筆、更新 {} 筆、刪除 {} 筆、略過 {} 筆{}。",
    "Export selected %(verbose_name_plural)s": "匯出所選%(verbose_name_plural)s",
    "%s through import_export": "%s（經由匯入）",
    # django-celery-beat's help texts, with English code words (field names, JSON examples) in Chinese.
    'JSON encoded positional arguments (Example: ["arg1", "arg2"])': 'JSON 編碼的位置參數（例如：["參數1", "參數2"]）',
    'JSON encoded keyword arguments (Example: {"argument": "value"})': 'JSON 編碼的關鍵字參數（例如：{"參數名": "值"}）',
    "Datetime that the schedule last triggered the task to run. Reset to None if enabled is set to False.":
        "排程最後一次觸發任務執行的時間；停用任務時清空。",
    "If True, the schedule will only run the task a single time": "勾選後，此排程只執行一次任務。",
    "Set to False to disable the schedule": "取消勾選即停用此排程。",
}
#: Strings of the libraries' templates that their catalogues lack altogether.
MISSING = {
    "Select all": "全選",
    "Schedule": "排程",
    "Arguments": "參數",
    "Execution Options": "執行選項",
    "Task Name": "任務名稱",
    "Changes": "變更內容",
}


def _catalogue(library: str) -> polib.POFile | None:
    spec = importlib.util.find_spec(library)
    path = Path(spec.origin).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path)) if path.is_file() else None


def build() -> polib.POFile:
    built = polib.POFile(wrapwidth=0)
    built.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Language": "zh_Hant",
        "Plural-Forms": "nplurals=1; plural=0;",
        "X-Generated-By": "python -m portal.locale_libraries (OpenCC s2t of the libraries' zh_Hans)",
    }
    seen = set()
    for library in LIBRARIES:
        source = _catalogue(library)
        for entry in source.translated_entries() if source else ():
            key = (entry.msgctxt, entry.msgid)
            if key in seen or entry.obsolete or "fuzzy" in entry.flags:
                continue
            seen.add(key)
            converted = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgid_plural=entry.msgid_plural,
                                      occurrences=[(library, "")])
            if entry.msgid_plural:
                converted.msgstr_plural = {i: to_traditional(text) for i, text in entry.msgstr_plural.items()}
            else:
                converted.msgstr = FIXES.get(entry.msgid) or to_traditional(entry.msgstr)
            built.append(converted)
    for msgid, msgstr in MISSING.items():
        if (None, msgid) not in seen:
            built.append(polib.POEntry(msgid=msgid, msgstr=msgstr, occurrences=[("portal.locale_libraries", "")]))
    return built


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    build().save(str(TARGET))


if __name__ == "__main__":
    main()
