"""Images on events through the API: named by the URL the upload answered, each with the alt
text, credit and caption of this use, kept in revisions and brought back by a restore."""

from __future__ import annotations

from typing import Any

from app.core.database import Database
from tests.support.images import image_bytes

EVENT = {"title": "Talks in Geneva", "kind": "talks", "start_date": "2026-02-17"}


def _upload(client: Any, auth: dict[str, str], kind: str = "PNG", width: int = 64) -> str:
    response = client.post(
        "/api/v1/media",
        headers=auth,
        files={"file": ("x", image_bytes(kind, width=width))},
        data={"alt": "Upload alt"},
    )
    assert response.status_code == 201, response.text
    url: str = response.json()["url"]
    return url


def test_an_event_shows_its_images_in_order_with_their_words(
    client: Any, database: Database, auth: dict[str, str]
) -> None:
    photo, map_ = _upload(client, auth), _upload(client, auth, "JPEG")
    media = [
        {"url": map_, "alt": "Map of the venue", "caption": "The palace grounds"},
        {"url": f"https://parley.example{photo}", "alt": "Delegations", "credit": "Photo: Pool"},
    ]
    created = client.post("/api/v1/events", headers=auth, json={**EVENT, "media": media})
    assert created.status_code == 201, created.text
    shown = client.get(created.headers["location"]).json()["media"]
    assert shown == [
        {
            "url": map_,
            "alt": "Map of the venue",
            "credit": None,
            "caption": "The palace grounds",
            "width": 64,
            "height": 32,
        },
        {
            "url": photo,
            "alt": "Delegations",
            "credit": "Photo: Pool",
            "caption": None,
            "width": 64,
            "height": 32,
        },
    ]
    listed = client.get("/api/v1/events").json()["items"][0]
    assert [m["alt"] for m in listed["media"]] == ["Map of the venue", "Delegations"]


def test_an_unknown_image_or_one_without_alt_is_refused(
    client: Any, database: Database, auth: dict[str, str]
) -> None:
    unknown = client.post(
        "/api/v1/events",
        headers=auth,
        json={**EVENT, "media": [{"url": "/media/" + "0" * 64 + ".png", "alt": "Nothing"}]},
    )
    assert unknown.status_code == 422
    assert unknown.headers["content-type"].startswith("application/problem+json")
    assert unknown.json()["errors"][0]["loc"] == ["media", 0, "url"]

    photo = _upload(client, auth)
    for wrong in ({"url": photo}, {"url": photo, "alt": "   "}):
        answer = client.post("/api/v1/events", headers=auth, json={**EVENT, "media": [wrong]})
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["loc"] == ["media", 0, "alt"]
    not_ours = client.post(
        "/api/v1/events",
        headers=auth,
        json={**EVENT, "media": [{"url": "https://elsewhere.example/a.png", "alt": "x"}]},
    )
    assert not_ours.status_code == 422
    assert not_ours.json()["errors"][0]["loc"] == ["media", 0, "url"]
    assert client.get("/api/v1/events").json()["items"] == []


def test_images_go_into_revisions_and_a_restore_brings_them_back(
    client: Any, database: Database, auth: dict[str, str]
) -> None:
    photo, other = _upload(client, auth), _upload(client, auth, "WEBP")
    created = client.post(
        "/api/v1/events",
        headers=auth,
        json={**EVENT, "media": [{"url": photo, "alt": "First photo", "credit": "AP"}]},
    )
    url = created.headers["location"]
    replaced = client.patch(
        url,
        headers={**auth, "If-Match": created.headers["etag"]},
        json={"media": [{"url": other, "alt": "Second photo"}]},
    )
    assert [m["url"] for m in replaced.json()["media"]] == [other]
    emptied = client.patch(
        url, headers={**auth, "If-Match": replaced.headers["etag"]}, json={"media": []}
    )
    assert emptied.json()["media"] == []

    first = client.get(f"{url}/revisions/1").json()["snapshot"]
    assert first["media"] == [{"url": photo, "alt": "First photo", "credit": "AP", "caption": None}]
    restored = client.post(f"{url}/revisions/1/restore", headers=auth)
    assert restored.status_code == 200, restored.text
    assert [(m["url"], m["alt"], m["credit"]) for m in restored.json()["media"]] == [
        (photo, "First photo", "AP")
    ]
    history = client.get(f"/events/{created.json()['slug']}/history")
    assert "First photo" in history.text and "Second photo" in history.text
