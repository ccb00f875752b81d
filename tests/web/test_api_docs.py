"""/docs is served from our own files: no CDN, no inline script, under the strict CSP."""

from __future__ import annotations

import re
from typing import Any

from app.core.database import Database
from app.core.settings import ROOT


def test_docs_page_loads_only_our_own_files(client: Any, database: Database) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.text
    assert "<script>" not in html and "style=" not in html
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, html
    for reference in references:
        assert reference.startswith(("/static/", "/openapi.json")), reference
        if reference.startswith("/static/"):
            assert client.get(reference).status_code == 200, reference
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/redoc").status_code == 404


def test_vendored_swagger_ui_has_its_licence_and_version() -> None:
    vendor = ROOT / "static" / "vendor" / "swagger-ui"
    assert (vendor / "LICENSE").read_text().strip()
    readme = (vendor / "README.md").read_text()
    assert re.search(r"\d+\.\d+\.\d+", readme)
    assert "npm pack" in readme
