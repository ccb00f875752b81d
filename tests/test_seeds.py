"""The seed timeline: what it holds; a second load changes nothing; a bad file loads nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.base import Base
from app.core.database import Database
from app.core.settings import ROOT
from app.events import listing, reading
from app.events.models import Revision
from app.seeds import SeedError, load


def _counts(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def test_seed_timeline_tells_the_article(seeded: Database) -> None:
    with seeded.session() as session:
        page = listing.list_events(session, limit=100)
        events = {e.slug: reading.to_read(e) for e in page.items}

    round_1 = events["abu-dhabi-talks-round-1"]
    assert round_1.date_label == "Jan 23–24, 2026"
    assert round_1.status == "held"
    assert round_1.place and round_1.place.name == "Abu Dhabi"
    assert round_1.series and round_1.round == 1
    quotes = {(s.quote, s.speaker.slug if s.speaker else None) for s in round_1.sources}
    assert ("significant work ahead", "dmitry-peskov") in quotes
    assert ("constructive", "ukraine") in quotes

    witkoff = events["witkoff-davos-a-lot-of-progress"]
    assert witkoff.date_approximate and witkoff.date_label.startswith("around ")

    round_2 = events["abu-dhabi-talks-round-2"]
    assert round_2.status == "tentative" and round_2.round == 2
    assert [(link.kind, link.event.slug) for link in round_2.links] == [
        ("follows_up", "abu-dhabi-talks-round-1")
    ]
    announcers = {link.event.slug for link in round_2.linked_from if link.kind == "announces"}
    assert "kremlin-announces-round-2" in announcers

    sybiha = events["sybiha-interview-2026-01-27"]
    assert {t.slug for t in sybiha.tags} == {"territories", "zaporizhzhia-npp", "20-point-plan"}
    peskov = next(
        p.actor
        for p in events["kremlin-announces-round-2"].participants
        if p.actor.slug == "dmitry-peskov"
    )
    assert peskov.affiliation and peskov.affiliation.slug == "russia"

    dates = [e.start_date for e in page.items]
    assert dates == sorted(dates)


def test_loading_twice_changes_nothing(seeded: Database) -> None:
    before = _counts(seeded)
    with seeded.session(write=True) as session:
        report = load(session, ROOT / "seeds")
    assert sum(report.created.values()) == 0
    assert _counts(seeded) == before
    assert before["event"] == 7 and before["revision"] == 7


def _copy_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", target)
    return target


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("start_date = 2026-01-27", 'start_date = "2026-01-32"', "sybiha-interview-2026-01-27"),
        (
            '{ actor = "andrii-sybiha", role = "speaker" }',
            '{ actor = "nobody-at-all", role = "speaker" }',
            "nobody-at-all",
        ),
        (
            'slug = "kremlin-announces-round-2"',
            'slug = "abu-dhabi-talks-round-1"',
            "duplicate slug",
        ),
    ],
    ids=["bad date", "unknown actor", "duplicate slug"],
)
def test_a_bad_record_loads_nothing_and_is_named(
    database: Database, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    seeds = _copy_seeds(tmp_path)
    events = seeds / "events.toml"
    text = events.read_text()
    assert old in text
    events.write_text(text.replace(old, new, 1))
    before = _counts(database)

    with pytest.raises(SeedError) as caught, database.session(write=True) as session:
        load(session, seeds)

    message = str(caught.value)
    assert "events.toml" in message and "record" in message and expected in message
    assert _counts(database) == before


def test_history_of_a_seeded_event_starts_with_its_creation(seeded: Database) -> None:
    with seeded.session() as session:
        revisions = session.scalars(select(Revision).order_by(Revision.id)).all()
    assert {r.action for r in revisions} == {"create"}
    assert {r.author for r in revisions} == {"seed"}
