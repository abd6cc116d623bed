"""gunicorn bench.wsgi: the production application with the bench's trivial view added
(``bench/urls.py``). Used by ``bench/run.py`` only."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.urls"

from portal.wsgi import application  # noqa: E402

__all__ = ["application"]
