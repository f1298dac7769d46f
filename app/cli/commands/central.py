"""`tillstone central init|enroll|connect`: set up the central store and join tills to it."""

from __future__ import annotations

import argparse
import json
import re
import shlex
from pathlib import Path

from app.cli.context import CENTRAL_DB_HELP, central_url, print_json, till_from_args
from app.cli.errors import CliError
from app.hq import enrol as enrolment
from app.sync import connection
from db.central.enrol_repo import AlreadyEnrolled
from db.central.schema import CentralUnavailable, upgrade

_ID = re.compile(r"^[A-Z0-9]{1,8}$")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("central", help="create the central store, enrol and connect tills")
    csub = p.add_subparsers(dest="central_command", required=True)
    i = csub.add_parser("init", help="create or upgrade the central schema and roles")
    i.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=run_init)
    e = csub.add_parser("enroll", help="create a till's login role and register its checkpoint key")
    e.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    e.add_argument("--store", required=True)
    e.add_argument("--till", required=True)
    e.add_argument("--out", type=Path, help="connection file to write (default: STORE-TILL.central.json)")
    e.add_argument("--public-key", help="the till's checkpoint public key (64 hex), required: the contents of "
                   "TILLDIR/checkpoint_ed25519.pub, which `tillstone init` made on the till")
    e.add_argument("--host", help="host name the till uses to reach the database (default: from --db)")
    e.add_argument("--sslmode", choices=sorted(connection.SSLMODES))
    e.add_argument("--sslrootcert", help="root certificate path on the till")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=run_enroll)
    c = csub.add_parser("connect", help="store a connection file written by `central enroll` in this till")
    c.add_argument("file", type=Path)
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=run_connect)


def run_init(args: argparse.Namespace) -> int:
    try:
        revision = upgrade(args.db)
    except CentralUnavailable as exc:
        raise CliError(f"cannot reach the central database: {exc}") from None
    if args.json:
        print_json({"ok": True, "revision": revision})
    else:
        print(f"Central schema at revision {revision}")
    return 0


_NEEDS_KEY = ("central enroll needs the till's checkpoint public key, so that head office can verify what the till "
              "signs. Run, with TILLDIR the till's data directory (its key was made by `tillstone init`):\n"
              "  tillstone central enroll --db {db} --store {store} --till {till} "
              "--public-key \"$(cat TILLDIR/checkpoint_ed25519.pub)\" (with the other options you gave)")


def run_enroll(args: argparse.Namespace) -> int:
    store, till = args.store.upper(), args.till.upper()
    if not _ID.match(store) or not _ID.match(till):
        raise CliError("store and till ids are 1 to 8 letters or digits, e.g. S001 and T01")
    if not args.public_key:
        raise CliError(_NEEDS_KEY.format(db=shlex.quote(args.db), store=store, till=till))
    try:
        public = bytes.fromhex(args.public_key)
    except ValueError:
        raise CliError("--public-key must be 64 hex digits") from None
    if len(public) != 32:
        raise CliError("--public-key must be 64 hex digits")
    out: Path = args.out or Path(f"{store}-{till}.central.json")
    if out.exists():
        raise CliError(f"{out} exists already; choose another --out")
    if not out.parent.exists():
        raise CliError(f"the folder {out.parent} does not exist")
    try:
        settings = enrolment.enrol(args.db, store=store, till_id=till, public_key=public,
                                   sslmode=args.sslmode, sslrootcert=args.sslrootcert)
    except AlreadyEnrolled as exc:
        raise CliError(str(exc)) from None
    except CentralUnavailable as exc:
        raise CliError(f"cannot reach the central database: {exc}") from None
    if args.host:
        settings.conninfo["host"] = args.host
    connection.write_private(out, json.dumps(settings.to_json(), indent=2))
    if args.json:
        print_json({"ok": True, "till": settings.till, "role": settings.conninfo["user"], "file": str(out)})
    else:
        print(f"Enrolled {settings.till} as role {settings.conninfo['user']}; "
              f"settings written to {out} (keep it secret)")
    return 0


def run_connect(args: argparse.Namespace) -> int:
    ctx = till_from_args(args)
    try:
        settings = connection.read_file(args.file)
        target = enrolment.install(ctx.data_dir, settings, ctx.settings.audit_till)
    except (connection.SettingsError, OSError) as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print_json({"ok": True, "till": settings.till, "file": str(target)})
    else:
        print(f"Till {settings.till} will sync to {settings.conninfo['host']}/{settings.conninfo['dbname']}")
    return 0
