"""The unit of work: one IMMEDIATE transaction per business action, with its repositories.

Use cases do `with ctx.uow() as uow: ...; uow.commit()`; leaving the block without commit
rolls everything back, so a refused action leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from sqlalchemy import Connection, Engine

from db.audit_repo import AuditRepo, EntryFormat
from db.carts_repo import CartsRepo
from db.catalogue_repo import CatalogueRepo
from db.engine import READ_ONLY
from db.people_repo import PeopleRepo
from db.sales_repo import SalesRepo
from db.settings_repo import SettingsRepo
from db.shifts_repo import ShiftsRepo
from db.spool_repo import SpoolRepo
from db.stock_repo import StockRepo


class UnitOfWork:
    conn: Connection
    spool: SpoolRepo  # print jobs of this action: stored, or rolled back, with it

    def __init__(self, engine: Engine, till: str, entry_format: EntryFormat, *, read_only: bool = False) -> None:
        self.engine = engine
        self.till = till
        self.entry_format = entry_format
        self.read_only = read_only
        self._committed = False
        self._after_rollback: list[Callable[[], None]] = []

    def __enter__(self) -> UnitOfWork:
        self.conn = self.engine.connect()
        if self.read_only:
            self.conn.execution_options(**READ_ONLY)
        self._tx = self.conn.begin()
        self.audit = AuditRepo(self.conn, self.till, self.entry_format)
        self.settings = SettingsRepo(self.conn)
        self.catalogue = CatalogueRepo(self.conn)
        self.stock = StockRepo(self.conn)
        self.people = PeopleRepo(self.conn)
        self.carts = CartsRepo(self.conn)
        self.sales = SalesRepo(self.conn)
        self.shifts = ShiftsRepo(self.conn)
        self.spool = SpoolRepo(self.conn)
        return self

    def after_rollback(self, fn: Callable[[], None]) -> None:
        """Run `fn` once this unit of work has been rolled back and its connection released: for
        facts that must be kept although the action failed (a wrong supervisor PIN)."""
        self._after_rollback.append(fn)

    def commit(self) -> None:
        self._tx.commit()
        self._committed = True

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed and self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()
        if not self._committed:
            for fn in self._after_rollback:
                fn()
