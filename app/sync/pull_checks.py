"""What a till refuses from head office. The central store is trusted for master data, but a wrong
row (a bug, a bad import at head office, a restored backup) must not silently corrupt the stock a
cashier sells from or the balance a credit decision rests on: the whole pull is refused with the
reasons, and the till stays as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard

import psycopg

from app.audit.format_v1 import valid_ts
from app.catalogue.fields import MAX_STOCK_MILLI
from app.domain.amounts import MAX_MINOR
from app.domain.promotion_codec import from_rule
from app.domain.promotions import PromotionError
from app.domain.text import printable
from kernel.money import format_qty

MAX_REASONS = 5
MAX_TERMS_DAYS = 3660  # ten years; a due date past year 9999 would stop every checkout on account


class PulledDataRefused(psycopg.DataError):
    """Rows from the central store the till will not apply. A database data error to the sync
    worker: the round is recorded as failed with this message and retried later."""


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _name(value: object) -> str:
    return printable(str(value))[:40] or "(empty)"


def _mark_problem(what: str, counted: object, last_seq: int) -> str | None:
    if not _is_int(counted) or counted < 0:
        return f"{what}: counted sequence {_name(counted)} is not a sequence number"
    if counted > last_seq:
        return (f"{what} claims to include this till's entries up to #{counted}, "
                f"but this till has written only {last_seq}")
    return None


def stock_problems(rows: Iterable[Mapping[str, Any]], allow_negative: Mapping[str, bool],
                   last_seq: int) -> list[str]:
    """Why each stock row cannot be applied. `allow_negative` maps every product the till will know
    after this pull to its negative-stock flag; `last_seq` is the till's newest audit entry."""
    problems: list[str] = []
    for row in rows:
        pid, qty, counted, version = (row.get(k) for k in ("product_id", "on_hand_milli", "counted_seq", "version"))
        if not isinstance(pid, str) or pid not in allow_negative:
            problems.append(f"stock for unknown product {_name(pid)}")
            continue
        if not _is_int(qty) or abs(qty) > MAX_STOCK_MILLI:
            problems.append(f"stock of {_name(pid)} is not a quantity this till can hold: {_name(qty)}")
        elif qty < 0 and not allow_negative[pid]:
            problems.append(f"stock of {_name(pid)} is negative ({format_qty(qty)}) but the product may not "
                            "go below zero")
        mark = _mark_problem(f"stock of {_name(pid)}", counted, last_seq)
        if mark:
            problems.append(mark)
        if not _is_int(version) or version < 1:
            problems.append(f"stock of {_name(pid)}: bad version {_name(version)}")
    return problems


def customer_problems(rows: Iterable[Mapping[str, Any]], last_seq: int) -> list[str]:
    """Why each customer row cannot be applied: a balance or limit that is not an exact amount this
    till can add up, terms no calendar can hold, or a counted mark this till never reached."""
    problems: list[str] = []
    for row in rows:
        cid = row.get("id")
        if not isinstance(cid, str) or not cid or len(cid) > 40:
            problems.append(f"customer with a bad id {_name(cid)}")
            continue
        who = f"customer {_name(cid)}"
        if not isinstance(row.get("name"), str):
            problems.append(f"{who}: name is not text")
        balance, limit, terms = row.get("central_balance"), row.get("credit_limit"), row.get("terms_days")
        if not _is_int(balance) or abs(balance) >= MAX_MINOR:
            problems.append(f"{who}: balance {_name(balance)} is not an amount this till can hold")
        if not _is_int(limit) or not 0 <= limit < MAX_MINOR:
            problems.append(f"{who}: credit limit {_name(limit)} is not an amount this till can hold")
        if not _is_int(terms) or not 0 <= terms <= MAX_TERMS_DAYS:
            problems.append(f"{who}: payment terms of {_name(terms)} days are not possible")
        if not isinstance(row.get("blocked"), bool):
            problems.append(f"{who}: blocked is not true or false")
        mark = _mark_problem(f"balance of {who}", row.get("counted_seq"), last_seq)
        if mark:
            problems.append(mark)
        if not _is_int(row.get("version")) or row["version"] < 1:
            problems.append(f"{who}: bad version {_name(row.get('version'))}")
    return problems


def reorder_problems(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Why a product's reorder level cannot be applied: the inventory export holds stock against
    it, so it is none (the store's default) or a quantity of zero or more this till can hold."""
    problems: list[str] = []
    for row in rows:
        level = row.get("reorder_level_milli")
        if level is not None and (not _is_int(level) or not 0 <= level <= MAX_STOCK_MILLI):
            problems.append(f"product {_name(row.get('sku'))}: reorder level {_name(level)} is not a quantity "
                            "this till can hold")
    return problems


def price_problems(rows: Iterable[Mapping[str, Any]], known_products: set[str]) -> list[str]:
    """Why each pulled price cannot be applied: an unknown product, an amount this till cannot hold,
    a time not in the audit form (which the till compares as text with its own clock)."""
    problems: list[str] = []
    for row in rows:
        pid, price, when = row.get("product_id"), row.get("price"), row.get("effective_from")
        who = f"price of {_name(pid)}"
        if not isinstance(pid, str) or pid not in known_products:
            problems.append(f"price for unknown product {_name(pid)}")
            continue
        if not _is_int(price) or not 0 <= price < MAX_MINOR:
            problems.append(f"{who}: {_name(price)} is not an amount this till can hold")
        if not valid_ts(when):
            problems.append(f"{who}: {_name(when)} is not a time")
        if not _is_int(row.get("id")) or not _is_int(row.get("version")) or row["version"] < 1:
            problems.append(f"{who}: bad id or version")
    return problems


def refuse(what: str, problems: list[str], outcome: str = "nothing applied") -> PulledDataRefused:
    """One clear error naming the first few problems."""
    more = f" (and {len(problems) - MAX_REASONS} more)" if len(problems) > MAX_REASONS else ""
    return PulledDataRefused(f"{what} refused, {outcome}: {'; '.join(problems[:MAX_REASONS])}{more}")


def promotion_problems(rows: list[dict[str, Any]]) -> list[str]:
    """Pulled promotions the till could not apply as written (checked as a till's own import is)."""
    problems = []
    for row in rows:
        try:
            rule = json.loads(row["rule"]) if isinstance(row.get("rule"), str) else None
            if not isinstance(row.get("id"), int) or not isinstance(row.get("name"), str) or rule is None:
                raise PromotionError("the row is not a promotion")
            from_rule(row["id"], row["name"], str(row.get("kind")), rule)
        except (PromotionError, ValueError) as exc:
            problems.append(f"promotion {row.get('id')!r}: {exc}")
    return problems
