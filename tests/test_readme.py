"""The README stays true: every setting is documented, and it starts with the two commands."""

from __future__ import annotations

from app.core.settings import ROOT, Settings


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"`PARLEY_{name.upper()}`" in readme, f"PARLEY_{name.upper()} is not documented"


def test_readme_starts_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text()[:400]
    assert "make run" in head and "make test" in head
