"""Sessions in the database, as Django keeps them, but a session cookie that cannot be a
session key is treated as no session: a key of Django's own shape is 32 lower-case letters
and digits, and a forged cookie with a NUL byte would otherwise reach PostgreSQL (which
refuses NUL in any string) on the first read of the session and fail the page."""

import re

from django.contrib.sessions.backends import db

_KEY = re.compile(r"[a-z0-9]{8,64}")


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return bool(key) and _KEY.fullmatch(key) is not None
