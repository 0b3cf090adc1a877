"""Rows per day, for the dashboards' bar charts (pledges, entries, answers)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate


@dataclass(frozen=True)
class DayCount:
    day: date
    value: int


def count_per_day(rows: QuerySet, field: str) -> list[DayCount]:
    """How many of `rows` fall on each day of their `field` (UTC days), oldest first."""
    counted = (
        rows.exclude(**{f"{field}__isnull": True})
        .annotate(day=TruncDate(field))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return [DayCount(row["day"], row["n"]) for row in counted]
