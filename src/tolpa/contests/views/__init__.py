"""Contest pages. Reads go through selectors (which decide who sees what), writes through
services inside a transaction; a service error lands on its form or in a message, and a
permission or visibility failure becomes a 403 or 404 page."""

from tolpa.contests.views.dashboard import dashboard
from tolpa.contests.views.entry import entry
from tolpa.contests.views.handover import award
from tolpa.contests.views.public import (
    create,
    detail,
    edit,
    enter,
    index,
    nda_accept,
    pair_vote,
    vote,
    winners,
)

__all__ = [
    "award", "create", "dashboard", "detail", "edit", "enter", "entry", "index", "nda_accept",
    "pair_vote", "vote", "winners",
]  # fmt: skip
