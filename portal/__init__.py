"""Gongkai project package and the shared core (DESIGN §2)."""

from portal.celery import app as celery_app

__all__ = ("celery_app",)
