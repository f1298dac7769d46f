"""Recording every statement a connection runs, and checking each against Citus's routing rules
for tables sharded by `store_id` (central revision 0011).

The check reads our own SQL (one style, written here), not arbitrary SQL: it finds each occurrence
of a distributed table after FROM, JOIN, INTO, UPDATE or COPY, with its alias, and the `store_id`
equalities of the statement. An occurrence is *pinned* when its store_id equals a parameter or a
till's own store (`alias.store_id = %s`, an unaliased `store_id = %s`, or an INSERT or COPY whose
column list names store_id); two occurrences are *co-located* when `a.store_id = b.store_id` joins
them. A statement needs no cross-shard join when all its occurrences are pinned or co-located with
one that is, or when it has a single occurrence; it reaches one shard (a router query) when every
occurrence is pinned or tied to a pinned one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg import sql

RECORDED: list[str] = []

_KEYWORDS = {"where", "join", "on", "using", "left", "right", "full", "inner", "set", "values", "select",
             "group", "order", "with", "as", "limit", "for", "returning", "default", "from", "union", "cross"}
_OCCURRENCE = re.compile(r"\b(FROM|JOIN|INTO|UPDATE|COPY)\s+(\w+)(\s*\(([^)]*)\))?(?:\s+(?:AS\s+)?(\w+))?",
                         re.IGNORECASE)
_PARAM = r"(?:%\(\w+\)s|%s|\(SELECT t\.store_id FROM tills t WHERE t\.role_name = current_user\))"


def _text(query: Any, conn: psycopg.Connection) -> str:
    return query.as_string(conn) if isinstance(query, sql.Composable) else str(query)


class RecordingCursor(psycopg.Cursor):  # type: ignore[type-arg]
    """Keeps the text of every statement, COPY included, in RECORDED."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any):  # type: ignore[no-untyped-def,override]
        RECORDED.append(_text(query, self.connection))
        return super().execute(query, params, **kwargs)

    def copy(self, statement: Any, params: Any = None, **kwargs: Any):  # type: ignore[no-untyped-def,override]
        RECORDED.append(_text(statement, self.connection))
        return super().copy(statement, params, **kwargs)


class RecordingServerCursor(psycopg.ServerCursor):  # type: ignore[type-arg]
    def execute(self, query: Any, params: Any = None, **kwargs: Any):  # type: ignore[no-untyped-def,override]
        RECORDED.append(_text(query, self.connection))
        return super().execute(query, params, **kwargs)


def recording(conn: psycopg.Connection) -> psycopg.Connection:
    conn.cursor_factory = RecordingCursor
    conn.server_cursor_factory = RecordingServerCursor
    return conn


def _occurrences(statement: str, distributed: Iterable[str]) -> list[tuple[str, str, bool]]:
    """(table, alias, store_id in its column list) of each distributed table the statement names."""
    tables = set(distributed)
    found = []
    for match in _OCCURRENCE.finditer(statement):
        verb, table, columns, alias = match.group(1).upper(), match.group(2), match.group(4), match.group(5)
        if table not in tables:
            continue
        if columns is not None and verb not in ("INTO", "COPY"):
            continue  # a function call, not a table
        if not alias or alias.lower() in _KEYWORDS:
            alias = table
        listed = verb in ("INTO", "COPY") and columns is not None and "store_id" in re.split(r"[\s,]+", columns)
        found.append((table, alias, listed))
    return found


def routing(statement: str, distributed: Iterable[str]) -> tuple[bool, bool]:
    """(needs no cross-shard join, reaches one shard) for one statement."""
    text = re.sub(r"'[^']*'", "''", " ".join(statement.split()))
    occurrences = _occurrences(text, distributed)
    if not occurrences:
        return True, True
    aliases = {alias for _, alias, _ in occurrences}
    pinned = {alias for _, alias, listed in occurrences if listed}
    for alias in aliases:
        qualified = rf"\b{alias}\.store_id\s*=\s*{_PARAM}|{_PARAM}\s*=\s*{alias}\.store_id\b"
        bare = rf"(?<![.\w])store_id\s*=\s*{_PARAM}"
        if re.search(qualified, text) or (alias in {t for t, _, _ in occurrences} and re.search(bare, text)):
            pinned.add(alias)
    links = re.findall(r"\b(\w+)\.store_id\s*=\s*(\w+)\.store_id\b", text)
    if pinned:
        reached = _closure(pinned, links, aliases)
        return reached >= aliases, reached >= aliases
    return _closure({sorted(aliases)[0]}, links, aliases) >= aliases, False


def _closure(start: set[str], links: list[tuple[str, str]], aliases: set[str]) -> set[str]:
    """The occurrences tied to `start` by store_id equalities (equality is transitive: Citus plans a
    statement whose every occurrence is tied to one pinned to a store as a router query)."""
    reached = set(start)
    grew = True
    while grew:
        grew = False
        for a, b in links:
            for x, y in ((a, b), (b, a)):
                if x in reached and y in aliases and y not in reached:
                    reached.add(y)
                    grew = True
    return reached
