"""`tillstone stock release-expired [--dry-run]`: free stock held by carts nobody is working on (for cron)."""

from __future__ import annotations

import argparse

from app.cli.context import print_json, till_from_args
from app.usecases import cart_lifecycle


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("stock", help="stock held by open sales")
    stock_sub = p.add_subparsers(dest="stock_command", metavar="SUBCOMMAND", required=True)
    r = stock_sub.add_parser("release-expired", help="release holds that expired (audited as stock.released)")
    r.add_argument("--dry-run", action="store_true", help="count what would be released, change nothing")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=run_release_expired)


def run_release_expired(args: argparse.Namespace) -> int:
    ctx = till_from_args(args)
    count = cart_lifecycle.release_expired(ctx, dry_run=args.dry_run)
    if args.json:
        print_json({"released": 0 if args.dry_run else count, "expired": count, "dry_run": args.dry_run})
    elif args.dry_run:
        print(f"{count} expired stock hold(s) would be released (dry run, nothing changed)")
    else:
        print(f"released {count} expired stock hold(s)")
    return 0
