"""`tillstone devices list|test`: what hardware the till is set up with, and whether it answers."""

from __future__ import annotations

import argparse

from app.cli.errors import CliError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("devices", help="list the till's devices or print a test page")
    dsub = p.add_subparsers(dest="devices_command", required=True)
    lst = dsub.add_parser("list", help="configured devices and their live status")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for each device (default 2)")
    lst.set_defaults(func=run_list)
    test = dsub.add_parser("test", help="print a test page")
    test.add_argument("--printer", required=True, help="printer URL, e.g. escpos+tcp://192.168.1.50:9100")
    test.add_argument("--profile", default="default", help="python-escpos printer profile, e.g. TM-T20II")
    test.add_argument("--width", default="42", help="paper width in characters: 32, 42 or 48")
    test.add_argument("--timeout", type=float, default=3.0)
    test.set_defaults(func=run_test)


def run_list(args: argparse.Namespace) -> int:
    from app.cli.context import print_json, till_from_args
    from devices.probe import check_all

    ctx = till_from_args(args)
    with ctx.uow(read_only=True) as uow:
        values = uow.settings.devices()
        waiting = uow.print_jobs.count_pending()
    rows = check_all(values, timeout=args.timeout)
    if args.json:
        print_json({"devices": [row.as_dict() for row in rows], "print_jobs_waiting": waiting,
                    "ok": not any(r.problem for r in rows)})
    else:
        for row in rows:
            print(f"{row.device:<8} {row.state:<15} {row.url}\n         {row.message}")
        print(f"print jobs waiting: {waiting}")
    return 1 if any(row.problem for row in rows) else 0


def run_test(args: argparse.Namespace) -> int:
    from devices.escpos_lib import UnknownProfileError
    from devices.printer_link import PrinterLinkError, open_link
    from devices.receipt import render_test_page
    from devices.urls import DeviceUrlError, parse_paper_width, parse_printer_url

    try:
        cfg = parse_printer_url(args.printer)
        width = parse_paper_width(args.width)
        job = render_test_page(profile=args.profile, paper_width=width, url=cfg.url)
    except (DeviceUrlError, UnknownProfileError) as exc:
        raise CliError(str(exc)) from None
    if not cfg.enabled:
        raise CliError("Give a printer URL, not none.")
    try:
        link = open_link(cfg, timeout=args.timeout)
    except PrinterLinkError as exc:
        print(f"The receipt printer does not answer: {exc}.")
        return 1
    try:
        before = link.query_status()
        if not before.ready:
            print(before.sentence())
            return 1
        link.write(job.body)
        after = link.query_status()
    except PrinterLinkError as exc:
        print(f"The test page did not get through: {exc}.")
        return 1
    finally:
        link.close()
    print("The test page was sent." if after.reachable else "Sent, but the printer did not confirm it.")
    if after.reachable and after.state != "ready":
        print(after.sentence())
    return 0 if after.reachable else 1
