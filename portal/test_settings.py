"""Test settings: only what makes tests fast or hermetic, never different behaviour."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-3f9c2b7e1d4a6f8e0b5c9d2a7e4f1b3c")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - whitenoise warns when it is missing
# No Celery worker runs beside most tests, so a publication's search entry is written in
# the test's process after the commit (the path taken when the broker is down);
# tests/portal/test_search_worker.py turns it on against a real worker.
GONGKAI_SEARCH_INDEX_IN_WORKER = False
