"""`tillstone hq serve` (the web console) and `tillstone hq users add-web` (its users)."""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import sys
from pathlib import Path

from app.cli.context import CENTRAL_DB_HELP, central_url
from app.cli.errors import CliError
from app.hq import web_users
from db.central.schema import CentralUnavailable, connect


def _users_parser(hsub: argparse._SubParsersAction[argparse.ArgumentParser]
                  ) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """`hq users`'s sub-commands, shared with the master-data `hq users` commands whichever registers first."""
    parser = hsub.choices.get("users")
    if parser is None:
        parser = hsub.add_parser("users", help="head office users")
        return parser.add_subparsers(dest="hq_users", required=True)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="hq_users", required=True)


def register(hsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = hsub.add_parser("serve", help="the head-office web console")
    s.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    s.add_argument("--bind", default="127.0.0.1:8080", help="HOST:PORT (default 127.0.0.1:8080)")
    s.add_argument("--tls-cert", type=Path)
    s.add_argument("--tls-key", type=Path)
    s.add_argument("--insecure-http", action="store_true",
                   help="serve plain HTTP on a non-loopback address (only behind a TLS proxy)")
    s.set_defaults(func=run_serve)
    a = _users_parser(hsub).add_parser("add-web", help="a head-office web console user")
    a.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    a.add_argument("--name", required=True)
    a.add_argument("--role", required=True, choices=web_users.ROLES)
    a.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    a.set_defaults(func=run_add_web)


def parse_bind(bind: str) -> tuple[str, int]:
    host, sep, port = bind.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CliError(f"--bind must be HOST:PORT, got {bind!r}")
    return host, int(port)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_serve(args: argparse.Namespace) -> int:
    host, port = parse_bind(args.bind)
    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError("--tls-cert and --tls-key go together")
    tls = args.tls_cert is not None
    for f in (args.tls_cert, args.tls_key) if tls else ():
        if not f.is_file():
            raise CliError(f"{f} is not a readable file")
    if not _loopback(host) and not tls and not args.insecure_http:
        raise CliError(f"refusing plain HTTP on {host}: pass --tls-cert and --tls-key, or --insecure-http "
                       "behind a TLS proxy")
    try:
        connect(args.db).close()
    except CentralUnavailable as exc:
        raise CliError(f"cannot reach the central database: {exc}") from None
    from web.serve import run  # deferred: the core and its CLI run where the web packages are not installed

    run(args.db, host, port, args.tls_cert, args.tls_key)
    return 0


def run_add_web(args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise CliError("the passwords differ")
    try:
        with connect(args.db) as conn:
            web_users.add_user(conn, args.name, args.role, password)
    except CentralUnavailable as exc:
        raise CliError(f"cannot reach the central database: {exc}") from None
    except web_users.WebUserError as exc:
        raise CliError(str(exc)) from None
    print(f"web user {args.name} ({args.role}) added")
    return 0
