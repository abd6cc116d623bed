"""WSGI entry point (gunicorn portal.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("GONGKAI_WEB", "1")  # statement_timeout for web requests (settings)

from portal.bad_requests import without_unreadable_charset  # noqa: E402 - needs the settings module set

application = without_unreadable_charset(get_wsgi_application())

from portal.search import folding  # noqa: E402 - after django.setup()

folding.preload()  # jieba's dictionary at start-up (shared by workers under preload_app)
# What start-up loaded (Django, the apps, their modules, jieba) lives as long as the
# process: kept out of the collector's full passes, each of which otherwise walked it for
# ~125 ms in the middle of some request (the search p95 over 100 queries went 36 → 127 ms
# when a few landed on searches). Before the fork, so workers also keep those pages shared.
gc.freeze()
