"""What head office holds of the audit logs, as a source of rows for the audit export and the
audit and activity reports (the till's counterpart is app/reports/audit_source.py).

Scope: `--store S` (repeatable) takes the accepted chains of that store's tills; the store id
`HQ` stands for head office's own log (hq_audit: master data published, exports and reports
taken at head office). Without `--store`: every till and hq_audit.

Local time: head office keeps no time zone per till, so it uses what the till's log says, its
`settings.changed` entries that changed `timezone` (the zone in force at each entry); a till
whose log never changed its zone, and hq_audit, are shown in UTC."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

import psycopg

from app.hq.hq_audit import HQ_TILL
from app.reports.audit_entries import EntryFilter, ZoneTrack, parse_row, shift_users, utc_bounds
from app.reports.audit_source import Scoped, scoped
from db.central import export_audit
from kernel.errors import InvalidInput

HQ_STORE = HQ_TILL  # the store id that names head office's own log


class HqAuditSource:
    scope = "head_office"
    zone_note = ("each till's time zone from the settings.changed entries head office holds of it; UTC for a "
                 "till whose log never changed its zone and for head office's own log")

    def __init__(self, conn: psycopg.Connection, stores: Sequence[str] | None) -> None:
        self.conn = conn
        known = export_audit.known_stores(conn)
        wanted = None if not stores else sorted({s.strip().upper() for s in stores})
        for store in wanted or ():
            if store != HQ_STORE and store not in known:
                raise InvalidInput(f"--store: head office has no store '{store[:40]}'.")
        self.include_hq = wanted is None or HQ_STORE in wanted
        till_stores = None if wanted is None else [s for s in wanted if s != HQ_STORE]
        self.till_stores = till_stores
        self.heads = export_audit.heads(conn, till_stores) if till_stores != [] else {}
        self.hq_head = export_audit.hq_head(conn) if self.include_hq else 0
        self.names = export_audit.user_names(conn)
        tills = sorted(self.heads)
        by_till: dict[str, list[tuple[int, bytes]]] = {}
        for till, seq, body in export_audit.bodies_of_type(conn, tills, "settings.changed"):
            by_till.setdefault(till, []).append((seq, body))
        self.zones = {till: ZoneTrack.from_bodies(by_till.get(till, []), "UTC") for till in tills}
        self.shift_users = shift_users(body for _t, _s, body in export_audit.bodies_of_type(conn, tills,
                                                                                            "shift.opened"))
        self.label = ", ".join(wanted) if wanted else "every store"
        self.store_names = known

    def rows(self, flt: EntryFilter) -> Iterator[Scoped]:
        flt = replace(flt, _sales=set())
        low, high = utc_bounds(flt.date_from, flt.date_to)
        history = flt.needs_history
        ts_from, prefix = (None, None) if history else (low, flt.type)
        if self.till_stores != []:
            for till, store, seq, body, digest in export_audit.till_entries(
                    self.conn, stores=self.till_stores, ts_from=ts_from, ts_to=high, type_prefix=prefix):
                if seq > self.heads.get(till, 0):
                    continue
                row = parse_row(store, till, seq, body, digest)
                if not flt.matches(row):
                    continue
                item = scoped(row, self.zones[till].at(seq) if till in self.zones else "UTC")
                if flt.in_dates(item.local):
                    yield item
        if self.include_hq:
            flt = replace(flt, _sales=set())
            for seq, body, digest in export_audit.hq_entries(self.conn, ts_from=ts_from, ts_to=high,
                                                             type_prefix=prefix):
                if seq > self.hq_head:
                    continue
                row = parse_row(HQ_STORE, HQ_TILL, seq, body, digest)
                if flt.matches(row):
                    item = scoped(row, "UTC")
                    if flt.in_dates(item.local):
                        yield item


def hq_chain(conn: psycopg.Connection, source: HqAuditSource) -> list[tuple[str, object]]:
    """`hq verify` (every accepted chain walked again, and hq_audit), told for the tills in scope."""
    from app.exports.book import Kind, Typed
    from app.hq.verify import verify_all

    report = verify_all(conn)
    tills = {till: t for till, t in report["tills"].items() if till in source.heads}
    issues = [f"{till}: {issue}" for till, t in sorted(tills.items()) for issue in t["issues"]]
    if source.include_hq:
        issues += [f"hq_audit: {issue}" for issue in report["hq_audit"]["issues"]]
    checked = [f"{till} 1 to {t['accepted_seq']}" for till, t in sorted(tills.items())]
    if source.include_hq:
        checked.append(f"hq_audit 1 to {report['hq_audit']['entries']}")
    lines: list[tuple[str, object]] = [("Verified", "yes" if not issues else "NO"),
                                       ("Checked", "; ".join(checked) or "nothing"),
                                       ("Problems", Typed(Kind.INT, len(issues)))]
    if issues:
        lines.append(("First problem", issues[0][:200]))
    return lines
