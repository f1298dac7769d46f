"""`simulate` says why a day made fewer sales than asked: every refusal is counted under its
reason and named in the plain output, and what was sold plus the baskets given up is what was
asked."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

from app.bootstrap import init_till
from app.cli.main import main
from app.simulate.day import REASONS
from app.usecases import setup


def cli(data_dir: Path, *argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--data-dir", str(data_dir), *argv])
    return code, out.getvalue()


def test_a_short_day_says_why(tmp_path: Path) -> None:
    ctx = init_till(tmp_path / "sim", store="S001", till="T01")
    setup.load_demo(ctx)
    ctx.close()
    code, out = cli(tmp_path / "sim", "simulate", "--days", "2", "--sales-per-day", "200")
    assert code == 0, out
    lines = out.strip().splitlines()
    assert len(lines) == 2
    short = 0
    for line in lines:
        m = re.match(r"\d{4}-\d\d-\d\d: (\d+) of (\d+) sales", line)
        assert m, line
        sold, asked = int(m.group(1)), int(m.group(2))
        assert asked == 200
        given_up = re.search(r"(\d+) × " + re.escape(REASONS["basket_empty"]), line)
        assert sold + (int(given_up.group(1)) if given_up else 0) == asked, line
        short += sold < asked
    assert short, "the demo's stock runs out on the second day: one day must be short, and say why"


def test_bad_sales_per_day_is_one_sentence(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ctx = init_till(tmp_path / "sim", store="S001", till="T01")
    ctx.close()
    assert main(["--data-dir", str(tmp_path / "sim"), "simulate", "--days", "1", "--sales-per-day", "0"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--sales-per-day" in err
