"""`tillstone receipt reprint RECEIPT_NO [--printer URL]`: a COPY, never opening the drawer."""

from __future__ import annotations

import argparse

from app.cli.context import domain_errors_as_cli, till_from_args
from app.cli.errors import CliError
from app.usecases.receipts import receipt_info


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
    from devices.receipt import render_receipt
    from devices.receipt_context import receipt_context
    from devices.urls import DeviceUrlError, parse_paper_width, parse_printer_url

    ctx = till_from_args(args)
    info = receipt_info(ctx, args.receipt_no)
    with ctx.uow(read_only=True) as uow:
        devices = uow.settings.devices()
    try:
        cfg = parse_printer_url(args.printer or devices.get("device.printer", "none"))
        width = parse_paper_width(devices.get("device.paper_width", "42"))
    except DeviceUrlError as exc:
        raise CliError(str(exc)) from None
    if not cfg.enabled:
        raise CliError("No receipt printer is set up: give one with --printer URL.")
    job = render_receipt(info.sale, receipt_context(info, profile=devices.get("device.printer_profile", "default"),
                                                    width=width, copy=True))
    if not args.printer:
        with ctx.uow() as uow:
            job_id = uow.print_jobs.add(created_at=ctx.now_iso(), kind=job.kind, ref=job.ref, body=job.body)
            uow.commit()
        print(f"Copy of {args.receipt_no} queued as print job {job_id}; the till prints it.")
        return 0
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
