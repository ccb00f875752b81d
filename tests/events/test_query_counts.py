"""No N+1: what an answer costs in SQL statements does not grow with how much it holds."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.database import Database
from app.core.settings import Settings
from tests.support.statements import statements

RICH_EVENTS = 30


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """What building an answer costs: with the answer cache off, every request builds one."""
    return settings.model_copy(update={"response_cache_mb": 0})


@pytest.fixture
def rich_timeline(make: Any) -> list[str]:
    """Events with everything an answer embeds: place, series, people with affiliations,
    sources with quotes and speakers, tags, images, and links both ways."""
    russia = make.actor(name="Russia", kind="state")
    ukraine = make.actor(name="Ukraine", kind="state")
    mediator = make.actor(name="Mediator State", kind="state")
    speakers = [
        make.actor(name="Dmitry Peskov", affiliation=russia, aliases=["Peskov"]),
        make.actor(name="Andrii Sybiha", affiliation=ukraine),
    ]
    places = [make.place(name="Abu Dhabi"), make.place(name="Geneva", aliases=["Genf"])]
    series = make.series(title="Trilateral talks")
    tags = [make.tag(name="Ceasefire"), make.tag(name="Territories"), make.tag(name="Energy")]
    images = [make.image(), make.image("JPEG")]
    slugs: list[str] = []
    for n in range(RICH_EVENTS):
        links = [{"kind": "follows_up", "event": slugs[-1]}] if slugs else []
        slugs.append(
            make.event(
                title=f"Talks round {n + 1}",
                summary="Delegations met on the ceasefire.",
                kind="talks",
                place=places[n % 2],
                series=series,
                round=n + 1,
                participants=[
                    {"actor": russia, "role": "party"},
                    {"actor": ukraine, "role": "party"},
                    {"actor": mediator, "role": "mediator"},
                    {"actor": speakers[n % 2], "role": "speaker"},
                ],
                sources=[
                    {
                        "url": f"https://news.example/{n}/a",
                        "publisher": "Example News",
                        "quote": "There is a lot of progress.",
                        "speaker": speakers[0],
                    },
                    {
                        "url": f"https://wire.example/{n}",
                        "publisher": "Example Wire",
                        "quote": "Work continues.",
                        "speaker": speakers[1],
                    },
                ],
                tags=[tags[n % 3], tags[(n + 1) % 3]],
                media=[
                    {"url": images[0], "alt": f"Round {n + 1} at the table", "credit": "Pool"},
                    {"url": images[1], "alt": "The venue", "caption": "Before the talks"},
                ],
                links=links,
            )
        )
    return slugs


@pytest.mark.parametrize(
    "query",
    [
        "",
        "&actor=russia&kind=talks&from=2026-01-01&to=2026-12-31",
        "&q=ceasefire",
    ],
    ids=["all", "filtered", "search"],
)
def test_a_long_page_costs_the_same_statements_as_a_short_one(
    client: Any, database: Database, rich_timeline: list[str], query: str
) -> None:
    client.get(f"/api/v1/events?limit=5{query}")  # warm caches that are not per request
    with statements(database) as short:
        small = client.get(f"/api/v1/events?limit=5{query}")
    with statements(database) as long:
        large = client.get(f"/api/v1/events?limit=200{query}")

    assert small.status_code == large.status_code == 200
    assert len(small.json()["items"]) == 5
    assert len(large.json()["items"]) == RICH_EVENTS
    embedded = large.json()["items"][-1]
    assert embedded["participants"] and embedded["sources"] and embedded["links"]
    assert [m["alt"] for m in embedded["media"]] == [
        f"Round {RICH_EVENTS} at the table",
        "The venue",
    ]
    assert len(long) == len(short), "\n\n".join(long)
    # The page is its ids, then one read of their stored answers: no event is loaded.
    assert sum("FROM event_document" in statement for statement in long) == 1
    assert not any("FROM citation" in statement for statement in long), long


def test_a_crowded_event_costs_the_same_statements_as_a_sparse_one(
    client: Any, database: Database, make: Any, rich_timeline: list[str]
) -> None:
    # Both have at least one of every embedded record (an empty relation skips the
    # statements for what hangs below it); the crowded one has several of each.
    person = make.actor(name="Envoy", affiliation=make.actor(name="Some State", kind="state"))
    tag = make.tag(name="Prisoners")
    images = [make.image() for _ in range(4)]
    sparse = make.event(
        title="A call",
        kind="call",
        participants=[{"actor": person, "role": "speaker"}],
        sources=[{"url": "https://one.example/", "publisher": "One", "speaker": person}],
        tags=[tag],
        media=[{"url": images[0], "alt": "One picture"}],
        links=[{"kind": "responds_to", "event": rich_timeline[0]}],
    )
    crowded = make.event(
        title="A summit",
        kind="meeting",
        participants=[{"actor": person, "role": role} for role in ("host", "speaker", "party")]
        + [{"actor": "russia", "role": "party"}, {"actor": "ukraine", "role": "party"}],
        sources=[
            {"url": f"https://many.example/{n}", "publisher": f"P{n}", "speaker": person}
            for n in range(6)
        ],
        tags=[tag, "ceasefire", "territories"],
        media=[{"url": url, "alt": f"Picture {n}"} for n, url in enumerate(images)],
        links=[{"kind": "follows_up", "event": slug} for slug in [sparse, *rich_timeline[:4]]],
    )
    make.event(title="Later", kind="statement", links=[{"kind": "related", "event": crowded}])

    client.get(f"/api/v1/events/{sparse}")
    with statements(database) as for_sparse:
        assert client.get(f"/api/v1/events/{sparse}").status_code == 200
    with statements(database) as for_crowded:
        answer = client.get(f"/api/v1/events/{crowded}")

    assert answer.status_code == 200
    body = answer.json()
    assert len(body["participants"]) == 5 and len(body["sources"]) == 6
    assert len(body["links"]) == 5 and body["linked_from"] and len(body["tags"]) == 3
    assert len(body["media"]) == 4
    assert len(for_crowded) == len(for_sparse), "\n\n".join(for_crowded)
    # One statement finds the event with its stored answer.
    reads = [s for s in for_crowded if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 and "event_document" in reads[0], reads
