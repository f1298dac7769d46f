"""The one place that imports python-escpos (pinned to 3.1), with its 3.1 quirks contained.

Workarounds for 3.1 (fixed only on its master branch):
- importing `escpos.capabilities` calls `logging.basicConfig()`, which would take over the
  application's logging; we put the root logger's handlers back after the import.
- `barcode()` prints "Using hardware barcode renderer" to stdout (it would spoil `--json`
  output), so receipts build the CODE128 bytes themselves (`code128`).
"""

from __future__ import annotations

import logging
from typing import Any

_root = logging.getLogger()
_saved_handlers, _saved_level = list(_root.handlers), _root.level
from escpos import capabilities  # noqa: E402
from escpos.printer import Dummy  # noqa: E402

_root.handlers[:] = _saved_handlers
_root.setLevel(_saved_level)


class UnknownProfileError(ValueError):
    """A printer profile name python-escpos does not know."""


def get_profile(name: str) -> Any:
    try:
        return capabilities.get_profile(name or "default")
    except KeyError:
        raise UnknownProfileError(
            f"The printer profile '{name}' is unknown; use a model name such as TM-T20II, TM-T88V or default."
        ) from None


def new_dummy(profile: str) -> Dummy:
    """A buffer printer for the profile, with python-escpos' own code page switching off."""
    get_profile(profile)
    return Dummy(profile=profile or "default", magic_encode_args={"disabled": True, "encoding": "CP437"})


def profile_code_pages(profile: str) -> dict[str, str]:
    return dict(get_profile(profile).get_code_pages())


def supports_partial_cut(profile: str) -> bool:
    return bool(get_profile(profile).supports("paperPartCut"))


def code128(data: str, height: int = 64, width: int = 2) -> bytes:
    """GS k 73 (CODE128, code set B) with the human-readable text below; data must be printable ASCII."""
    payload = b"{B" + data.encode("ascii")
    return (
        b"\x1dh" + bytes([height]) + b"\x1dw" + bytes([width]) + b"\x1dH\x02\x1df\x00"
        + b"\x1dkI" + bytes([len(payload)]) + payload
    )
