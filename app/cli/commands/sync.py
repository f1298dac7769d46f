"""`tillstone sync [--once] [--status]`: push the audit log, pull master data."""

from __future__ import annotations

import argparse
import signal
import sys

import psycopg

from app.cli.context import print_json, till_from_args
from app.cli.errors import CliError
from app.sync import connection, worker
from app.usecases import audit
from db.central.schema import CentralUnavailable


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sync", help="push the audit log to the central store and pull master data")
    p.add_argument("--once", action="store_true", help="one round, then exit (exit 1 if it failed)")
    p.add_argument("--status", action="store_true", help="unsynced count, last success, last error (offline)")
    p.add_argument("--batch-size", type=int, default=worker.DEFAULT_BATCH, help="entries per batch")
    p.add_argument("--interval", type=float, default=30.0, help="seconds between rounds when looping")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def _print_status(status: worker.SyncStatus, as_json: bool) -> None:
    if as_json:
        print_json(vars(status))
    else:
        print(f"unsynced entries: {status.unsynced}; acknowledged up to #{status.pushed_seq}; "
              f"last success: {status.last_success or 'never'}; last error: {status.last_error or 'none'}")


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.batch_size <= 50_000:
        raise CliError("--batch-size must be between 1 and 50000")
    ctx = till_from_args(args)
    if args.status:
        audit.check_database(ctx)  # a damaged file is the status that matters most
        status = worker.status(ctx)
        _print_status(status, args.json)
        if status.ahead is not None:
            print(status.ahead, file=sys.stderr)
            return 1
        return 0
    try:
        settings = connection.load(ctx.data_dir)
    except connection.SettingsError as exc:
        raise CliError(str(exc)) from None
    if settings.till != ctx.settings.audit_till:
        raise CliError(f"the connection settings are for till {settings.till}, not {ctx.settings.audit_till}")
    if args.once:
        try:
            report = worker.sync_once(ctx, settings, batch_size=args.batch_size)
        except worker.CentralAhead as exc:
            if args.json:
                print_json({"ok": False, "error": str(exc)})
            print(exc, file=sys.stderr)
            return 1
        except (CentralUnavailable, psycopg.Error, OSError) as exc:
            if args.json:
                print_json({"ok": False, "error": str(exc).strip().splitlines()[0] if str(exc).strip() else ""})
            else:
                print(f"sync failed, nothing lost; will retry: {exc}")
            return 1
        if args.json:
            print_json({"ok": True, **vars(report)})
        else:
            print(f"pushed {report.inserted} entries in {report.batches} batches "
                  f"({report.quarantined} quarantined); acknowledged up to #{report.watermark}; "
                  f"pulled {sum(report.pulled.values())} master-data rows")
        return 0
    ahead = worker.status(ctx).ahead
    if ahead is not None:
        print(ahead, file=sys.stderr)
        return 1
    service = worker.SyncService(ctx, settings, interval_s=args.interval,
                                 on_status=lambda s: _print_status(s, args.json))
    signal.signal(signal.SIGTERM, lambda *_: service.stop())
    try:
        service.run()
    except KeyboardInterrupt:
        service.stop()
    return 0
