"""The export kinds, listed rather than discovered (docs/design.md). Each kind module gives its
filters and two builders of a Book: one over the till's database, one over the central store
(a psycopg connection, read with a server-side cursor so no result is held whole in memory)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.context import TillContext
from app.exports.book import Book
from app.exports.filters import Filter

TillBuilder = Callable[[TillContext, Mapping[str, Any]], Book]
# (connection, store ids or None for every store, checked filters, the currency's decimals)
HqBuilder = Callable[[Any, Sequence[str] | None, Mapping[str, Any]], Book]


@dataclass(frozen=True)
class ExportKind:
    name: str
    help: str
    filters: Sequence[Filter]
    till: TillBuilder
    hq: HqBuilder


def kinds() -> dict[str, ExportKind]:
    """By name, in the order `export --help` lists them. Imported here, late, so that a kind's
    module may import anything of app/ without a cycle."""
    found: dict[str, ExportKind] = {}
    for kind in _load():
        found[kind.name] = kind
    return found


def _load() -> list[ExportKind]:
    loaded: list[ExportKind] = []
    # Each kind module defines KIND; the list grows as kinds are written.
    from app.exports import sales

    loaded.append(sales.KIND)
    from app.exports import customers, inventory

    loaded += [customers.KIND, inventory.KIND]
    from app.exports import audit_log

    loaded.append(audit_log.KIND)
    return loaded
