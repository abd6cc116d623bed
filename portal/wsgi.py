"""WSGI entry point (gunicorn portal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from portal.bad_requests import without_unreadable_charset  # noqa: E402 - needs the settings module set

application = without_unreadable_charset(get_wsgi_application())
