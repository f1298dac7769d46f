"""Users with their lock-out state; customers with their account ledger.

A customer's balance is head office's `central_balance` plus this till's ledger rows it does not
include yet: those of audit entries after the counted mark that came with it (docs/central.md,
"Customer balances"). Both are written together, so they always describe the same moment.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.models.base import table
from db.models.central import CustomerCounted
from db.models.people import Customer, CustomerLedger, User
from db.raw_sql import RawSql
from kernel.records import CustomerInfo, UserInfo

USERS, CUSTOMERS, LEDGER = table(User), table(Customer), table(CustomerLedger)
COUNTED = table(CustomerCounted)


def _user(row: Any) -> UserInfo:
    """From a row of (id, name, role, pin_hash, active, failed_attempts, locked_until)."""
    return UserInfo(id=row[0], name=row[1], role=row[2], pin_hash=row[3], active=bool(row[4]),
                    failed_attempts=row[5], locked_until=row[6])


def _customer(row: Row[Any]) -> CustomerInfo:
    return CustomerInfo(id=row.id, name=row.name, customer_type=row.customer_type, credit_limit=row.credit_limit,
                        terms_days=row.terms_days, blocked=bool(row.blocked), central_balance=row.central_balance,
                        contact_person=row.contact_person, phone=row.phone, email=row.email)


class PeopleRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- users ---------------------------------------------------------------------------
    def user(self, user_id: str) -> UserInfo | None:
        row = RawSql(self.conn).one(
            "SELECT id, name, role, pin_hash, active, failed_attempts, locked_until FROM users WHERE id = ?", (user_id,)
        )
        return _user(row) if row else None

    def users(self, active_only: bool = True) -> list[UserInfo]:
        stmt = select(USERS.c.id, USERS.c.name, USERS.c.role, USERS.c.pin_hash, USERS.c.active,
                      USERS.c.failed_attempts, USERS.c.locked_until).order_by(USERS.c.role, USERS.c.name)
        if active_only:
            stmt = stmt.where(USERS.c.active.is_(True))
        return [_user(r) for r in self.conn.execute(stmt)]

    def upsert_user(self, *, user_id: str, name: str, role: str, pin_hash: str, active: bool, now: str) -> None:
        values = {"name": name, "role": role, "pin_hash": pin_hash, "active": active, "updated_at": now}
        stmt = sqlite_insert(USERS).values(id=user_id, failed_attempts=0, **values)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))

    def set_login_state(self, user_id: str, failed_attempts: int, locked_until: str | None) -> None:
        self.conn.execute(
            update(USERS).where(USERS.c.id == user_id)
            .values(failed_attempts=failed_attempts, locked_until=locked_until)
        )

    # -- customers -----------------------------------------------------------------------
    def customer(self, customer_id: str) -> CustomerInfo | None:
        row = self.conn.execute(select(CUSTOMERS).where(CUSTOMERS.c.id == customer_id)).first()
        return _customer(row) if row else None

    def customers(self, text_: str = "", limit: int = 50) -> list[CustomerInfo]:
        stmt = select(CUSTOMERS).order_by(CUSTOMERS.c.name).limit(limit)
        if text_:
            like = f"%{text_.replace('%', '').replace('_', '')}%"
            stmt = stmt.where((CUSTOMERS.c.name.ilike(like)) | (CUSTOMERS.c.id == text_))
        return [_customer(r) for r in self.conn.execute(stmt)]

    def upsert_customer(self, info: CustomerInfo, now: str, counted_seq: int = 0) -> None:
        """`counted_seq`: this till's audit entries up to which `info.central_balance` includes its
        account movements (0 for a balance that includes none, e.g. a customer set up locally)."""
        values = {
            "name": info.name, "customer_type": info.customer_type, "credit_limit": info.credit_limit,
            "terms_days": info.terms_days, "blocked": info.blocked, "central_balance": info.central_balance,
            "updated_at": now,
        }
        stmt = sqlite_insert(CUSTOMERS).values(id=info.id, **values)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=values))
        counted = sqlite_insert(COUNTED).values(customer_id=info.id, counted_seq=counted_seq)
        self.conn.execute(counted.on_conflict_do_update(index_elements=["customer_id"],
                                                        set_={"counted_seq": counted_seq}))

    def insert_customer(self, info: CustomerInfo, now: str) -> None:
        """A customer set up at the till: no balance head office counted (mark 0)."""
        self.conn.execute(insert(CUSTOMERS).values(
            id=info.id, name=info.name, customer_type=info.customer_type, credit_limit=info.credit_limit,
            terms_days=info.terms_days, blocked=info.blocked, central_balance=0, updated_at=now,
            contact_person=info.contact_person, phone=info.phone, email=info.email,
        ))
        self.conn.execute(insert(COUNTED).values(customer_id=info.id, counted_seq=0))

    def update_customer(self, customer_id: str, values: dict[str, Any], now: str) -> None:
        """Change the given columns (contact details; credit terms on a standalone till)."""
        self.conn.execute(update(CUSTOMERS).where(CUSTOMERS.c.id == customer_id).values(**values, updated_at=now))

    def counted_seq(self, customer_id: str) -> int:
        """This till's last audit entry that head office's balance for the customer includes."""
        row = self.conn.execute(select(COUNTED.c.counted_seq).where(COUNTED.c.customer_id == customer_id)).first()
        return int(row[0]) if row else 0

    def add_ledger(
        self, *, entry_id: str, customer_id: str, kind: str, amount: int, ref_id: str | None,
        business_date: str, due_date: str | None, now: str, audit_seq: int,
    ) -> None:
        self.conn.execute(
            insert(LEDGER).values(
                id=entry_id, customer_id=customer_id, kind=kind, amount=amount, ref_id=ref_id,
                business_date=business_date, due_date=due_date, created_at=now, audit_seq=audit_seq,
            )
        )

    def local_balance(self, customer_id: str) -> int:
        """This till's account movements head office's balance does not include yet: ledger rows of
        audit entries after the counted mark. Those up to it are inside `central_balance` already."""
        counted = select(func.coalesce(func.max(COUNTED.c.counted_seq), 0)).where(
            COUNTED.c.customer_id == customer_id).scalar_subquery()
        total = self.conn.execute(
            select(func.coalesce(func.sum(LEDGER.c.amount), 0))
            .where(LEDGER.c.customer_id == customer_id, LEDGER.c.audit_seq > counted)
        ).scalar_one()
        return int(total)

    def ledger(self, customer_id: str) -> list[tuple[str, int, str, str | None, str | None]]:
        """(kind, amount, business_date, due_date, ref_id) oldest first; a charge's ref is its sale,
        and so is the ref of a void or refund credit that reverses it."""
        rows = self.conn.execute(
            select(LEDGER.c.kind, LEDGER.c.amount, LEDGER.c.business_date, LEDGER.c.due_date, LEDGER.c.ref_id)
            .where(LEDGER.c.customer_id == customer_id).order_by(LEDGER.c.created_at, LEDGER.c.id)
        )
        return [(r.kind, r.amount, r.business_date, r.due_date, r.ref_id) for r in rows]
