"""Microtask pages. Reads go through selectors (which decide who sees what; a worker never
sees a gold flag or answer), writes through services inside a transaction; a service error
lands on its form or in a message, a permission or visibility failure becomes a 403 or 404."""

from tolpa.microtasks.views.dashboard import dashboard, results_csv, results_json
from tolpa.microtasks.views.public import create, detail, index, mine
from tolpa.microtasks.views.work import work

__all__ = [
    "create", "dashboard", "detail", "index", "mine", "results_csv", "results_json", "work",
]  # fmt: skip
