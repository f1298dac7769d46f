"""ESC t code page numbers and the Python codecs that match them.

Numbers are Epson's; other makes differ, so the receipt picks a page from the printer's
python-escpos profile and the decoder (the test oracle) reads back the same table.
"""

from __future__ import annotations

import unicodedata

# ESC t n -> Python codec (only pages whose codec Python ships).
CODEC_BY_NUMBER: dict[int, str] = {
    0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 13: "cp857", 14: "cp737",
    15: "iso8859_7", 16: "cp1252", 17: "cp866", 18: "cp852", 19: "cp858", 39: "iso8859_2",
    40: "iso8859_15", 45: "cp1250", 46: "cp1251", 47: "cp1253", 48: "cp1254", 49: "cp1255",
    50: "cp1256", 51: "cp1257", 52: "cp1258",
}
# Pages that hold both € and western accented letters, best first.
EURO_PAGES = ("CP858", "CP1252", "ISO_8859-15")
_PROFILE_NAME_TO_CODEC = {"CP858": "cp858", "CP1252": "cp1252", "ISO_8859-15": "iso8859_15", "CP437": "cp437"}

_FALLBACK = {"€": "EUR", "£": "GBP", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."}


def choose_code_page(profile_pages: dict[str, str]) -> tuple[int, str]:
    """(ESC t number, codec) for a profile: a page with € if the printer has one, else CP437."""
    for name in EURO_PAGES:
        if name in profile_pages:
            return int(profile_pages[name]), _PROFILE_NAME_TO_CODEC[name]
    return 0, "cp437"


def printable(text: str, codec: str) -> str:
    """The text with characters the page lacks replaced by ASCII look-alikes (so widths are known)."""
    try:
        text.encode(codec)  # the common case, a whole line the page holds: one encode, not one per character
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode(codec)
            out.append(char)
        except UnicodeEncodeError:
            plain = _FALLBACK.get(char) or unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


def encode_text(text: str, codec: str) -> bytes:
    """Encode for the printer; never raises."""
    return printable(text, codec).encode(codec)


def strip_controls(text: object) -> str:
    """Data-derived text with every control character removed (C0, DEL, C1, and format marks).

    A product name holding ESC p or GS V must print as letters, never reach the printer as a command.
    """
    text = str(text)
    if text.isprintable():  # holds none of those categories (nor Cn, nor a separator but the space)
        return text
    return "".join(
        ch for ch in str(text) if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
    )
