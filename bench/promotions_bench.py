"""Scan to cart with 1,000 active promotions against the same scans without any, in one run.

Two tills with the same catalogue, one with 1,000 promotions (multi-buys, mix-and-match groups
and a wholesale price list over the products scanned), take the same scans in turn, so both
see the same machine and the same growth of their files. A scan here is what the sale screen
waits for: the product added (`cart_lines.add_item`) and the cart priced again with its
promotions (`queries.carts.cart_view`).
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from app.queries.carts import cart_view
from app.usecases import cart_lifecycle, cart_lines
from app.usecases.promotions import import_promotions
from bench.catalogue import make_bench_till
from bench.timing import metric, p99

PROMOTIONS = 1000
POOL = 200  # products the scans and promotions are drawn from: carts repeat items, offers overlap
HEADER = "id,name,kind,skus,buy,pay,bundle_price,prices,customer_group\n"


def promotions_csv(path: Path, rows: list[tuple], rng: random.Random) -> Path:
    lines = [HEADER]
    pool = rows[:POOL]
    for pid in range(1, PROMOTIONS + 1):
        kind = pid % 4
        if kind in (0, 1):
            sku = rng.choice(pool)[1]
            lines.append(f"{pid},Multi {pid},multibuy,{sku},3,2,,,\n" if kind == 0
                         else f"{pid},Two for {pid},multibuy,{sku},2,,1.00,,\n")
        elif kind == 2:
            group = ";".join(r[1] for r in rng.sample(pool, 5))
            lines.append(f"{pid},Group {pid},mixmatch,{group},3,,5.00,,\n")
        else:
            prices = ";".join(f"{r[1]}={max(r[5] - 10, 0) / 100:.2f}" for r in rng.sample(pool, 20))
            lines.append(f"{pid},List {pid},price_list,,,,,{prices},wholesale\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def bench_scan_with_promotions(products: int, scans: int) -> dict:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        plain, rows = make_bench_till(Path(tmp) / "plain", products)
        promoted, _rows = make_bench_till(Path(tmp) / "promoted", products)
        import_promotions(promoted, promotions_csv(Path(tmp) / "promotions.csv", rows, rng))
        codes = [rng.choice(rows[:POOL])[7] for _ in range(scans)]
        carts = {id(ctx): [cart_lifecycle.start_cart(ctx, "bench") for _ in range(scans // 20 + 1)]
                 for ctx in (plain, promoted)}
        samples: dict[int, list[float]] = {id(plain): [], id(promoted): []}
        promoted_lines = 0
        for i, code in enumerate(codes):
            for ctx in ((plain, promoted) if i % 2 else (promoted, plain)):
                cart = carts[id(ctx)][i // 20]
                start = time.perf_counter()
                cart_lines.add_item(ctx, cart, "bench", code)
                view = cart_view(ctx, cart)
                samples[id(ctx)].append((time.perf_counter() - start) * 1000)
                if ctx is promoted and i % 20 == 19:  # a cart's last scan: count what it got
                    promoted_lines += sum(1 for line in view.priced.lines if line.promotion_id is not None)
        ours, base = p99(samples[id(promoted)]), p99(samples[id(plain)])
        plain.close()
        promoted.close()
    result = metric("scan_to_cart_1000_promotions_p99_ms", ours, "ms", base)
    result.update(promotions=PROMOTIONS, catalogue=products, scans=scans, target_ratio=1.5,
                  promoted_lines=promoted_lines, carts=scans // 20)
    return result


def run(quick: bool = False) -> list[dict]:
    return [bench_scan_with_promotions(20_000, 300 if quick else 2000)]
