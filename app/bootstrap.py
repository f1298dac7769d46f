"""The composition root: where the data directory, the database and the settings meet.

The only module in app/ that reaches into db/ for construction; use cases get a TillContext.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal
from platformdirs import user_data_dir

from app.audit import format_v1
from app.context import TillContext
from app.domain.settings import TillSettings
from app.usecases.checkpoints import ensure_till_key
from db import thread_check
from db.engine import make_engine
from db.migrate import upgrade_to_head
from db.spool_repo import SpoolStore
from db.uow import UnitOfWork, UnitOfWorkFactory
from kernel.clock import Clock, SystemClock
from kernel.errors import InvalidInput, StateError

DB_NAME = "till.sqlite"
_ID = re.compile(r"^[A-Z0-9]{1,8}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class NotInitialised(StateError):
    pass


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, else TILLSTONE_DATA_DIR, else the platform's user data directory."""
    if explicit is not None and not str(explicit).strip():
        raise InvalidInput("The data directory cannot be empty.")
    chosen = explicit or os.environ.get("TILLSTONE_DATA_DIR") or user_data_dir("tillstone", "Tillstone")
    return Path(chosen).expanduser()


def _context(data_dir: Path, clock: Clock | None) -> TillContext:
    if data_dir.exists() and not data_dir.is_dir():
        raise InvalidInput(f"{data_dir} is a file, not a folder: give a folder for the till's data.")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(f"The folder {data_dir} cannot be created: {exc.strerror}.") from None
    engine = make_engine(data_dir / DB_NAME)
    upgrade_to_head(engine)
    with UnitOfWork(engine, "", format_v1, read_only=True) as uow:
        values = uow.settings.all()
    till = f"{values.get('store_id', '')}-{values.get('till_id', '')}"
    return TillContext(
        uow_factory=UnitOfWorkFactory(engine, till, format_v1),
        clock=clock or SystemClock(),
        settings=TillSettings.from_mapping({"store_id": "", "till_id": "", **values}),
        data_dir=data_dir,
    )


def is_initialised(data_dir: Path) -> bool:
    return (data_dir / DB_NAME).exists()


def open_till(data_dir: Path, clock: Clock | None = None) -> TillContext:
    """Open an initialised till, upgrading its schema first; a newer schema is refused."""
    if not is_initialised(data_dir):
        raise NotInitialised(f"No till is set up in {data_dir}. Run `tillstone init` first.")
    ctx = _context(data_dir, clock)
    if not ctx.settings.store_id:
        raise NotInitialised(f"The till in {data_dir} was never finished setting up. Run `tillstone init`.")
    return ctx


def machine_timezone() -> str:
    """The machine's IANA zone (TZ, then the system setting), the default store zone at `init`:
    a shop's till is set to the shop's local time. UTC when the machine names no usable zone."""
    try:
        name = tzlocal.get_localzone_name()
        if name:
            ZoneInfo(name)
            return name
    except (ZoneInfoNotFoundError, ValueError, LookupError, OSError):
        pass
    return "UTC"


def init_till(
    data_dir: Path, *, store: str, till: str, currency: str = "EUR", exponent: int = 2,
    timezone: str = "UTC", clock: Clock | None = None,
) -> TillContext:
    """Create (or re-open with the same identity) a till database."""
    store, till, currency = store.strip().upper(), till.strip().upper(), currency.strip().upper()
    if not _ID.match(store) or not _ID.match(till):
        raise InvalidInput("Store and till ids are 1 to 8 letters or digits, e.g. S001 and T01.")
    if not _CURRENCY.match(currency):
        raise InvalidInput("The currency is a 3-letter ISO code, e.g. EUR.")
    if not 0 <= exponent <= 3:
        raise InvalidInput("A currency has 0 to 3 decimals.")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"'{timezone[:60]}' is not a time zone; use a name like Europe/Berlin.") from None
    ctx = _context(data_dir, clock)
    if ctx.settings.store_id and (ctx.settings.store_id, ctx.settings.till_id) != (store, till):
        raise StateError(
            f"{data_dir} already holds till {ctx.settings.audit_till}; a till's identity never changes."
        )
    with ctx.uow() as uow:
        for key, value in {"store_id": store, "till_id": till, "currency": currency, "exponent": str(exponent),
                           "timezone": timezone}.items():
            if uow.settings.get(key) is None:
                uow.settings.set(key, value)
        uow.commit()
    ensure_till_key(data_dir)
    return open_till(data_dir, clock)


def print_store(ctx: TillContext) -> SpoolStore:
    """The print jobs of this till for the device worker (it has the shape of `devices.spool.JobStore`),
    on a connection pool of its own: the device thread never shares the use cases' connections."""
    return SpoolStore(make_engine(Path(ctx.data_dir) / DB_NAME))


def reload_settings(ctx: TillContext) -> TillContext:
    with ctx.uow(read_only=True) as uow:
        values = uow.settings.all()
    return ctx.with_settings(TillSettings.from_mapping(values))


def forbid_database_on(thread: threading.Thread | None) -> None:
    """The debug check of TILLSTONE_THREAD_CHECKS=1: from now on SQL on `thread` raises (the GUI
    registers its own thread at start-up, and lifts it with None at shut-down)."""
    thread_check.forbid(thread)
