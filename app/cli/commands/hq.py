"""`tillstone hq import|verify|report daily`: head office's side of the central store."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import psycopg

from app.audit.checkpoint import KeyFileError
from app.cli.commands import export, hq_master, hq_promotions, hq_schedule, hq_web, report_audit
from app.cli.context import CENTRAL_DB_HELP, central_url, print_json
from app.cli.errors import CliError
from app.hq import report as hq_report
from app.hq.importer import default_jobs, import_all, load_witness_key, witness_key_dir
from app.hq.verify import verify_all
from db.central.schema import CentralUnavailable, connect


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("hq", help="head office: import, verify and report on what tills sent; publish master data")
    hsub = p.add_subparsers(dest="hq_command", required=True)
    i = hsub.add_parser("import", help="verify and consolidate what tills sent (idempotent)")
    i.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    i.add_argument("--key-dir", type=Path, help="head office's countersigning key (default: TILLSTONE_HQ_KEY_DIR)")
    i.add_argument("--till", action="append", help="only this till (repeatable)")
    i.add_argument("--jobs", type=_jobs, default=None,
                   help="worker processes that read and consolidate entries ahead of the walk (default: cores)")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=run_import)
    v = hsub.add_parser("verify", help="check every till's chain, checkpoints, forks, gaps and clocks")
    v.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=run_verify)
    r = hsub.add_parser("report", help="store-level reports")
    rsub = r.add_subparsers(dest="hq_report", required=True)
    d = rsub.add_parser("daily", help="daily report of a store (refused while the day is incomplete)")
    d.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    d.add_argument("--business-date", required=True)
    d.add_argument("--store", action="append", help="store id (repeatable; default: every store)")
    d.add_argument("--allow-missing", action="append", default=[], metavar="TILL",
                   help="a till that may have sent nothing for the day (repeatable); the report names it")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=run_report)
    s = rsub.add_parser("stock", help="stock reconciled across a store's tills; exit 1 if anything is oversold")
    s.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
    s.add_argument("--store", required=True)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=run_stock)
    report_audit.register_hq(rsub)
    hq_master.register(hsub)
    st = hsub.add_parser("stock", help="stock counts head office publishes to a store's tills")
    hq_master.register_stock(st.add_subparsers(dest="hq_stock", required=True))
    hq_promotions.register(hsub)
    hq_web.register(hsub)
    export.register_hq(hsub)
    hq_schedule.register(hsub)


def _jobs(text: str) -> int:
    """--jobs: a whole number from 1 to 64."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number, not {text!r}") from None
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError("--jobs takes a number from 1 to 64")
    return value


def _connect(url: str) -> psycopg.Connection:
    try:
        return connect(url)
    except CentralUnavailable as exc:
        raise CliError(f"cannot reach the central database: {exc}") from None


def run_import(args: argparse.Namespace) -> int:
    try:
        witness = load_witness_key(witness_key_dir(args.key_dir))
    except KeyFileError as exc:
        raise CliError(str(exc)) from None
    with _connect(args.db) as conn:
        results = import_all(conn, witness, tills=args.till, jobs=args.jobs or default_jobs())
    rows = [{"till": r.till, "accepted": r.accepted, "head_seq": r.head_seq, "checkpoints": r.checkpoints,
             "forks": r.forks, "quarantined": r.quarantined, "problems": r.problems} for r in results]
    if args.json:
        print_json({"tills": rows})
    else:
        for r in results:
            flag = f"  ({len(r.problems)} problems: run hq verify)" if r.problems else ""
            print(f"{r.till}: +{r.accepted} entries, head {r.head_seq}, {r.checkpoints} checkpoints{flag}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    with _connect(args.db) as conn:
        report = verify_all(conn)
    if args.json:
        print_json(report)
    else:
        for till, t in report["tills"].items():
            print(f"{till}: {'OK' if t['ok'] else 'PROBLEMS'} - {t['accepted_seq']} entries verified, "
                  f"{t['checkpoints']} checkpoints")
            for issue in t["issues"][:20]:
                print(f"    {issue}")
        own = report["hq_audit"]
        print(f"hq_audit: {'OK' if own['ok'] else 'PROBLEMS'} - {own['entries']} entries verified")
        for issue in own["issues"][:20]:
            print(f"    {issue}")
    return 0 if report["ok"] else 1


def run_report(args: argparse.Namespace) -> int:
    try:
        day = date.fromisoformat(args.business_date)
    except ValueError:
        raise CliError("--business-date must be YYYY-MM-DD") from None
    with _connect(args.db) as conn:
        stores = [s.upper() for s in args.store] if args.store else hq_report.stores(conn)
        reports, refused = [], {}
        for store in stores:
            try:
                reports.append(hq_report.daily(conn, store, day, frozenset(args.allow_missing)))
            except hq_report.ReportRefused as exc:
                refused[store] = exc.reasons
    if args.json:
        print_json({"reports": reports, "refused": refused})
    else:
        for rep in reports:
            print(f"{rep['store']} {rep['business_date']}: net {rep['sales_net']['amount']} "
                  f"({rep['sales_net']['count']} sales), returns {rep['returns']['amount']}, "
                  f"cash difference {rep['cash']['difference_amount']}")
            for till in rep["missing_tills"]:
                print(f"    till {till} sent nothing for {rep['business_date']}: not in these figures (allowed)")
        for store, reasons in refused.items():
            print(f"{store}: REFUSED - " + "; ".join(reasons))
    return 1 if refused else 0


def run_stock(args: argparse.Namespace) -> int:
    with _connect(args.db) as conn:
        report = hq_report.stock(conn, args.store.upper())
    if args.json:
        print_json(report)
    else:
        for row in report["products"]:
            if row["oversold"]:
                print(f"OVERSOLD {row['sku']}: on hand {row['on_hand']}, then sold {row['sold']}, "
                      f"voided {row['voided']}, refunded {row['refunded']}, remaining {row['remaining']}")
        print(f"{report['store']}: {len(report['products'])} products, {len(report['oversold'])} oversold")
    return 1 if report["oversold"] else 0
