"""Tolpa: one crowd, one ledger, every kind of crowdsourcing campaign."""

from tolpa.celery import app as celery_app

__all__ = ["celery_app"]
