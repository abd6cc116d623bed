"""gunicorn's settings, read from the working directory (``gunicorn portal.wsgi``).

``preload_app``: the project, and jieba's dictionary (``portal/wsgi.py``), are loaded
once in the master and shared by the workers, instead of in each worker on its first
request. ``timeout`` stays above the web processes' statement_timeout (10 s,
``GONGKAI_STATEMENT_TIMEOUT_MS``), so PostgreSQL cancels a runaway query before the
worker is killed. Workers are recycled now and then, which bounds their memory."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
preload_app = True
timeout = 30
graceful_timeout = 20
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
