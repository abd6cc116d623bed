"""What the trust suites share: the hostile strings, the requests' bookkeeping, and the tally
of cases tried that ``conftest.pytest_terminal_summary`` prints at the end of the run."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from django.core.signals import got_request_exception

#: Cases tried and server errors met, per suite, for the summary at the end of the run.
tally: Counter = Counter()

HOSTILE = {
    "script": '<script>alert("x")</script>',
    "attribute": '"><img src=x onerror=alert(1)>',
    "template": "{{7*7}}",
    "template-tag": "{% debug %}",
    "sql-quote": "' OR '1'='1' --",
    "sql-drop": "1); DROP TABLE portal_department; --",
    "like-wildcards": "%_\\",
    "nul": "a\x00b",
    "controls": "\x01\x08\x0b\x1b[31m\x7f",
    "crlf": "a\r\nSet-Cookie: x=1",
    "rtl-override": "\u202egnp.exe",
    "invisible": "\u200b\ufeff\u2060",
    "long-chinese": "政務公開透明" * 2000,
    "astral": "𠀀😀",
    "negative": "-1",
    "zero": "0",
    "huge-number": "9" * 40,
    "float-overflow": "1e309",
    "nan": "NaN",
    "impossible-date": "2026-02-30",
    "garbage-date": "9999-99-99",
    "full-width-digits": "２０２６",
    "arabic-digits": "٢٠٢٦",
    "traversal": "../../etc/passwd",
    "blank": "   ",
    "empty": "",
}

#: Text that must never come back unescaped in an HTML page.
RAW_MARKUP = ('<script>alert("x")</script>', "<img src=x onerror=alert(1)>")
#: What Django's {% debug %} prints, if a reflected string were ever rendered as a template.
DEBUG_OUTPUT = "'False': False"


@dataclass
class Probe:
    """Sends requests, counts them under ``suite`` and records every 5xx and every
    unescaped reflection, with the exception that caused a 5xx."""

    client: object
    suite: str
    failures: list[str] = field(default_factory=list)
    _exceptions: list = field(default_factory=list)

    def __post_init__(self):
        got_request_exception.connect(self._caught, weak=False, dispatch_uid=f"probe-{id(self)}")

    def close(self):
        got_request_exception.disconnect(dispatch_uid=f"probe-{id(self)}")

    def _caught(self, sender, request=None, **kwargs):
        import sys

        self._exceptions.append(repr(sys.exc_info()[1])[:300])

    def send(self, label: str, request, sent: str = ""):
        """``request``: a callable that makes the request (with ``self.client``)."""
        self._exceptions.clear()
        response = request()
        tally[self.suite] += 1
        if response.status_code >= 500:
            tally[f"{self.suite} 5xx"] += 1
            self.failures.append(f"{label}: {response.status_code} {self._exceptions}")
        self.check_reflection(label, response, sent)
        return response

    def check_reflection(self, label, response, sent):
        content_type = response.get("Content-Type", "")
        if response.streaming:
            return
        if "html" in content_type:
            body = response.content.decode("utf-8", "replace")
            for markup in RAW_MARKUP:
                if markup in sent and markup in body:
                    self.failures.append(f"{label}: {markup!r} came back unescaped")
            if "{% debug %}" in sent and DEBUG_OUTPUT in body:
                self.failures.append(f"{label}: a reflected template tag was rendered")
        elif "json" in content_type and response.content:
            try:
                json.loads(response.content)
            except ValueError:
                self.failures.append(f"{label}: a JSON response that does not parse")
