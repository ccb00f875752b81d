"""The from/to window keeps its meaning (overlap) now that it is also an index range."""

from __future__ import annotations

import datetime as dt
from typing import Any


def _slugs(client: Any, query: str) -> list[str]:
    answer = client.get(f"/api/v1/events?limit=500&{query}")
    assert answer.status_code == 200, answer.text
    return [item["slug"] for item in answer.json()["items"]]


def test_the_window_finds_what_overlaps_it_and_nothing_else(client: Any, make: Any) -> None:
    day = dt.date
    before = make.event(title="Over before", start_date=day(2026, 1, 1), end_date=day(2026, 1, 5))
    # Began long before the window and still runs into it: found although it starts first.
    long_talks = make.event(
        title="Long talks", kind="talks", start_date=day(2025, 12, 1), end_date=day(2026, 1, 12)
    )
    inside = make.event(title="Inside", start_date=day(2026, 1, 15), start_time="09:00")
    # Starts on the last day of the window, late in the evening.
    last_day = make.event(title="Last day", start_date=day(2026, 1, 20), start_time="23:30")
    after = make.event(title="After", start_date=day(2026, 1, 21))

    found = _slugs(client, "from=2026-01-10&to=2026-01-20")

    assert found == [long_talks, inside, last_day]
    assert before not in found and after not in found
    assert _slugs(client, "from=2026-01-10&to=2026-01-20&kind=talks") == [long_talks]
    assert _slugs(client, "from=2026-01-20") == [last_day, after]
    assert _slugs(client, "to=2026-01-01") == [long_talks, before]


def test_a_window_walks_page_by_page(client: Any, make: Any) -> None:
    slugs = [
        make.event(title=f"Call {n}", kind="call", start_date=dt.date(2026, 3, 1 + n))
        for n in range(7)
    ]
    seen: list[str] = []
    url = "/api/v1/events?limit=2&kind=call&from=2026-03-02&to=2026-03-06"
    while url:
        answer = client.get(url).json()
        seen += [item["slug"] for item in answer["items"]]
        cursor = answer["next_cursor"]
        url = f"/api/v1/events?limit=2&kind=call&from=2026-03-02&to=2026-03-06&cursor={cursor}"
        url = url if cursor else ""
    assert seen == slugs[1:6]
