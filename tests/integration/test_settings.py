"""Settings changes: admin only, validated, audited, and nothing written when refused."""

from __future__ import annotations

import json

import pytest

from app.usecases import settings
from kernel.errors import InvalidInput, PermissionDenied


def _entries(till, type_: str) -> list[dict]:  # type: ignore[no-untyped-def]
    with till.ctx.uow(read_only=True) as uow:
        return [json.loads(body)["data"] for _s, body, _p, _h in uow.audit.iter_raw() if f'"{type_}"'.encode() in body]


def test_admin_changes_are_applied_and_audited_with_the_old_value(till):
    ctx = settings.update(till.ctx, "admin", {"tax_rounding": "receipt", "store_name": "Épicerie Nord",
                                              "device.printer": "escpos+tcp://127.0.0.1:9100"})
    assert ctx.settings.tax_rounding == "receipt" and ctx.settings.store_name == "Épicerie Nord"
    (entry,) = _entries(till, "settings.changed")
    assert entry["changes"]["tax_rounding"] == {"from": "line", "to": "receipt"}
    assert entry["changes"]["device.printer"]["to"] == "escpos+tcp://127.0.0.1:9100"
    assert settings.update(ctx, "admin", {"tax_rounding": "receipt"}) is ctx  # no change, no entry
    assert len(_entries(till, "settings.changed")) == 1


@pytest.mark.parametrize("values, error", [
    ({"tax_mode": "sometimes"}, InvalidInput),
    ({"store_name": ""}, InvalidInput),
    ({"store_name": "Shop\x1b[2J"}, InvalidInput),
    ({"cash_rounding": "-5"}, InvalidInput),
    ({"cashier_max_discount_percent": "NaN"}, InvalidInput),
    ({"timezone": "Mars/Olympus"}, InvalidInput),
    ({"device.printer": "lpt://nowhere"}, InvalidInput),
    ({"store_id": "S999"}, InvalidInput),
    ({"'); DROP TABLE settings;--": "x"}, InvalidInput),
])
def test_bad_values_are_refused_and_nothing_is_written(till, values, error):
    before = till.ctx.settings
    with pytest.raises(error):
        settings.update(till.ctx, "admin", {"tax_rounding": "receipt", **values})
    with till.ctx.uow(read_only=True) as uow:
        assert uow.settings.get("tax_rounding") is None
    assert till.ctx.settings == before and not _entries(till, "settings.changed")


def test_only_an_admin_may_change_settings(till):
    with pytest.raises(PermissionDenied):
        settings.update(till.ctx, "sofia", {"tax_rounding": "receipt"})
    assert not _entries(till, "settings.changed")
