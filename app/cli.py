"""The `parley` command: serve, migrate, seed, manage editors and API tokens, dump and restore
the whole site, and import events."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.core import workers
from app.core.database import Database
from app.core.errors import DomainError
from app.core.settings import ROOT, Settings, SettingsError, load_settings


class CommandError(Exception):
    """A failure to report as one line, without a traceback."""


def alembic_config(database_url: str) -> object:
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logger"] = False
    return config


def migrate(database_url: str, revision: str = "head", *, down: bool = False) -> None:
    from alembic import command

    config = alembic_config(database_url)
    if down:
        command.downgrade(config, revision)  # type: ignore[arg-type]
    else:
        command.upgrade(config, revision)  # type: ignore[arg-type]
        if revision == "head":
            fill_documents(database_url)


def fill_documents(database_url: str) -> int:
    """Make the stored answers that are missing or of an older shape (after a migration, or
    after events were written in bulk), with the app's own renderer; a no-op when current."""
    from app.events import documents

    database = Database(database_url)
    try:
        with database.session(write=True) as session:
            return documents.fill(session)
    finally:
        database.dispose()


def seed_if_empty(settings: Settings, database: Database) -> str | None:
    from app.events.models import Event
    from app.seeds import load

    with database.session(write=True) as session:
        if session.scalar(select(func.count()).select_from(Event)):
            return None
        return str(load(session, settings.seeds_dir))


def _database(settings: Settings) -> Database:
    return Database(settings.database_url)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    import uvicorn

    migrate(settings.database_url)
    if not args.no_seed:
        database = _database(settings)
        try:
            report = seed_if_empty(settings, database)
        finally:
            database.dispose()
        if report:
            print(f"Loaded the seed timeline: {report}")
    print(f"Parley on http://{args.host}:{args.port}  (database: {_describe(settings)})")
    # Workers started from here end with this process, even when it is killed outright.
    os.environ[workers.PARENT_ENV] = str(os.getpid())
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level="info",
    )


