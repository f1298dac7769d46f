"""`tillstone receipt reprint RECEIPT_NO [--printer URL]`: a COPY, never opening the drawer."""

from __future__ import annotations

import argparse

from app.cli.context import domain_errors_as_cli, till_from_args
from app.cli.errors import CliError
from app.usecases import printing


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("receipt", help="reprint a receipt")
    rsub = p.add_subparsers(dest="receipt_command", required=True)
    rp = rsub.add_parser("reprint", help="print a receipt again, marked COPY")
    rp.add_argument("receipt_no")
    rp.add_argument("--printer", help="send straight to this printer URL; otherwise queue it for the till's spool")
    rp.add_argument("--timeout", type=float, default=3.0)
    rp.set_defaults(func=domain_errors_as_cli(run_reprint))


def run_reprint(args: argparse.Namespace) -> int:
    from devices.printer_link import PrinterLinkError, open_link
    from devices.urls import DeviceUrlError, parse_printer_url

    ctx = till_from_args(args)
    if not args.printer:
        job_id = printing.queue_copy(ctx, args.receipt_no)
        print(f"Copy of {args.receipt_no} queued as print job {job_id}; the till prints it.")
        return 0
    job = printing.copy_job(ctx, args.receipt_no)
    try:
        cfg = parse_printer_url(args.printer)
    except DeviceUrlError as exc:
        raise CliError(str(exc)) from None
    if not cfg.enabled:
        raise CliError("No receipt printer is set up: give one with --printer URL.")
    try:
        link = open_link(cfg, timeout=args.timeout)
        try:
            link.write(job.body)
            confirmed = link.query_status().reachable
        finally:
            link.close()
    except PrinterLinkError as exc:
        print(f"The copy did not get through: {exc}.")
        return 1
    print("Copy printed." if confirmed else "Copy sent, but the printer did not confirm it.")
    return 0 if confirmed else 1
