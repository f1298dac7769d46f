"""Head office's till staff and customers in the central store, each change with its `hq_audit`
entry in one transaction. A PIN is stored only as the slow hash the till checks
(app/domain/pins.py); neither it nor the hash goes into the audit entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from app.catalogue import fields as f
from app.domain.permissions import ROLES
from app.domain.pins import hash_pin
from app.hq import hq_audit
from app.hq.master import EXPONENT, check_store
from app.sync.pull_checks import MAX_TERMS_DAYS
from db.central import master_repo
from kernel.errors import InvalidInput, NotFound
from kernel.ids import new_id
from kernel.money import format_money

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,35}")
CUSTOMER_TYPES = ("retail", "wholesale")
MAX_NAME = 120
ALL_STORES = "*"


def _id(value: str, what: str) -> str:
    if not _ID.fullmatch(value or ""):
        raise InvalidInput(f"The {what} id {f.quote(value or '')} must be 1 to 36 letters, digits, dots, dashes "
                           "or underscores.")
    return value


def _text(value: str, label: str, max_len: int = MAX_NAME, required: bool = True) -> str | None:
    try:
        return f.as_text(value, label, max_len=max_len, required=required)
    except f.FieldError as exc:
        raise InvalidInput(str(exc)) from None


def _role(value: str) -> str:
    if value not in ROLES:
        raise InvalidInput(f"The role {f.quote(value)} is not one of {', '.join(ROLES)}.")
    return value


def _pin_hash(pin: str) -> str:
    try:
        return hash_pin(pin)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


@dataclass(frozen=True)
class UserChange:
    name: str | None = None
    role: str | None = None
    pin: str | None = None
    store: str | None = None  # ALL_STORES lists the user at every store


def add_user(conn: psycopg.Connection, *, user_id: str, name: str, role: str, pin: str, store: str | None,
             now: datetime, actor: str) -> int:
    """A new till user (cashier, supervisor or admin) for one store or every store."""
    user_id, name_ok, role = _id(user_id, "user"), _text(name, "name"), _role(role)
    pin_hash = _pin_hash(pin)
    with conn.transaction():
        store_id = check_store(conn, store)
        if master_repo.user(conn, user_id) is not None:
            raise InvalidInput(f"A user {user_id} exists already; change it with hq users set.")
        master_repo.upsert_user(conn, {"id": user_id, "store_id": store_id, "name": name_ok, "role": role,
                                       "pin_hash": pin_hash, "active": True})
        return hq_audit.append(conn, now=now, type_="user.added", actor=actor, data={
            "user_id": user_id, "name": name_ok, "role": role, "store": store_id})


def set_user(conn: psycopg.Connection, *, user_id: str, change: UserChange, now: datetime, actor: str) -> int:
    """Change a user's name, role, PIN or store; a change naming nothing is refused."""
    updates: dict[str, Any] = {}
    if change.name is not None:
        updates["name"] = _text(change.name, "name")
    if change.role is not None:
        updates["role"] = _role(change.role)
    pin_hash = _pin_hash(change.pin) if change.pin is not None else None
    if not updates and pin_hash is None and change.store is None:
        raise InvalidInput("Name at least one of --name, --role, --pin or --store to change.")
    with conn.transaction():
        old = master_repo.user(conn, _id(user_id, "user"))
        if old is None:
            raise NotFound(f"Head office has no user {user_id}.")
        if change.store is not None:
            updates["store_id"] = None if change.store == ALL_STORES else check_store(conn, change.store)
        changes = {k: {"from": old[k], "to": v} for k, v in updates.items() if old[k] != v}
        master_repo.update_user(conn, user_id, {**updates, **({"pin_hash": pin_hash} if pin_hash else {})})
        return hq_audit.append(conn, now=now, type_="user.changed", actor=actor, data={
            "user_id": user_id, "changes": changes, "pin_changed": pin_hash is not None})


