"""Honest dates: how an event's date reads to a person, and whether a plan is overdue."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Protocol

from app.events.fields import PLANNED_STATUSES


class Dated(Protocol):
    start_date: dt.date
    end_date: dt.date | None
    start_time: dt.time | None
    date_precision: str
    date_approximate: bool
    status: str


def _day(date: dt.date, *, year: bool = True) -> str:
    text = f"{date:%b} {date.day}"
    return f"{text}, {date.year}" if year else text


def date_label(event: Dated) -> str:
    """ "Jan 23–24, 2026", "around Jan 22, 2026", "Feb 2026", "2026"."""
    start, end = event.start_date, event.end_date
    if event.date_precision == "year":
        text = str(start.year) if not end or end.year == start.year else f"{start.year}–{end.year}"
    elif event.date_precision == "month":
        text = f"{start:%b %Y}"
        if end and (end.year, end.month) != (start.year, start.month):
            text = (
                f"{start:%b} – {end:%b %Y}" if end.year == start.year else f"{text} – {end:%b %Y}"
            )
    elif not end or end == start:
        text = _day(start)
    elif (end.year, end.month) == (start.year, start.month):
        text = f"{start:%b} {start.day}–{end.day}, {start.year}"
    elif end.year == start.year:
        text = f"{_day(start, year=False)} – {_day(end, year=False)}, {start.year}"
    else:
        text = f"{_day(start)} – {_day(end)}"
    return f"around {text}" if event.date_approximate else text


def last_day(event: Dated) -> dt.date:
    """The last day the event could cover, given its precision."""
    end = event.end_date or event.start_date
    if event.date_precision == "year":
        return dt.date(end.year, 12, 31)
    if event.date_precision == "month":
        return end.replace(day=calendar.monthrange(end.year, end.month)[1])
    return end


def awaiting_confirmation(event: Dated, today: dt.date | None = None) -> bool:
    """A planned event whose date has passed with no update saying it happened."""
    today = today or dt.datetime.now(dt.UTC).date()
    return event.status in PLANNED_STATUSES and last_day(event) < today


def display_status(event: Dated, today: dt.date | None = None) -> str:
    if awaiting_confirmation(event, today):
        return "awaiting confirmation"
    return event.status
