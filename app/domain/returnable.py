"""How much of a sale can still come back: the one definition the returns screen, the refund use
case and anything else counting returns share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kernel.sale_records import RefundRecord, SaleRecord


def refunded_qty(refunds: Iterable[RefundRecord]) -> dict[str, int]:
    """Quantity (thousandths) already returned per sale line id, over every refund given."""
    done: dict[str, int] = defaultdict(int)
    for refund in refunds:
        for line in refund.lines:
            done[line.sale_line_id] += line.qty_milli
    return dict(done)


def returnable_qty(sale: SaleRecord, refunds: Iterable[RefundRecord]) -> dict[str, int]:
    """Per sale line id, the quantity (thousandths) that may still be returned: sold less refunded."""
    done = refunded_qty(refunds)
    return {line.id: line.qty_milli - done.get(line.id, 0) for line in sale.lines}
