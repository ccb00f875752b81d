"""Every event leaving Parley in the formats its users already read: CSV, NDJSON, iCalendar,
Atom and TimelineJS, each streamed over the list's filters."""
