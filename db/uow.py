"""The unit of work: one IMMEDIATE transaction per business action, with its repositories.

Use cases do `with ctx.uow() as uow: ...; uow.commit()`; leaving the block without commit
rolls everything back, so a refused action leaves the database as it was.

Durability is chosen per transaction: `durable=True` (the default, and every money action)
commits with `synchronous=FULL`, so what the screen showed as done survives a power cut;
`durable=False` (editing an unpaid cart) commits with `synchronous=NORMAL` in WAL mode, which
survives a killed process but may lose the last commits to a power cut or an OS crash. The
pragma is set on the connection before BEGIN. Every repository a
use case needs is an attribute here, built on first use (a scan that touches two does not
build all of them); nothing outside db/ sees the connection.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from functools import cached_property
from types import TracebackType

from sqlalchemy import Connection, Engine

from db.audit_repo import AuditRepo, EntryFormat
from db.audit_rows_repo import AuditRowsRepo
from db.carts_repo import CartsRepo
from db.cash_counts_repo import CashCountsRepo
from db.catalogue_repo import CatalogueRepo
from db.discrepancies_repo import DiscrepanciesRepo
from db.engine import READ_ONLY, check_intact, damage_of, lenient_text
from db.export_customers_repo import ExportCustomersRepo
from db.export_inventory_repo import ExportInventoryRepo
from db.mail_queue_repo import MailQueueRepo
from db.people_repo import PeopleRepo
from db.promotions_repo import PromotionsRepo
from db.raw_sql import RawSql
from db.receipt_numbers_repo import ReceiptNumbersRepo
from db.report_queries import ReportQueries
from db.sales_export_repo import SalesExportRepo
from db.sales_repo import SalesRepo
from db.settings_repo import SettingsRepo
from db.shifts_repo import ShiftsRepo
from db.spool_repo import SpoolRepo
from db.stock_repo import StockRepo
from db.sync_repo import SyncRepo
from db.witness_repo import WitnessRepo
from db.z_reports_repo import ZReportsRepo
from kernel.errors import DatabaseDamaged

# PRAGMA synchronous values: FULL (2) fsyncs the WAL at every commit, NORMAL (1) only at checkpoints.
_SYNC_FULL, _SYNC_NORMAL = 2, 1
_SYNC_KEY = "tillstone_synchronous"  # what the pooled connection is set to, in its info dict


class UnitOfWork:
    conn: Connection

    def __init__(self, engine: Engine, till: str, entry_format: EntryFormat, *, read_only: bool = False,
                 durable: bool = True) -> None:
        self._engine = engine
        self.till = till
        self.entry_format = entry_format
        self.read_only = read_only
        self.durable = durable
        self._committed = False
        self._after_rollback: list[Callable[[], None]] = []

    def __enter__(self) -> UnitOfWork:
        self.conn = self._engine.connect()
        if self.read_only:
            self.conn.execution_options(**READ_ONLY)
        else:
            self._set_synchronous(_SYNC_FULL if self.durable else _SYNC_NORMAL)
        self._tx = self.conn.begin()
        return self

    def _set_synchronous(self, level: int) -> None:
        """Before BEGIN (SQLite applies it to the connection's next commits); skipped when the
        pooled connection is already set so."""
        info = self.conn.connection.info
        if info.get(_SYNC_KEY) != level:
            self.conn.connection.dbapi_connection.execute(f"PRAGMA synchronous={level}")  # type: ignore[union-attr]
            info[_SYNC_KEY] = level

    @cached_property
    def raw(self) -> RawSql:
        """The driver under this unit of work's connection, for the hot paths' statements (db/ only)."""
        return RawSql(self.conn)

    # -- repositories (each bound to this unit of work's connection) ---------------------------
    @cached_property
    def audit(self) -> AuditRepo:
        return AuditRepo(self.conn, self.till, self.entry_format)

    @cached_property
    def settings(self) -> SettingsRepo:
        return SettingsRepo(self.conn)

    @cached_property
    def catalogue(self) -> CatalogueRepo:
        return CatalogueRepo(self.conn)

    @cached_property
    def stock(self) -> StockRepo:
        return StockRepo(self.conn)

    @cached_property
    def people(self) -> PeopleRepo:
        return PeopleRepo(self.conn)

    @cached_property
    def carts(self) -> CartsRepo:
        return CartsRepo(self.conn)

    @cached_property
    def promotions(self) -> PromotionsRepo:
        return PromotionsRepo(self.conn)

    @cached_property
    def sales(self) -> SalesRepo:
        return SalesRepo(self.conn)

    @cached_property
    def sales_export(self) -> SalesExportRepo:
        return SalesExportRepo(self.conn)

    @cached_property
    def receipt_numbers(self) -> ReceiptNumbersRepo:
        return ReceiptNumbersRepo(self.conn)

    @cached_property
    def shifts(self) -> ShiftsRepo:
        return ShiftsRepo(self.conn)

    @cached_property
    def cash_counts(self) -> CashCountsRepo:
        return CashCountsRepo(self.conn)

    @cached_property
    def discrepancies(self) -> DiscrepanciesRepo:
        return DiscrepanciesRepo(self.conn)

    @cached_property
    def z_reports(self) -> ZReportsRepo:
        return ZReportsRepo(self.conn)

    @cached_property
    def reports(self) -> ReportQueries:
        return ReportQueries(self.conn)

    @cached_property
    def export_customers(self) -> ExportCustomersRepo:
        return ExportCustomersRepo(self.conn)

    @cached_property
    def export_inventory(self) -> ExportInventoryRepo:
        return ExportInventoryRepo(self.conn)

    @cached_property
    def mail_queue(self) -> MailQueueRepo:
        return MailQueueRepo(self.conn)

    @cached_property
    def sync(self) -> SyncRepo:
        return SyncRepo(self.conn)

    @cached_property
    def witnesses(self) -> WitnessRepo:
        return WitnessRepo(self.conn)

    @cached_property
    def audit_rows(self) -> AuditRowsRepo:
        return AuditRowsRepo(self.conn)

    @cached_property
    def print_jobs(self) -> SpoolRepo:
        return SpoolRepo(self.conn)

    # -- the file itself (for `audit verify`) ----------------------------------------------------------
    def check_intact(self) -> None:
        """PRAGMA quick_check of the till file: raises DatabaseDamaged with SQLite's finding."""
        check_intact(self.conn)

    def lenient_text(self) -> AbstractContextManager[None]:
        """While inside, TEXT that is not UTF-8 reads with its bad bytes escaped instead of failing."""
        return lenient_text(self.conn)

    # -- the transaction ---------------------------------------------------------------------------
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
        damage = damage_of(exc) if exc is not None else None
        if damage is not None:  # a hot-path statement sent to the driver directly (db/raw_sql.py)
            raise DatabaseDamaged(damage) from exc


class UnitOfWorkFactory:
    """Opens units of work on one till database; the owner of its engine (its connection pool)."""

    def __init__(self, engine: Engine, till: str, entry_format: EntryFormat) -> None:
        self._engine, self._till, self._entry_format = engine, till, entry_format

    def __call__(self, *, read_only: bool = False, durable: bool = True) -> UnitOfWork:
        return UnitOfWork(self._engine, self._till, self._entry_format, read_only=read_only, durable=durable)

    def close(self) -> None:
        """Close every pooled connection (a later unit of work opens a new one)."""
        self._engine.dispose()
