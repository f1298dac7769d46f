"""ESC/POS bytes back to text lines and a list of commands: the oracle the device tests use.

It follows `ESC t` and `ESC @` so that accented letters and € decode with the code page the
printer would have used; every command it does not print (cut, drawer kick, barcode, QR...) is
recorded with its arguments and the line it came before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from devices.codepages import CODEC_BY_NUMBER

ESC, GS, DLE, FS, LF, CR, HT = 0x1B, 0x1D, 0x10, 0x1C, 0x0A, 0x0D, 0x09

# ESC commands with a fixed number of argument bytes that only change the look of the text.
_ESC_FIXED = {
    0x21: 1, 0x2D: 1, 0x32: 0, 0x33: 1, 0x45: 1, 0x47: 1, 0x4D: 1, 0x52: 1, 0x56: 1, 0x61: 1,
    0x7B: 1, 0x72: 1, 0x20: 1, 0x24: 2, 0x5C: 2, 0x4A: 1, 0x64: 1, 0x3D: 1, 0x63: 2, 0x55: 1,
}
_GS_FIXED = {0x21: 1, 0x42: 1, 0x48: 1, 0x66: 1, 0x68: 1, 0x77: 1, 0x4C: 2, 0x57: 2, 0x61: 1, 0x62: 1}
_STYLE = {0x21: "mode", 0x45: "bold", 0x2D: "underline", 0x61: "align", 0x4D: "font", 0x47: "double_strike"}


@dataclass(frozen=True)
class Command:
    name: str
    args: dict[str, Any] = field(default_factory=dict)
    line: int = 0  # index of the text line the command came before (or inside)


@dataclass
class Decoded:
    lines: list[str]
    commands: list[Command]

    def named(self, name: str) -> list[Command]:
        return [c for c in self.commands if c.name == name]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        self.pos += n
        return chunk

    def byte(self) -> int:
        chunk = self.take(1)
        return chunk[0] if chunk else -1


def decode(data: bytes) -> Decoded:
    """Split a print stream into text lines and commands; truncated commands are recorded, not raised."""
    reader = _Reader(bytes(data))
    lines: list[str] = []
    current = bytearray()
    commands: list[Command] = []
    state: dict[str, Any] = {"codec": "cp437", "page": 0}

    def flush_text() -> str:
        return "".join(bytes([b]).decode(state["codec"], errors="replace") for b in current)

    def record(name: str, **args: Any) -> None:
        commands.append(Command(name, args, len(lines)))

    pending: list[str] = []
    while reader.pos < len(reader.data):
        b = reader.byte()
        if b == LF:
            pending.append(flush_text())
            current.clear()
            lines.append("".join(pending))
            pending.clear()
        elif b == CR:
            continue
        elif b == HT:
            current.append(0x20)
        elif b == ESC:
            pending.append(flush_text())
            current.clear()
            _esc(reader, record, state)
        elif b == GS:
            pending.append(flush_text())
            current.clear()
            _gs(reader, record)
        elif b == DLE:
            _dle(reader, record)
        elif b == FS:
            record("fs", op=reader.byte())
        elif b < 0x20 or b == 0x7F:
            record("control", byte=b)
        else:
            current.append(b)
    pending.append(flush_text())
    tail = "".join(pending)
    if tail:
        lines.append(tail)
    return Decoded(lines, commands)


def _esc(reader: _Reader, record: Any, state: dict[str, Any]) -> None:
    op = reader.byte()
    if op == 0x40:
        state.update(codec="cp437", page=0)
        record("init")
    elif op == 0x74:
        page = reader.byte()
        state.update(codec=CODEC_BY_NUMBER.get(page, "cp437"), page=page)
        record("codepage", page=page, codec=state["codec"])
    elif op == 0x70:
        pin, on, off = reader.byte(), reader.byte(), reader.byte()
        record("drawer_kick", pin=5 if pin in (1, 49) else 2, on_ms=on * 2, off_ms=off * 2)
    elif op == 0x2A:
        mode, low, high = reader.byte(), reader.byte(), reader.byte()
        width = low + 256 * high
        reader.take(width * (3 if mode in (32, 33) else 1))
        record("bit_image", width=width)
    elif op in _ESC_FIXED:
        args = reader.take(_ESC_FIXED[op])
        record(_STYLE.get(op, f"esc_{op:02x}"), value=args[0] if len(args) == 1 else list(args))
    else:
        record("unknown_esc", op=op)


def _gs(reader: _Reader, record: Any) -> None:
    op = reader.byte()
    if op == 0x56:
        mode = reader.byte()
        if mode in (65, 66, 97, 98, 103, 104):
            reader.byte()
        record("cut", partial=mode in (1, 49, 66, 98, 104))
    elif op == 0x6B:
        kind = reader.byte()
        if kind <= 6:
            end = reader.data.find(b"\x00", reader.pos)
            end = len(reader.data) if end < 0 else end
            payload = reader.take(end - reader.pos)
            reader.take(1)
        else:
            payload = reader.take(max(reader.byte(), 0))
        text = payload.decode("ascii", errors="replace")
        if kind == 73 and text[:1] == "{":  # CODE128: strip the code-set selector
            text = text[2:]
        record("barcode", kind=kind, data=text)
    elif op == 0x28:
        sub, low, high = reader.byte(), reader.byte(), reader.byte()
        body = reader.take(low + 256 * high)
        if sub == 0x6B and len(body) >= 2 and body[1] == 0x50:
            record("qr", data=body[3:].decode("utf-8", errors="replace"))
        elif sub == 0x6B and len(body) >= 2 and body[1] == 0x51:
            record("qr_print")
        else:
            record("gs_paren", sub=sub, length=len(body))
    elif op == 0x76:
        reader.take(2)  # '0' and the density mode m
        xl, xh, yl, yh = reader.take(4).ljust(4, b"\x00")
        reader.take((xl + 256 * xh) * (yl + 256 * yh))
        record("raster_image", width_bytes=xl + 256 * xh, height=yl + 256 * yh)
    elif op in _GS_FIXED:
        args = reader.take(_GS_FIXED[op])
        record("size" if op == 0x21 else f"gs_{op:02x}", value=args[0] if len(args) == 1 else list(args))
    else:
        record("unknown_gs", op=op)


def _dle(reader: _Reader, record: Any) -> None:
    op = reader.byte()
    if op == 0x04:
        record("status_query", n=reader.byte())
    elif op == 0x14:
        fn, pin, pulse = reader.byte(), reader.byte(), reader.byte()
        if fn == 1:
            record("drawer_kick", pin=5 if pin == 1 else 2, on_ms=pulse * 100, off_ms=pulse * 100, realtime=True)
        else:
            record("dle_dc4", fn=fn)
    else:
        record("unknown_dle", op=op)
