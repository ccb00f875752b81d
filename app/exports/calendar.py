"""The iCalendar export (RFC 5545): one VEVENT per event, for calendar apps to subscribe to."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar

from app import __version__
from app.events.dates import date_label, display_status, last_day
from app.events.models import Event
from app.exports.site import Site, stable_id

#: How a calendar says each status; a plan is tentative until it is held or fixed.
STATUSES = {
    "held": "CONFIRMED",
    "scheduled": "CONFIRMED",
    "tentative": "TENTATIVE",
    "postponed": "TENTATIVE",
    "cancelled": "CANCELLED",
    "awaiting confirmation": "TENTATIVE",
}
#: How often a subscribed calendar should look again.
REFRESH = dt.timedelta(hours=1)


def _zone(event: Event) -> str | None:
    """The event's time zone, or its place's when it names none."""
    return event.timezone or (event.place.timezone if event.place else None)


def _when(component: icalendar.Event, event: Event) -> None:
    """DTSTART and DTEND: whole days as DATEs with the day after the last as the end (RFC
    5545's end is exclusive); times in their zone (floating when no zone is known)."""
    if event.start_time is None:
        component.add("dtstart", event.start_date)
        last = last_day(event)
        if last < dt.date.max:
            component.add("dtend", last + dt.timedelta(days=1))
        else:  # the day after 9999-12-31 cannot be written: its length says the same
            component.add("duration", dt.timedelta(days=(last - event.start_date).days + 1))
        return
    zone_name = _zone(event)
    zone = zoneinfo.ZoneInfo(zone_name) if zone_name else None
    component.add("dtstart", dt.datetime.combine(event.start_date, event.start_time, zone))
    if event.end_time is not None:
        end_day = event.end_date or event.start_date
        component.add("dtend", dt.datetime.combine(end_day, event.end_time, zone))


def _description(event: Event, today: dt.date) -> str:
    parts = [part for part in (event.summary, event.body) if part]
    status = display_status(event, today)
    when = date_label(event) + ("" if status == "held" else f" · {status}")
    parts.append(f"When: {when}")
    urls = [citation.source.url for citation in event.citations]
    if urls:
        parts.append("Sources:\n" + "\n".join(urls))
    return "\n\n".join(parts)


def vevent(event: Event, site: Site, today: dt.date) -> icalendar.Event:
    """The event as a calendar entry: its UID never changes, its SEQUENCE is its version."""
    component = icalendar.Event()
    component.add("uid", stable_id("event", event.slug, event.created_at))
    component.add("dtstamp", event.updated_at)
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at)
    component.add("sequence", event.version)
    component.add("summary", event.title)
    _when(component, event)
    component.add("status", STATUSES[display_status(event, today)])
    component.add("description", _description(event, today))
    if event.place:
        component.add("location", event.place.name)
    component.add("categories", [event.kind])
    component.add("url", site.url(f"/events/{event.slug}"))
    return component


def head(site: Site) -> bytes:
    """The calendar's opening lines: who made it, its name, and how often to refresh."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//Parley//Parley {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", site.title)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    return calendar.to_ical().removesuffix(b"END:VCALENDAR\r\n")


TAIL = b"END:VCALENDAR\r\n"


class Entries:
    """Renders batches of events as VEVENTs, each new time zone's VTIMEZONE first (RFC 5545
    lets components come in any order, so a stream need not know every zone up front)."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.zones: set[str] = set()

    def __call__(self, events: list[Event], today: dt.date) -> bytes:
        out = []
        for event in events:
            zone = _zone(event) if event.start_time is not None else None
            if zone and zone not in self.zones:
                self.zones.add(zone)
                out.append(icalendar.Timezone.from_tzid(zone).to_ical())
            out.append(vevent(event, self.site, today).to_ical())
        return b"".join(out)
