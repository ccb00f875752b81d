"""The `parley` command as a user runs it: one clear line on bad settings, seeds, tokens; a
progress bar for dump and restore on a terminal only."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli import migrate
from app.core.database import Database
from app.core.settings import ROOT
from app.seeds import load


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("url", ["not-a-url", "mysql://u@h/db"])
def test_a_bad_database_url_is_one_clear_line(url: str) -> None:
    result = run("db", "current", env={"PARLEY_DATABASE_URL": url})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "PARLEY_DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_clear_line() -> None:
    result = run(
        "db", "upgrade", env={"PARLEY_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/none"}
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_upgrade_seed_twice_tokens_and_users(tmp_path: Path) -> None:
    env = {"PARLEY_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    assert run("db", "upgrade", env=env).returncode == 0
    first = run("seed", env=env)
    assert first.returncode == 0 and "events: 7 new" in first.stdout
    second = run("seed", env=env)
    assert "events: 0 new, 7 already there" in second.stdout

    created = run("tokens", "create", "newsroom", env=env)
    assert created.returncode == 0 and created.stdout.startswith("parley_")
    assert run("tokens", "create", "newsroom", env=env).returncode == 1  # names are unique
    assert run("tokens", "revoke", "newsroom", env=env).returncode == 0
    assert "revoked" in run("tokens", "list", env=env).stdout

    added = run(
        "users", "add", "editor", "--password-stdin", env=env, stdin="correct horse battery\n"
    )
    assert added.returncode == 0, added.stderr
    assert "editor" in run("users", "list", env=env).stdout
    short = run("users", "add", "other", "--password-stdin", env=env, stdin="short\n")
    assert short.returncode == 1 and "password" in short.stderr


def test_bad_seed_folder_is_one_line(
    database_url_factory: Callable[[str], str], tmp_path: Path
) -> None:
    env = {"PARLEY_DATABASE_URL": database_url_factory("sqlite")}
    assert run("db", "upgrade", env=env).returncode == 0
    (tmp_path / "events.toml").write_text(
        '[[events]]\nslug = "x"\ntitle = "x"\nkind = "party"\nstart_date = 2026-01-01\n'
    )
    result = run("seed", str(tmp_path), env=env)
    assert result.returncode == 1
    assert "events.toml, record 1 ('x')" in result.stderr and "kind" in result.stderr


def _on_a_terminal(*args: str, env: dict[str, str]) -> tuple[int, str]:
    """Run `parley` with stderr on a pseudo-terminal 100 columns wide; what it drew there."""
    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=side,
        timeout=120,
    )
    os.close(side)
    drawn = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other side is closed: everything is read
            break
        if not chunk:
            break
        drawn += chunk
    os.close(main)
    return done.returncode, drawn.decode("utf-8", "replace")


def test_dump_and_restore_draw_a_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'site.db'}"
    migrate(url)
    database = Database(url)
    with database.session(write=True) as session:
        load(session, ROOT / "seeds")
    database.dispose()
    env = {"PARLEY_DATABASE_URL": url}
    dump = str(tmp_path / "site.dump")
    code, drawn = _on_a_terminal("dump", dump, env=env)
    assert code == 0 and "Dumping" in drawn and "rows" in drawn

    restored = {"PARLEY_DATABASE_URL": f"sqlite:///{tmp_path / 'copy.db'}"}
    code, drawn = _on_a_terminal("restore", dump, env=restored)
    assert code == 0 and "Restoring" in drawn
    # Without a terminal there is no bar: tests/backup/test_dump.py
