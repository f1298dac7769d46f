"""`tillstone devices list|test` against a fake network printer and a real till database."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.cli.main import main
from devices.escpos_decode import decode


@pytest.fixture(scope="module")
def till_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("till")
    assert main(["--data-dir", str(data), "init", "--store", "S001", "--till", "T01"]) == 0
    return data


def _set(data, values: dict[str, str]) -> None:
    with sqlite3.connect(data / "till.sqlite") as db:
        db.executemany("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", values.items())


def test_devices_list_shows_live_state_and_bad_urls(till_dir, printer, capsys):
    _set(till_dir, {"device.printer": f"escpos+tcp://127.0.0.1:{printer.port}", "device.drawer": "printer:pin2",
                    "device.printer_profile": "TM-T20II", "device.scale": "none", "device.display": "none"})
    capsys.readouterr()
    assert main(["--data-dir", str(till_dir), "devices", "list", "--json", "--timeout", "0.5"]) == 0
    report = json.loads(capsys.readouterr().out)
    rows = {r["device"]: r for r in report["devices"]}
    assert report["print_jobs_waiting"] == 0 and report["ok"] is True
    assert rows["printer"]["state"] == "ready" and rows["drawer"]["state"] == "ok"
    printer.set_state(paper_out=True)
    _set(till_dir, {"device.scale": "toledo8217+tcp://x"})
    assert main(["--data-dir", str(till_dir), "devices", "list", "--timeout", "0.5"]) == 1
    out = capsys.readouterr().out
    assert "paper_out" in out and "out of paper" in out and "should start toledo8217+serial://" in out


def test_devices_test_prints_a_page_and_refuses_bad_input(printer, capsys):
    url = f"escpos+tcp://127.0.0.1:{printer.port}"
    assert main(["devices", "test", "--printer", url, "--profile", "TM-T20II"]) == 0
    assert printer.wait_for(lambda p: decode(p.printed()).named("cut"))
    assert "€ £ é è à ç ñ ö ü ß Å Ø" in decode(printer.printed()).lines
    assert main(["devices", "test", "--printer", "escpos+tcp://127.0.0.1:1", "--timeout", "0.5"]) == 1
    assert main(["devices", "test", "--printer", "lpt1"]) == 2
    assert main(["devices", "test", "--printer", url, "--width", "80"]) == 2
    assert main(["devices", "test", "--printer", url, "--profile", "nonsense"]) == 2
    err = capsys.readouterr().err
    assert "not a URL" in err and "32, 42 or 48" in err and "profile 'nonsense' is unknown" in err
