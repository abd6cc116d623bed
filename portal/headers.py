"""The Content-Security-Policy of every response: the site-wide policy of settings
(``CONTENT_SECURITY_POLICY``), plus what the staff tools built from library templates need.

Public pages get the strict policy: scripts from our own files (or with the request's nonce),
no inline style. The Django admin (with import-export, guardian, simple-history and
django-celery-beat pages) and the Swagger UI of ``/api/docs/`` come from libraries whose
templates carry inline ``<style>`` blocks and ``style`` attributes, and import-export's export
page one inline event handler; rather than copying those templates, the admin and the API
docs allow inline *style* and that one handler by its hash — never inline script in general.
"""

from __future__ import annotations

import base64
import hashlib

from csp.constants import UNSAFE_HASHES, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

#: Inline event handlers of library templates in the admin, allowed by their exact text:
#: import-export's export form ticks every field with ``onchange="onSelectToggleChange(event)"``.
ADMIN_EVENT_HANDLERS = ("onSelectToggleChange(event)",)


def source_hash(source: str) -> str:
    """The CSP hash source (``'sha256-…'``) of an inline script or handler."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


STAFF_TOOL_ALLOWANCES = {
    "style-src": [UNSAFE_INLINE],
    "script-src": [UNSAFE_HASHES, *(source_hash(handler) for handler in ADMIN_EVENT_HANDLERS)],
}


def is_staff_tool(request) -> bool:
    """The admin site and the API documentation (Swagger UI): pages built from library templates."""
    match = getattr(request, "resolver_match", None)
    return match is not None and ("admin" in match.namespaces or match.view_name == "api-docs")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, adding ``STAFF_TOOL_ALLOWANCES`` on the admin and API docs."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_staff_tool(request):
            update = dict(parts.update or {})
            for directive, sources in STAFF_TOOL_ALLOWANCES.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts
