"""Settings come from the environment only (DESIGN §5).

Each case runs ``manage.py`` or ``python -c`` in a fresh process with a hand-built
environment, since settings are read once at import. Subprocesses are slow: this
module starts four.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k7#Qp2v!Lx9zR4m@Tn6wYb1sHc8dFj3gUe5aVo0iPq2rXt7y$W8e"  # 52 characters, not a secret

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from portal.celery import app
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": db["NAME"], "host": db["HOST"], "port": db["PORT"], "user": db["USER"],
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "broker_url": settings.CELERY_BROKER_URL,
    "celery_broker_url": app.conf.broker_url,
    "email_backend": settings.EMAIL_BACKEND,
}))
"""


def run(args, tmp_path, **variables):
    """Run ``python <args>`` at the repository root with only the given variables set."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "SYSTEMROOT") if key in os.environ}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", GONGKAI_VAR_DIR=str(tmp_path), PYTHONDONTWRITEBYTECODE="1")
    env.update(variables)
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_without_secret_key_refuses_to_start_and_says_why(tmp_path):
    """Given DEBUG=0 and no SECRET_KEY, when manage.py runs, then it fails naming SECRET_KEY."""
    result = run(["manage.py", "check"], tmp_path, DEBUG="0", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings(tmp_path):
    """Given DEBUG=0, a 50-character SECRET_KEY and ALLOWED_HOSTS,
    when ``check --deploy --fail-level WARNING`` runs, then it passes and warns about nothing."""
    assert len(PRODUCTION_KEY) >= 50  # what security.W009 asks for
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DEBUG="0",
        SECRET_KEY=PRODUCTION_KEY,
        ALLOWED_HOSTS="gongkai.example.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.fixture(scope="module")
def server_settings(tmp_path_factory):
    """Settings as loaded with PostgreSQL and Redis URLs (nothing is connected to)."""
    tmp_path = tmp_path_factory.mktemp("server-settings")
    result = run(
        ["-c", PRINT_SETTINGS],
        tmp_path,
        DEBUG="0",
        SECRET_KEY=PRODUCTION_KEY,
        DATABASE_URL="postgres://gongkai:s3cret@db.internal:5433/gongkai_prod",
        REDIS_URL="redis://cache.internal:6380/2",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def default_settings(tmp_path_factory):
    """Settings as loaded with nothing but DEBUG=1: the embedded default."""
    tmp_path = tmp_path_factory.mktemp("default-settings")
    result = run(["-c", PRINT_SETTINGS], tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr
    return {**json.loads(result.stdout.strip().splitlines()[-1]), "var_dir": str(tmp_path)}


def test_database_url_for_postgres_selects_the_postgresql_engine(server_settings):
    assert server_settings["engine"] == "django.db.backends.postgresql"
    assert (server_settings["name"], server_settings["host"], server_settings["port"], server_settings["user"]) == (
        "gongkai_prod",
        "db.internal",
        5433,
        "gongkai",
    )


def test_redis_url_selects_the_redis_cache_and_the_redis_broker(server_settings):
    assert server_settings["cache_backend"] == "portal.cache.TolerantRedisCache"
    assert server_settings["cache_location"] == "redis://cache.internal:6380/2"
    assert server_settings["broker_url"] == "redis://cache.internal:6380/2"
    assert server_settings["celery_broker_url"] == "redis://cache.internal:6380/2"


def test_without_any_service_urls_the_embedded_sqlite_database_and_filesystem_broker_are_used(default_settings):
    assert default_settings["engine"] == "django.db.backends.sqlite3"
    assert default_settings["name"] == str(Path(default_settings["var_dir"]) / "gongkai.sqlite3")
    assert default_settings["cache_backend"] == "django.core.cache.backends.locmem.LocMemCache"
    assert default_settings["celery_broker_url"] == "filesystem://"
    assert (Path(default_settings["var_dir"]) / "broker" / "queue").is_dir()


def test_email_defaults_to_the_console_backend(default_settings, server_settings):
    """Without EMAIL_URL mail is printed, never sent, in development and in production."""
    assert default_settings["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert server_settings["email_backend"] == "django.core.mail.backends.console.EmailBackend"
