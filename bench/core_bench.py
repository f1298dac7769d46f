"""Till core benchmarks: scan to cart, name search, checkout commit, audit verify.

Each figure is measured next to a raw baseline in the same run, on the same machine:
plain sqlite3 with the same durability for database work, plain hashlib for hashing.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from app.audit.verify import VerifyReport, verify_chain
from app.usecases import cart_lifecycle, cart_lines, checkout
from bench.catalogue import WORDS, make_bench_till
from bench.timing import metric, p50, p99, samples_ms


def _raw(path: Path, synchronous: str = "FULL") -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    return conn


def _fresh_cart(ctx, user: str) -> str:  # type: ignore[no-untyped-def]
    return cart_lifecycle.start_cart(ctx, user)


def bench_scan(ctx, rows, scans: int, raw_path: Path) -> dict:  # type: ignore[no-untyped-def]
    rng = random.Random(1)
    codes = [rng.choice(rows)[7] for _ in range(scans)]
    carts = [_fresh_cart(ctx, "bench") for _ in range(scans // 20 + 1)]
    ours = samples_ms(lambda i: cart_lines.add_item(ctx, carts[i // 20], "bench", codes[i]), scans)
    prev = "0" * 64
    raw = _raw(raw_path)

    def raw_scan(i: int) -> None:
        nonlocal prev
        raw.execute("BEGIN IMMEDIATE")
        pid = raw.execute("SELECT product_id FROM barcodes WHERE code = ?", (codes[i % scans],)).fetchone()[0]
        raw.execute("SELECT price FROM products WHERE id = ?", (pid,)).fetchone()
        raw.execute("INSERT INTO stock_reservations (id, product_id, cart_id, cart_line_id, qty_milli, status, "
                    "created_at, expires_at) VALUES (?, ?, 'c', ?, 1000, 'ACTIVE', 'now', 'later')",
                    (f"r{i}", pid, f"l{i}"))
        body = json.dumps({"seq": i, "pid": pid, "prev": prev}).encode()
        prev = hashlib.sha256(body).hexdigest()
        raw.execute("INSERT INTO audit_log (seq, ts, type, actor, body, prev, hash) "
                    "VALUES (?, 't', 'x', NULL, ?, ?, ?)",
                    (10_000_000 + i, body, f"p{i}", prev))
        raw.execute("COMMIT")

    baseline = samples_ms(raw_scan, scans)  # durable: synchronous=FULL
    raw.close()
    raw = _raw(raw_path, "NORMAL")  # the durability a scan commits with (docs/design.md, "Invariants")
    offset = scans
    same = samples_ms(lambda i: raw_scan(i + offset), scans)
    raw.close()
    result = metric("scan_to_cart_p99_ms", p99(ours), "ms", p99(baseline))
    result.update(baseline_normal=round(p99(same), 4), ratio_normal=round(p99(ours) / p99(same), 3))
    return result


def bench_search(ctx, searches: int, raw_path: Path) -> dict:  # type: ignore[no-untyped-def]
    rng = random.Random(2)
    terms = []
    for _ in range(searches):
        words = rng.sample(WORDS, rng.choice((1, 2)))
        terms.append(" ".join(w[: rng.randint(2, len(w))] for w in words))
    with ctx.uow(read_only=True) as uow:
        ours = samples_ms(lambda i: uow.catalogue.search(terms[i], limit=50), searches)
    from db.catalogue_repo import fts_query

    raw = _raw(raw_path)
    baseline = samples_ms(
        lambda i: raw.execute("SELECT product_id FROM products_fts WHERE products_fts MATCH ? LIMIT 50",
                              (fts_query(terms[i]),)).fetchall(), searches)
    raw.close()
    return metric("name_search_p99_ms", p99(ours), "ms", p99(baseline))


def bench_checkout(ctx, rows, sales: int, raw_path: Path) -> dict:  # type: ignore[no-untyped-def]
    rng = random.Random(3)
    prepared = []
    for _ in range(sales):
        cart_id = _fresh_cart(ctx, "bench")
        for code in rng.sample(rows, 20):
            cart_lines.add_item(ctx, cart_id, "bench", code[7])
        prepared.append((cart_id, checkout.amount_due(ctx, cart_id).due))
    ours = samples_ms(lambda i: checkout.add_payment(ctx, prepared[i][0], "bench", "card", prepared[i][1]), sales)
    raw = _raw(raw_path)

    def raw_checkout(i: int) -> None:
        raw.execute("BEGIN IMMEDIATE")
        sid = f"bench-sale-{i}"
        raw.execute("INSERT INTO sales (id, receipt_no, business_date, shift_id, user_id, customer_id, completed_at, "
                    "started_at, line_discount, subtotal_discount, net, tax, rounding, gross, change, audit_seq) "
                    "VALUES (?, ?, 'd', 's', 'u', NULL, 't', 't', 0, 0, 1, 1, 0, 2, 0, ?)", (sid, sid, 20_000_000 + i))
        for n in range(20):
            pid = rows[(i * 20 + n) % len(rows)][0]
            raw.execute("INSERT INTO sale_lines (id, sale_id, position, product_id, sku, name, qty_milli, unit_price, "
                        "discount, subtotal_share, net, tax, gross, tax_code, tax_rate_bp) "
                        "VALUES (?, ?, ?, ?, 'sku', 'name', 1000, 100, 0, 0, 90, 10, 100, 'A', 1000)",
                        (f"{sid}:{n}", sid, n, pid))
            raw.execute("INSERT INTO stock_movements (product_id, delta_milli, reason, ref_id, created_at) "
                        "VALUES (?, -1000, 'sale', ?, 't')", (pid, sid))
            raw.execute("UPDATE stock SET on_hand_milli = on_hand_milli - 1000 WHERE product_id = ?", (pid,))
        raw.execute("INSERT INTO sale_payments (id, sale_id, position, method, amount) VALUES (?, ?, 1, 'card', 2)",
                    (f"{sid}:p1", sid))
        raw.execute("INSERT INTO audit_log (seq, ts, type, actor, body, prev, hash) "
                    "VALUES (?, 't', 'x', NULL, ?, ?, ?)",
                    (20_000_000 + i, b"{}", f"q{i}", f"h{i}"))
        raw.execute("COMMIT")

    baseline = samples_ms(raw_checkout, sales)
    raw.close()
    return metric("checkout_commit_p50_ms", p50(ours), "ms", p50(baseline))


def bench_verify(ctx, entries: int) -> dict:  # type: ignore[no-untyped-def]
    """Chain verification read from the till database vs hashing the same bytes in memory."""
    with ctx.uow() as uow:
        data = {"sale_id": "x", "lines": [{"sku": "SKU0000001", "qty": "1.000", "gross": "2.50"}] * 3,
                "gross": "7.50", "business_date": "2026-01-05"}
        for i in range(entries - uow.audit.count()):
            uow.audit.append(ts="2026-01-05T10:00:00.000000Z", type_="bench.entry", actor="bench",
                             data={**data, "n": i})
        uow.commit()
    with ctx.uow(read_only=True) as uow:
        bodies = [body for _s, body, _p, _h in uow.audit.iter_raw()]
        start = time.perf_counter()
        report = VerifyReport()
        verify_chain(uow.audit.iter_raw(), ctx.settings.audit_till, report)
        ours = time.perf_counter() - start
    assert report.ok, report.problems[:3]
    start = time.perf_counter()
    for body in bodies:
        hashlib.sha256(body).hexdigest()
    raw = time.perf_counter() - start
    return metric("audit_verify_entries_per_s", len(bodies) / ours, "entries/s", len(bodies) / raw)


def bench_search_million(tmp: Path, products: int, searches: int) -> dict:
    """The sale screen's search-as-you-type target is on a million products."""
    ctx, _rows = make_bench_till(tmp / "big", products)
    db = tmp / "big-raw.sqlite"
    with sqlite3.connect(tmp / "big" / "till.sqlite") as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    result = bench_search(ctx, searches, db)
    result.update(name="name_search_1m_p99_ms", catalogue=products)
    return result


def run(quick: bool = False) -> list[dict]:
    products = 20_000 if quick else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        ctx, rows = make_bench_till(Path(tmp) / "till", products)
        db = Path(tmp) / "raw.sqlite"  # baselines write to a copy, never to the till under test
        with sqlite3.connect(Path(tmp) / "till" / "till.sqlite") as src, sqlite3.connect(db) as dst:
            src.backup(dst)
        results = [
            bench_scan(ctx, rows, 300 if quick else 2000, db),
            bench_search(ctx, 200 if quick else 1000, db),
            bench_checkout(ctx, rows, 30 if quick else 200, db),
            bench_verify(ctx, 20_000 if quick else 200_000),
        ]
        results[0]["catalogue"] = results[1]["catalogue"] = products
        if not quick:
            results.append(bench_search_million(Path(tmp), 1_000_000, 1000))
    return results
