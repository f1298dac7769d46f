"""The ReceiptContext for one audited sale, shared by the till window and `tillstone receipt reprint`.

`info` is an `app.usecases.receipts.ReceiptInfo`; it is taken by shape so this module does not
import the use cases.
"""

from __future__ import annotations

from typing import Any

from devices.receipt import ReceiptContext


def receipt_context(info: Any, *, profile: str, width: int, copy: bool) -> ReceiptContext:
    """Store, till, cashier, taxes, audit reference and customer of a receipt, on this paper."""
    return ReceiptContext(
        store_name=info.store_name, till_id=info.till, cashier=info.cashier, address_lines=info.address_lines,
        tax_rates=info.tax_rates, audit_seq=info.audit_seq, short_hash=info.short_hash,
        customer_name=info.customer_name, credit_left=info.credit_left, header_text=info.header,
        footer_text=info.footer, paper_width=width, profile=profile, copy=copy,
    )