def _describe(settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    return make_url(settings.database_url).render_as_string(hide_password=True)


def cmd_db(args: argparse.Namespace, settings: Settings) -> None:
    if args.action == "upgrade":
        migrate(settings.database_url, args.revision or "head")
    elif args.action == "downgrade":
        migrate(settings.database_url, args.revision or "-1", down=True)
    else:
        from alembic import command

        command.current(alembic_config(settings.database_url))  # type: ignore[arg-type]


def cmd_seed(args: argparse.Namespace, settings: Settings) -> None:
    from app.seeds import load

    path = Path(args.path) if args.path else settings.seeds_dir
    database = _database(settings)
    try:
        with database.session(write=True) as session:
            report = load(session, path)
    finally:
        database.dispose()
    print(f"Seeds from {path}: {report}")


def cmd_users(args: argparse.Namespace, settings: Settings) -> None:
    from app.users import service

    database = _database(settings)
    try:
        with database.session(write=True) as session:
            if args.action == "add":
                password = _read_password(args.password_stdin)
                service.create(session, username=args.name, password=password)
                print(f"Added editor {args.name!r}.")
            else:
                for user in service.get_all(session):
                    state = "active" if user.is_active else "disabled"
                    print(f"{user.username}\t{state}\tcreated {user.created_at:%Y-%m-%d}")
    finally:
        database.dispose()


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise CommandError("the two passwords differ; nothing was saved")
    return first


def cmd_tokens(args: argparse.Namespace, settings: Settings) -> None:
    from app.users import service

    database = _database(settings)
    try:
        with database.session(write=True) as session:
            if args.action == "create":
                token = service.create_token(session, name=args.name)
                print(token)
                print(f"(token {args.name!r}: shown once, only its hash is kept)", file=sys.stderr)
            elif args.action == "revoke":
                service.revoke_token(session, name=args.name)
                print(f"Revoked token {args.name!r}.")
            else:
                for row in service.get_tokens(session):
                    state = "revoked" if row.revoked_at else "active"
                    print(f"{row.name}\t{state}\tcreated {row.created_at:%Y-%m-%d}")
    finally:
        database.dispose()


def known_revisions(database_url: str) -> dict[str, str]:
    """Every migration this code has: "head" for the latest, "older" for the rest."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(database_url))  # type: ignore[arg-type]
    heads = set(script.get_heads())
    return {
        rev.revision: "head" if rev.revision in heads else "older"
        for rev in script.walk_revisions()
    }


def progress_bar(what: str) -> Any:
    """A progress bar on stderr, drawn only when stderr is a terminal (so logs and pipes
    get none), for the dump, restore and import commands."""
    from tqdm import tqdm

    from app.backup.archive import Progress

    class Bar(Progress):
        def __init__(self) -> None:
            self.bar: Any = None

        def start(self, total: int) -> None:
            self.bar = tqdm(
                total=total, desc=what, unit=" rows", file=sys.stderr, disable=None, leave=False
            )

        def table(self, name: str) -> None:
            if self.bar is not None:
                self.bar.set_postfix_str(name, refresh=False)

        def advance(self, rows: int) -> None:
            if self.bar is not None:
                self.bar.update(rows)

        def close(self) -> None:
            if self.bar is not None:
                self.bar.close()

    return Bar()


def cmd_dump(args: argparse.Namespace, settings: Settings) -> None:
    from app.backup.dump import dump

    database = _database(settings)
    bar = progress_bar("Dumping")
    try:
        counts = dump(database, args.file, progress=bar)
    finally:
        bar.close()
        database.dispose()
    print(f"Dumped {_counted(counts)} to {args.file}")


def _counted(counts: dict[str, int]) -> str:
    rows, events = sum(counts.values()), counts.get("event", 0)
    return f"{rows} rows ({events} events) from {len(counts)} tables"


def cmd_restore(args: argparse.Namespace, settings: Settings) -> None:
    from app.backup import restore

    restore.read_header(args.file, known_revisions=known_revisions(settings.database_url))
    database = _database(settings)
    bar = progress_bar("Restoring")
    try:
        restore.refuse_unless_empty(database)
        migrate(settings.database_url)
        counts = restore.load(database, args.file, progress=bar)
    finally:
        bar.close()
        database.dispose()
    print(f"Restored {_counted(counts)} into {_describe(settings)}")


def cmd_import(args: argparse.Namespace, settings: Settings) -> None:
    from app.events import imports

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    database = _database(settings)
    bar = progress_bar("Importing")
    try:
        with database.write_sessions() as session:
            report = imports.run(
                session,
                file_name=path.name,
                data=data,
                author=args.author,
                start=bar.start,
                advance=bar.advance,
            )
            if args.dry_run:
                session.rollback()
            else:
                session.commit()
    finally:
        bar.close()
        database.dispose()
    for outcome in report.outcomes:
        if outcome.action != "unchanged":
            fields = f": {', '.join(outcome.fields)}" if outcome.fields else ""
            print(f"  {outcome.action} {outcome.slug}{fields}")
    for record in report.related:
        print(f"  created {record}")
    for note in report.left_out:
        print(f"  left out {note}")
    print(report.summary() + (" (dry run: nothing was saved)" if args.dry_run else ""))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, seed an empty database, serve")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL)")
    serve.add_argument("--no-seed", action="store_true", help="do not load seeds/ when empty")
    serve.set_defaults(func=cmd_serve)

    db = commands.add_parser("db", help="database migrations")
    db.add_argument("action", choices=["upgrade", "downgrade", "current"])
    db.add_argument("revision", nargs="?", help="target (default: head, or one step down)")
    db.set_defaults(func=cmd_db)

    seed = commands.add_parser("seed", help="load seed files (idempotent)")
    seed.add_argument("path", nargs="?", help="folder of seed files (default: seeds/)")
    seed.set_defaults(func=cmd_seed)

    users = commands.add_parser("users", help="editors who sign in")
    user_actions = users.add_subparsers(dest="action", required=True)
    add = user_actions.add_parser("add", help="add an editor")
    add.add_argument("name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    user_actions.add_parser("list", help="list editors")
    users.set_defaults(func=cmd_users)

    tokens = commands.add_parser("tokens", help="API tokens for writes")
    token_actions = tokens.add_subparsers(dest="action", required=True)
    token_actions.add_parser("create", help="make a token and print it once").add_argument("name")
    token_actions.add_parser("revoke", help="revoke a token").add_argument("name")
    token_actions.add_parser("list", help="list tokens")
    tokens.set_defaults(func=cmd_tokens)

    dump = commands.add_parser("dump", help="write the whole site to one file (while it runs)")
    dump.add_argument("file", help="where to write it (gzip'd JSON lines)")
    dump.set_defaults(func=cmd_dump)

    restore = commands.add_parser("restore", help="load a dump into an empty database")
    restore.add_argument("file", help="a file written by parley dump")
    restore.set_defaults(func=cmd_restore)

    load = commands.add_parser("import", help="add and update events from a CSV or NDJSON export")
    load.add_argument("file", help="a .csv or .ndjson file in the export formats")
    load.add_argument("--dry-run", action="store_true", help="say what would change; save nothing")
    load.add_argument("--author", default="import", help="the author of the revisions")
    load.set_defaults(func=cmd_import)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        args.func(args, settings)
    except SettingsError as exc:
        print(f"parley: {exc}", file=sys.stderr)
        return 2
    except (OperationalError, ProgrammingError) as exc:
        first_line = str(exc.orig or exc).strip().splitlines()[0]
        print(f"parley: the database did not answer as expected: {first_line}", file=sys.stderr)
        return 1
    except DomainError as exc:
        messages = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors]
        print(f"parley: {'; '.join(messages) or exc.detail}", file=sys.stderr)
        return 1
    except Exception as exc:
        from app.backup.archive import DumpError
        from app.events.import_files import ImportRefused
        from app.seeds import SeedError

        if isinstance(exc, SeedError | CommandError | DumpError | ImportRefused):
            print(f"parley: {exc}", file=sys.stderr)
            return 1
        raise
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
