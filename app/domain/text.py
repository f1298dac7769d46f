"""Text people type, made safe to store, print and audit."""


def printable(text: str) -> str:
    """`text` without control characters: an ESC sequence typed into a reason or a label must
    never reach a receipt printer or the audit log."""
    return "".join(ch for ch in text if ch.isprintable())


def plural(n: int, one: str, other: str) -> str:
    """ "1 attempt", "2 attempts": `one` or `other` with `n` in front (English has these two forms)."""
    return f"{n} {one if n == 1 else other}"