def disable_user(conn: psycopg.Connection, *, user_id: str, now: datetime, actor: str) -> int:
    """The user can no longer log in at any till once the tills have pulled the change."""
    with conn.transaction():
        old = master_repo.user(conn, _id(user_id, "user"))
        if old is None:
            raise NotFound(f"Head office has no user {user_id}.")
        master_repo.update_user(conn, user_id, {"active": False})
        return hq_audit.append(conn, now=now, type_="user.disabled", actor=actor, data={"user_id": user_id})


@dataclass(frozen=True)
class CustomerFields:
    name: str | None = None
    customer_type: str | None = None
    contact_person: str | None = None
    credit_limit: str | None = None  # decimal text, e.g. "500.00"
    terms_days: int | None = None


def _customer_values(fields: CustomerFields) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if fields.name is not None:
        out["name"] = _text(fields.name, "name")
    if fields.customer_type is not None:
        if fields.customer_type not in CUSTOMER_TYPES:
            raise InvalidInput(f"The customer type must be one of {', '.join(CUSTOMER_TYPES)}.")
        out["customer_type"] = fields.customer_type
    if fields.contact_person is not None:
        out["contact_person"] = _text(fields.contact_person, "contact person", required=False) or ""
    if fields.credit_limit is not None:
        try:
            out["credit_limit"] = f.as_money(fields.credit_limit, "credit limit", EXPONENT, required=True)
        except f.FieldError as exc:
            raise InvalidInput(str(exc)) from None
    if fields.terms_days is not None:
        if not 0 <= fields.terms_days <= MAX_TERMS_DAYS:
            raise InvalidInput(f"Payment terms are 0 to {MAX_TERMS_DAYS} days.")
        out["terms_days"] = fields.terms_days
    return out


def _shown(values: dict[str, Any]) -> dict[str, Any]:
    return {k: format_money(v, EXPONENT) if k == "credit_limit" else v for k, v in values.items()}


def add_customer(conn: psycopg.Connection, *, customer_id: str | None, fields: CustomerFields, now: datetime,
                 actor: str) -> tuple[str, int]:
    """A new customer for every store (a credit limit is always head office's); returns (id, seq)."""
    if fields.name is None:
        raise InvalidInput("A customer needs a name.")
    values = {"customer_type": "retail", "contact_person": "", "credit_limit": 0, "terms_days": 30,
              **_customer_values(fields)}
    cid = _id(customer_id, "customer") if customer_id is not None else new_id()
    with conn.transaction():
        if master_repo.customer(conn, cid) is not None:
            raise InvalidInput(f"A customer {cid} exists already; change it with hq customers set.")
        master_repo.upsert_customer(conn, {"id": cid, "blocked": False, **values})
        seq = hq_audit.append(conn, now=now, type_="customer.added", actor=actor,
                              data={"customer_id": cid, **_shown(values)})
    return cid, seq


def set_customer(conn: psycopg.Connection, *, customer_id: str, fields: CustomerFields | None = None,
                 blocked: bool | None = None, now: datetime, actor: str) -> int:
    """Change a customer's fields, or block or unblock them (type `customer.changed`, `.blocked`,
    `.unblocked`)."""
    values = _customer_values(fields) if fields is not None else {}
    if blocked is not None:
        values["blocked"] = blocked
    if not values:
        raise InvalidInput("Name at least one of --name, --type, --contact, --credit-limit or --terms to change.")
    with conn.transaction():
        old = master_repo.customer(conn, _id(customer_id, "customer"))
        if old is None:
            raise NotFound(f"Head office has no customer {customer_id}.")
        changes = {k: {"from": _shown({k: old[k]})[k], "to": _shown({k: v})[k]}
                   for k, v in values.items() if old[k] != v}
        master_repo.upsert_customer(conn, {**old, **values})
        type_ = "customer.changed" if blocked is None else ("customer.blocked" if blocked else "customer.unblocked")
        return hq_audit.append(conn, now=now, type_=type_, actor=actor,
                               data={"customer_id": customer_id, "changes": changes})
