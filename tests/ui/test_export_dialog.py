"""The shift screen's Export, driven as a supervisor meets it: a real sale, the dialog, the file
written by the worker into a folder, read back with openpyxl; its audit entry holds the file's
hash. A cashier has no Export button; a folder that does not exist is a banner sentence."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

from tests.support.till import BARCODES
from tests.ui.conftest import off_gui


def sell_one(driver: Any, user: str) -> str:
    driver.login(user)
    driver.type("count_5000", "2")
    driver.tap("shOpen")
    driver.type("scan", BARCODES["milk"], enter=True)
    driver.tap("btnPay")
    driver.type("amount", "5")
    driver.tap("payCash")
    receipt_no = str(driver.shell.screens["payment"].sale.receipt_no)
    driver.tap("newSale")
    driver.tap("btnShift")
    return receipt_no


def sheets(path: Path) -> dict[str, list[dict[str, Any]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for ws in book.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        width = len(rows[0])
        out[ws.title] = [dict(zip(rows[0], (*row, *[None] * (width - len(row))), strict=True)) for row in rows[1:]]
    return out


def last_entry(driver: Any) -> dict[str, Any]:
    def read() -> dict[str, Any]:
        with driver.till.ctx.uow(read_only=True) as uow:
            seq, _ = uow.audit.head()
            return dict(json.loads(uow.audit.body(seq)))

    return off_gui(read)


def test_a_supervisor_exports_the_shifts_sales_to_xlsx_through_the_dialog(driver: Any, tmp_path: Path) -> None:
    receipt_no = sell_one(driver, "sofia")
    assert driver.find("shExport").isVisible()
    driver.tap("shExport")
    dialog = driver.find("exportDialog")
    assert dialog.isVisible()
    assert dialog.choice.currentData() == "sales_shift"  # a shift is open: its sales first
    folder = tmp_path / "out"
    folder.mkdir()
    driver.type("exportFolder", str(folder))
    dialog.fmt.setCurrentIndex(dialog.fmt.findData("xlsx"))
    seen: list[int] = []
    dialog.tracker.rows.connect(seen.append)
    driver.tap("exportGo")
    driver.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
    files = list(folder.iterdir())
    assert len(files) == 1 and files[0].suffix == ".xlsx"
    assert files[0].name in driver.banner() and "Exported" in driver.banner()
    book = sheets(files[0])
    assert list(book) == ["Summary", "Sales", "Line Items"]
    assert [r["Receipt no"] for r in book["Sales"]] == [receipt_no]
    assert [r["Status"] for r in book["Sales"]] == ["completed"]
    assert isinstance(book["Sales"][0]["Gross"], (int, float, Decimal))  # money as a number
    assert len(book["Line Items"]) == 1
    entry = last_entry(driver)
    assert (entry["type"], entry["actor"]) == ("export.created", "sofia")
    assert entry["data"]["via"] == "gui" and entry["data"]["kind"] == "sales"
    assert entry["data"]["sha256"] == hashlib.sha256(files[0].read_bytes()).hexdigest()
    shift = driver.shell.shift
    # the shift by its id where the sales export takes one, else by its day and cashier
    assert entry["data"]["filters"] in (
        {"shift": shift.id},
        {"from": shift.business_date, "to": shift.business_date, "cashier": "sofia"},
    )
    assert str(entry["data"]["rows"]) in driver.banner()
    assert seen, "the progress bar got no row count from the worker"


def test_a_missing_folder_is_a_sentence_and_writes_nothing(driver: Any, tmp_path: Path) -> None:
    sell_one(driver, "sofia")
    before = last_entry(driver)["seq"]
    driver.tap("shExport")
    dialog = driver.find("exportDialog")
    driver.type("exportFolder", str(tmp_path / "no" / "such"))
    dialog.choice.setCurrentIndex(dialog.choice.findData("customers"))
    driver.tap("exportGo")
    assert "does not exist" in driver.banner()
    assert dialog.isVisible() and dialog.go_btn.isEnabled()
    assert last_entry(driver)["seq"] == before
    assert not (tmp_path / "no").exists()


def test_a_cashier_has_no_export_button(driver: Any) -> None:
    sell_one(driver, "anna")
    assert not driver.find("shExport").isVisible()
