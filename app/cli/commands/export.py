"""`tillstone export KIND --format xlsx|csv|pdf --out FILE [filters]` at the till and
`tillstone hq export KIND --db URL [--store S] ...` at head office: one engine (app/exports/),
two data sources. A progress bar shows on a terminal; `--json` or a pipe keeps it quiet."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.cli.context import CENTRAL_DB_HELP, central_url, domain_errors_as_cli, print_json, till_from_args
from app.exports.files import FORMATS, OnRow, Written
from app.exports.filters import Filter, FilterType
from app.exports.registry import kinds
from app.usecases import exports as till_exports


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="sales, customers, inventory or the audit log as xlsx, csv or pdf")
    _add_kinds(p, central=False)


def register_hq(hsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = hsub.add_parser("export", help="the central store's sales, customers, inventory or audit log as a file")
    _add_kinds(p, central=True)


def _add_kinds(parser: argparse.ArgumentParser, *, central: bool) -> None:
    ksub = parser.add_subparsers(dest="export_kind", required=True, metavar="KIND")
    for kind in kinds().values():
        k = ksub.add_parser(kind.name, help=kind.help)
        if central:
            k.add_argument("--db", required=True, type=central_url, help=CENTRAL_DB_HELP)
            k.add_argument("--store", action="append", help="store id (repeatable; default: every store)")
            k.add_argument("--by", default="hq", help="who at head office takes the data (in hq_audit)")
        k.add_argument("--format", required=True, choices=FORMATS)
        k.add_argument("--out", required=True, type=Path, help="file to write (replaced only when complete)")
        k.add_argument("--sheet", help="only this sheet (csv of one sheet without a zip)")
        k.add_argument("--json", action="store_true", help="print what was written as JSON, no progress bar")
        # head office's own --store (repeatable) serves a kind's --store filter
        specs = [spec for spec in kind.filters if not (central and spec.name == "store")]
        for spec in specs:
            _add_filter(k, spec)
        k.set_defaults(func=domain_errors_as_cli(run_hq if central else run_till), filter_specs=specs)


def _add_filter(parser: argparse.ArgumentParser, spec: Filter) -> None:
    if spec.type is FilterType.FLAG:
        parser.add_argument(f"--{spec.name}", dest=spec.key, action="store_true", help=spec.help)
    elif spec.type is FilterType.CHOICE:
        parser.add_argument(f"--{spec.name}", dest=spec.key, choices=spec.choices, help=spec.help)
    else:
        parser.add_argument(f"--{spec.name}", dest=spec.key, metavar=spec.type.value.upper(), help=spec.help)


def _raw_filters(args: argparse.Namespace) -> dict[str, Any]:
    return {spec.key: getattr(args, spec.key, None) for spec in args.filter_specs}


def run_till(args: argparse.Namespace) -> int:
    ctx = till_from_args(args)
    with _progress(quiet=args.json) as on_row:
        written = till_exports.export(ctx, args.export_kind, args.format, args.out, _raw_filters(args),
                                      sheet=args.sheet, on_row=on_row)
    _report(written, args.json)
    return 0


def run_hq(args: argparse.Namespace) -> int:
    from app.cli.commands.hq import _connect
    from app.hq import exports as hq_exports

    with _connect(args.db) as conn, _progress(quiet=args.json) as on_row:
        written = hq_exports.export(conn, args.export_kind, args.format, args.out, _raw_filters(args),
                                    stores=args.store, actor=args.by, sheet=args.sheet, on_row=on_row)
    _report(written, args.json)
    return 0


def _report(written: Written, as_json: bool) -> None:
    if as_json:
        print_json({"file": str(written.path), "format": written.format, "rows": written.rows,
                    "sha256": written.sha256, "bytes": written.size})
        return
    sheets = ", ".join(f"{name} {count}" for name, count in written.rows.items())
    print(f"Wrote {written.path} ({written.format}, {written.size} bytes): {sheets} rows; sha256 {written.sha256}")


@contextmanager
def _progress(*, quiet: bool) -> Iterator[OnRow | None]:
    """A rich progress bar on a terminal's stderr; nothing under --json or when stderr is not a tty."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.completed:,} rows"), TimeElapsedColumn(),
                  transient=True) as bar:
        task = bar.add_task("export", total=None)
        update: Callable[[int], None] = lambda rows: bar.update(task, completed=rows)  # noqa: E731
        yield update
