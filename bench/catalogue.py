"""A large synthetic catalogue and till for the benchmarks."""

from __future__ import annotations

import random
from pathlib import Path

from app.bootstrap import init_till, reload_settings
from app.context import TillContext
from app.usecases import setup, shifts
from db.bulk import load_products
from kernel.barcodes import with_check_digit

WORDS = (
    "organic fresh whole semi skimmed milk butter cheese cheddar gouda brie yogurt greek vanilla "
    "strawberry apple pear banana orange lemon lime grape melon tomato potato onion garlic carrot pepper "
    "chili bread baguette sourdough rye wheat oat muesli granola honey jam chocolate dark milk white "
    "coffee espresso tea green black herbal water sparkling still juice cola lemonade beer lager ale wine "
    "red rose crisps salted paprika nuts almond cashew peanut rice basmati pasta spaghetti penne sauce "
    "pesto olive oil vinegar soap shampoo detergent tissue towel sponge candle battery bulb"
).split()


def product_rows(count: int, seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 4))).title() + f" {i % 997}"
        barcode = with_check_digit(f"4{i:011d}")
        rows.append((f"p{i:07d}", f"SKU{i:07d}", name, None, "each", rng.randint(50, 5000),
                     rng.choice("AB"), barcode, 1_000_000_000))
    return rows


def make_bench_till(data_dir: Path, products: int) -> tuple[TillContext, list[tuple]]:
    ctx = init_till(data_dir, store="S001", till="T01")
    setup.add_tax_rate(ctx, "A", "Standard", 2000)
    setup.add_tax_rate(ctx, "B", "Reduced", 1000)
    setup.add_user(ctx, "bench", "Bench Cashier", "supervisor", "1234")
    rows = product_rows(products)
    with ctx.uow() as uow:
        load_products(uow.conn, rows, ctx.now_iso())
        uow.commit()
    ctx = reload_settings(ctx)
    shifts.open_shift(ctx, "bench", 10_000)
    return ctx, rows
