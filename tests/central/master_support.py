"""Head office publishing master data through the real CLI, and tills pulling it (tests/central/test_master_*.py)."""

from __future__ import annotations

import contextlib
import io
import sqlite3
from pathlib import Path

from app.cli.main import main
from db.central.schema import connect
from kernel.barcodes import with_check_digit

RATES = [{"code": "A", "name": "Standard 20%", "rate_bp": 2000}, {"code": "C", "name": "Super-reduced 5.5%",
                                                                  "rate_bp": 550}]


def hq(*argv: str) -> tuple[int, str, str]:
    """Run `tillstone hq ...`; (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["hq", *argv])
    return code, out.getvalue(), err.getvalue()


def seed_tax_rates(url: str) -> None:
    for rate in RATES:
        code = hq("tax", "set", "--db", url, "--code", rate["code"], "--name", rate["name"],
                  "--rate", f"{rate['rate_bp'] / 100:g}")[0]
        assert code == 0


def barcode(n: int) -> str:
    return with_check_digit(f"40{n:010d}")


def write_csv(path: Path, rows: list[list[str]],
              header: str = "sku,name,price,tax_code,unit,cost,barcodes,reorder_level,allow_negative_stock") -> Path:
    """A catalogue file; rows of 8 values may go below zero (so tests sell without a stock count)."""
    lines = [header] + [",".join(r + ["yes"] if len(r) == 8 else r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def central_state(url: str) -> dict[str, object]:
    """Every master table and head office's log, to show a refused change wrote nothing."""
    with connect(url) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()  # noqa: S608 (fixed names)
                for t in ("md_tax_rates", "md_products", "md_prices", "md_users", "md_customers", "md_stock",
                          "md_stock_counted", "hq_audit")}


def master_entries(ctx) -> list[bytes]:  # type: ignore[no-untyped-def]
    con = sqlite3.connect(ctx.data_dir / "till.sqlite")
    try:
        return [bytes(r[0]) for r in con.execute("SELECT body FROM audit_log WHERE type = 'master.applied' "
                                                 "ORDER BY seq")]
    finally:
        con.close()
