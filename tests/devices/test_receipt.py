"""Receipts decoded back from real bytes: golden text, € and accents, kick, cut, COPY, hostile names."""

from __future__ import annotations

import copy

import pytest

from devices.drawer import kick_bytes
from devices.escpos_decode import decode
from devices.printer_link import TcpLink
from devices.receipt import ReceiptContext, ReceiptDataError, pays_cash, render_receipt, render_report
from tests.devices.conftest import SALE

CTX = ReceiptContext(
    store_name="Épicerie Zoë", till_id="S001-T01", cashier="Anaïs",
    address_lines=("1 rue de l'Église", "75001 Paris"), tax_rates={"A": ("TVA", 2000), "B": ("TVA", 550)},
    audit_seq=42, short_hash="3f9a1c2b", profile="TM-T20II", footer_text="Merci et à bientôt !",
)

GOLDEN = """\
Épicerie Zoë
1 rue de l'Église
75001 Paris
------------------------------------------
Receipt             S001-T01-20261121-0007
Date                            2026-11-21
Till                              S001-T01
Cashier                              Anaïs
Audit no.                               42
------------------------------------------
Café crème
  2 x 3.20                          6.40 A
Pâté à l'ancienne
  0.345 x 24.90                     8.09 B
  Discount                           -0.50
------------------------------------------
Net                                  13.00
Tax                                   1.49
TOTAL                              € 14.49
A TVA 20% on 5.33                     1.07
B TVA 5.5% on 7.67                    0.42
------------------------------------------
Cash                                 20.00
Change                                5.51
------------------------------------------

seq=42 h=3f9a1c2b
Merci et à bientôt !"""


def _sent(job) -> bytes:
    """What reaches the printer for a job: the spool sends the kick, then the body."""
    return job.kick + job.body


def _print(printer, data: bytes) -> bytes:
    link = TcpLink("127.0.0.1", printer.port, io_timeout=2)
    try:
        assert link.query_status().ready
        link.write(data)
        assert link.query_status().reachable  # answered after everything before it arrived
    finally:
        link.close()
    assert printer.wait_for(lambda p: len(p.printed()) >= len(data))
    return printer.printed()


def test_cash_sale_receipt_on_network_printer_decodes_to_golden_text(printer):
    assert pays_cash(SALE)
    job = render_receipt(SALE, CTX, kick=kick_bytes())
    out = decode(_print(printer, _sent(job)))
    assert out.text == GOLDEN
    assert [c.args for c in out.named("drawer_kick")] == [{"pin": 2, "on_ms": 50, "off_ms": 500}]
    assert len(out.named("cut")) == 1 and out.commands[-1].name == "cut"
    assert [c.args["data"] for c in out.named("barcode")] == ["S001-T01-20261121-0007"]
    assert [c.args["data"] for c in out.named("qr")] == ["S001-T01-20261121-0007 seq=42 h=3f9a1c2b"]
    assert out.named("codepage")[0].args["codec"] == "cp858"


def test_reprint_is_marked_copy_and_never_kicks():
    job = render_receipt(SALE, ReceiptContext(**{**CTX.__dict__, "copy": True}), kick=kick_bytes())
    out = decode(_sent(job))
    assert job.kick == b"" and job.kind == "reprint"
    assert out.lines[0] == "*** COPY ***" and out.lines[-1] == "*** COPY ***"
    assert out.named("drawer_kick") == []
    assert len(out.named("cut")) == 1


def test_escape_sequences_in_data_never_become_commands():
    sale = copy.deepcopy(SALE)
    sale["lines"][0]["name"] = "Evil\x1bp\x00\x19\xfa\x1dV\x00\x10\x14\x01\x00\x05 cake"
    ctx = ReceiptContext(**{**CTX.__dict__, "customer_name": "Bob\x1bi", "footer_text": "\x1b@hi"})
    out = decode(_sent(render_receipt(sale, ctx)))
    assert out.named("drawer_kick") == [] and len(out.named("cut")) == 1
    assert out.named("init") == out.commands[:1]
    assert any(line.startswith("Evilp") and "cake" in line for line in out.lines)


def test_narrow_paper_and_a_profile_without_euro():
    ctx = ReceiptContext(**{**CTX.__dict__, "paper_width": 32, "profile": "simple"})
    out = decode(_sent(render_receipt(SALE, ctx)))
    assert all(len(line) <= 32 for line in out.lines)
    assert "TOTAL                  EUR 14.49" in out.lines
    assert "Épicerie Zoë" in out.lines  # CP437 still has these letters


def test_malformed_sale_gives_a_sentence():
    bad = copy.deepcopy(SALE)
    bad["lines"][0]["gross"] = "12,50"
    with pytest.raises(ReceiptDataError, match="not an amount"):
        render_receipt(bad, CTX)
    with pytest.raises(ReceiptDataError, match="cannot be printed"):
        render_receipt({"gross": "1.00"}, CTX)


def test_report_prints_given_lines_and_cuts():
    out = decode(render_report(["Sales       12.00", "Café        3.00 €"], title="X report", copy=True).body)
    assert out.lines == ["*** COPY ***", "X report", "Sales       12.00", "Café        3.00 €"]
    assert out.named("drawer_kick") == [] and len(out.named("cut")) == 1


def test_on_account_sale_with_discount_rounding_customer_and_logo(tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("1", (600, 100), 0).save(logo)
    sale = {**copy.deepcopy(SALE), "subtotal_discount": "1.00", "rounding": "-0.04", "change": "0.00",
            "payments": [{"method": "account", "amount": "10.00"}, {"method": "card", "amount": "4.45"}]}
    ctx = ReceiptContext(**{**CTX.__dict__, "paper_width": 48, "customer_name": "Léa Dupont",
                            "credit_left": "35.50", "logo_path": str(logo)})
    out = decode(_sent(render_receipt(sale, ctx)))
    assert not pays_cash(sale)
    assert all(len(line) <= 48 for line in out.lines)
    for expected in ("Discount", "Rounding", "On account", "Card", "Customer", "Credit left"):
        assert any(line.startswith(expected) for line in out.lines), expected
    assert "Credit left" + " " * 30 + "€ 35.50" in out.lines
    assert "Change" not in out.text
    raster = out.named("raster_image")
    assert len(raster) == 1 and raster[0].args["width_bytes"] == 384 // 8
    assert out.lines[0] == "Épicerie Zoë"  # the image bytes never leak into the text


def test_missing_logo_never_stops_a_receipt(tmp_path):
    ctx = ReceiptContext(**{**CTX.__dict__, "logo_path": str(tmp_path / "gone.png")})
    out = decode(_sent(render_receipt(SALE, ctx)))
    assert out.named("raster_image") == [] and out.lines[0] == "Épicerie Zoë"


@pytest.mark.parametrize(
    "sale",
    [{**SALE, "lines": "oops"}, {**SALE, "lines": ["oops"]}, {**SALE, "payments": [None]}, ["not", "a", "dict"]],
)
def test_unreadable_sale_data_is_refused_with_a_sentence(sale):
    with pytest.raises(ReceiptDataError, match="cannot be printed"):
        render_receipt(sale, CTX)
