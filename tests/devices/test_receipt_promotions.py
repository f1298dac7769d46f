"""A promoted line prints its offer and the saving under it; a cashier's own discount on top
prints apart, so the receipt shows what each took off."""

from __future__ import annotations

import copy

from devices.escpos_decode import decode
from devices.receipt import ReceiptContext, render_receipt
from tests.devices.conftest import SALE

CTX = ReceiptContext(store_name="Shop", till_id="S001-T01", cashier="Anna", address_lines=(),
                     tax_rates={"A": ("VAT", 2000), "B": ("VAT", 550)}, audit_seq=42, short_hash="3f9a1c2b",
                     profile="TM-T20II", footer_text="")


def _text(sale: dict) -> str:  # type: ignore[type-arg]
    job = render_receipt(sale, CTX)
    return decode(job.body).text


def test_a_promoted_line_prints_its_offer_and_saving() -> None:
    sale = copy.deepcopy(SALE)
    line = sale["lines"][0]
    line.update(promotion_id=17, promotion_discount=line["gross"], discount=line["gross"])
    text = _text(sale)
    assert "Offer 17" in text and f"-{line['gross']}" in text
    assert "Discount" not in text.split("Offer 17")[1].split("\n")[1]  # nothing of the cashier's


def test_a_line_without_promotion_prints_as_before() -> None:
    assert "Offer" not in _text(copy.deepcopy(SALE))
