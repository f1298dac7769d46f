"""Print jobs that belong to a business action, stored by that action's own unit of work.

A sale's receipt with its drawer kick, a refund slip, a cash-in/out slip and a shift close slip
are rendered here and added to `uow.print_jobs` in the action's transaction: a committed action always
has its job (a crash right after the commit still prints it when the till restarts), a rolled
back one never has. The device worker only sends what is stored; the GUI just wakes it.

Without a receipt printer nothing is printed later: no job with a body is stored, so a printer
set up months afterwards does not print a backlog of old receipts (a copy by hand stays possible,
`tillstone receipt reprint`). A drawer apart from the printer (serial) still gets its kick, as a
job without a body. Rendering (python-escpos) is imported only when there is a device to serve.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from app.context import TillContext
from app.usecases.receipts import info_of, receipt_info
from db.uow import UnitOfWork
from devices.urls import DeviceSettings, DeviceUrlError, parse_device_settings
from kernel.errors import StateError
from kernel.sale_records import SaleRecord

log = logging.getLogger(__name__)


def device_settings(values: Mapping[str, str]) -> tuple[DeviceSettings, str]:
    """The till's `device.*` settings; a malformed one leaves every device off and says why."""
    try:
        return parse_device_settings(dict(values)), ""
    except DeviceUrlError as exc:
        return parse_device_settings({}), f"Devices are off: {exc}"


def _devices(uow: UnitOfWork) -> DeviceSettings:
    settings, problem = device_settings(uow.settings.all())
    if problem:
        log.warning("%s", problem)
    return settings


def _has_work(settings: DeviceSettings, kick: bool) -> bool:
    return settings.printer.enabled or (kick and settings.drawer.kind == "serial")


def _profile(settings: DeviceSettings) -> str:
    """An unknown profile name must not stop a sale: it prints as a generic ESC/POS printer."""
    from devices.escpos_lib import UnknownProfileError, get_profile

    try:
        get_profile(settings.printer_profile)
    except UnknownProfileError as exc:
        log.warning("%s Printing with the default profile.", exc)
        return "default"
    return settings.printer_profile


def _store(uow: UnitOfWork, ctx: TillContext, job: Any, settings: DeviceSettings, kick: bool) -> int | None:
    from devices.drawer import kick_for
    from devices.spool import KICK_TTL_S

    body = job.body if settings.printer.enabled else b""
    drawer_works = settings.drawer.kind == "serial" or (settings.drawer.kind == "printer" and settings.printer.enabled)
    pulse = kick_for(settings.drawer) if kick and drawer_works else b""
    if not body and not pulse:
        return None
    return uow.print_jobs.add(created_at=ctx.now_iso(), kind=job.kind, ref=job.ref, body=body, kick=pulse,
                              kick_deadline=ctx.later_iso(seconds=KICK_TTL_S) if pulse else None)


def spool_receipt(uow: UnitOfWork, ctx: TillContext, sale: SaleRecord, data: dict[str, Any],
                  digest: str) -> int | None:
    """The receipt of a sale completed in this unit of work, from its audit entry's `data` and hash
    (what the audit log recorded is what the paper shows); the drawer opens for sales paid
    (partly) in cash. Nothing is read back: the checkout hands over what it just wrote."""
    settings = _devices(uow)
    if not _has_work(settings, kick=True):
        return None
    from devices.receipt import pays_cash, render_receipt
    from devices.receipt_context import receipt_context

    info = info_of(uow, ctx, sale, data, digest)
    rc = receipt_context(info, profile=_profile(settings), width=settings.paper_width, copy=False)
    return _store(uow, ctx, render_receipt(info.sale, rc), settings, kick=pays_cash(info.sale))


def spool_slip(uow: UnitOfWork, ctx: TillContext, title: str, lines: Callable[[int], list[str]], *,
               ref: str, kick: bool) -> int | None:
    """A slip (refund, cash in/out, shift close); `lines(width)` formats it for the paper."""
    settings = _devices(uow)
    if not _has_work(settings, kick):
        return None
    from devices.receipt import render_report

    job = render_report(lines(settings.paper_width), title=title, profile=_profile(settings),
                        paper_width=settings.paper_width)
    return _store(uow, ctx, replace(job, kind="slip", ref=ref), settings, kick=kick)


def queue_copy(ctx: TillContext, receipt_no: str) -> int:
    """A COPY of a receipt for the till's spool (never opening the drawer); refused without a printer."""
    with ctx.uow() as uow:
        settings, problem = device_settings(uow.settings.all())
        job = render_copy(uow, ctx, receipt_no, settings)
        if not settings.printer.enabled:
            raise StateError(problem or "No receipt printer is set up: give one with --printer URL.")
        job_id = uow.print_jobs.add(created_at=ctx.now_iso(), kind=job.kind, ref=job.ref, body=job.body)
        uow.commit()
    return int(job_id)


def copy_job(ctx: TillContext, receipt_no: str) -> Any:
    """A COPY rendered for the till's paper and profile, to be sent straight to some printer."""
    with ctx.uow(read_only=True) as uow:
        return render_copy(uow, ctx, receipt_no, device_settings(uow.settings.all())[0])


def render_copy(uow: UnitOfWork, ctx: TillContext, receipt_no: str, settings: DeviceSettings) -> Any:
    """A receipt again, marked COPY, without the drawer kick."""
    from devices.receipt import render_receipt
    from devices.receipt_context import receipt_context

    info = receipt_info(uow, ctx, receipt_no)
    return render_receipt(info.sale, receipt_context(info, profile=_profile(settings), width=settings.paper_width,
                                                     copy=True))
