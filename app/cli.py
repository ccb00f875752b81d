"""The `parley` command: serve, migrate, seed, and manage editors and API tokens."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError, ProgrammingError

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
        from app.seeds import SeedError

        if isinstance(exc, SeedError | CommandError):
            print(f"parley: {exc}", file=sys.stderr)
            return 1
        raise
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
