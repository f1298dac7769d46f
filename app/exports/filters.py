"""The filters an export kind accepts, declared once: the CLI makes options of them, the till's
export dialog and the web console make fields of them, and `parse` checks what any of them got.
A bad filter is refused before a file is opened (InvalidInput: exit 2 at the CLI)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from kernel.errors import InvalidInput
from kernel.money import parse_money, parse_qty


class FilterType(StrEnum):
    TEXT = "text"
    DATE = "date"  # YYYY-MM-DD
    MONEY = "money"  # "12.50": int minor units
    QTY = "qty"  # "2.5": int thousandths
    INT = "int"
    CHOICE = "choice"
    FLAG = "flag"  # present or not


@dataclass(frozen=True)
class Filter:
    name: str  # option --name, key in the parsed dict (dashes become underscores)
    type: FilterType
    help: str
    choices: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.name.replace("-", "_")


def parse(specs: Sequence[Filter], raw: Mapping[str, Any], exponent: int) -> dict[str, Any]:
    """Checked values by key; a filter not given is None (a flag: False)."""
    out: dict[str, Any] = {}
    for spec in specs:
        value = raw.get(spec.key)
        out[spec.key] = bool(value) if spec.type is FilterType.FLAG else _one(spec, value, exponent)
    frm, to = out.get("from"), out.get("to")
    if frm and to and frm > to:
        raise InvalidInput(f"--from {frm} is after --to {to}.")
    return out


def _one(spec: Filter, value: Any, exponent: int) -> Any:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if len(text) > 200 or any(not ch.isprintable() for ch in text):
        raise InvalidInput(f"--{spec.name} must be printable text of at most 200 characters.")
    try:
        if spec.type is FilterType.DATE:
            return date.fromisoformat(text)
        if spec.type is FilterType.MONEY:
            return parse_money(text, exponent)
        if spec.type is FilterType.QTY:
            return parse_qty(text)
        if spec.type is FilterType.INT:
            return int(text)
    except (ValueError, InvalidInput):
        raise InvalidInput(f"--{spec.name}: '{text[:40]}' is not a valid {spec.type.value}.") from None
    if spec.type is FilterType.CHOICE and text not in spec.choices:
        raise InvalidInput(f"--{spec.name} is one of: {', '.join(spec.choices)}.")
    return text
