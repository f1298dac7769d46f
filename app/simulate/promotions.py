"""Promotions for a simulated till: multi-buys, a mix-and-match group, percentages, a happy
hour and a wholesale price list over the products the simulation sells, imported once through
the till's own file import (`promotions.imported`), so simulated days exercise them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from app.context import TillContext
from app.simulate.actors import Cast
from app.usecases.promotions import import_promotions
from kernel.money import format_money

FIRST_ID = 9001
HEADER = "id,name,kind,skus,buy,pay,bundle_price,percent,prices,customer_group,daily_from,daily_to\n"


def _rows(cast: Cast, exp: int) -> list[str]:
    each = cast.products
    pid = FIRST_ID
    rows = []
    for p in each[:10]:
        rows.append(f"{pid},{p.sku} 3 for 2,multibuy,{p.sku},3,2,,,,,,\n")
        pid += 1
    for p in each[10:15]:
        rows.append(f"{pid},{p.sku} 2 for less,multibuy,{p.sku},2,,{format_money(max(2 * p.price - 50, 0), exp)}"
                    ",,,,,\n")
        pid += 1
    group = ";".join(p.sku for p in each[15:45])
    if group:
        rows.append(f"{pid},Any 3 for 2,mixmatch,{group},3,2,,,,,,\n")
    rows.append(f"{pid + 1},Ten off,category,{';'.join(p.sku for p in each[45:80]) or 'NONE'},,,,10,,,,\n")
    rows.append(f"{pid + 2},Happy hour,category,{';'.join(p.sku for p in each[:80]) or 'NONE'},,,,15,,,16:00,18:00\n")
    prices = ";".join(f"{p.sku}={format_money(p.price * 9 // 10, exp)}" for p in each[:100])
    if prices:
        rows.append(f"{pid + 3},Wholesale,price_list,,,,,,{prices},wholesale,,\n")
    return rows


def install(ctx: TillContext, cast: Cast) -> None:
    """Import the simulation's promotions unless the till already has some."""
    with ctx.uow(read_only=True) as uow:
        if uow.promotions.fingerprint()[0]:
            return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "promotions.csv"
        path.write_text(HEADER + "".join(_rows(cast, ctx.settings.exponent)), encoding="utf-8")
        import_promotions(ctx, path, cast.supervisor)
