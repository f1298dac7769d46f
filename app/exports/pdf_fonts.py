"""The fonts a PDF export is set in. Helvetica, reportlab's built-in, has no Cyrillic, Greek or
Arabic letters, so a TrueType font that has them is registered when the machine has one (DejaVu
Sans, Debian's `fonts-dejavu-core`); a font covering Chinese, Japanese or Korean, when there is
one, sets the characters the main font lacks. Without either the PDF is still written, in
Helvetica, and characters no font has show as empty boxes."""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
         "/usr/local/share/fonts", "/Library/Fonts", "C:/Windows/Fonts")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    cmap: frozenset[int] = field(default_factory=frozenset)  # what `regular` covers; empty: Latin-1
    fallback: str | None = None
    fallback_cmap: frozenset[int] = field(default_factory=frozenset)

    def markup(self, text: str) -> str:
        """Escaped Paragraph markup; runs the main font lacks and the fallback has are set in the
        fallback."""
        if text.isascii() or self.fallback is None:
            return escape(text)
        out: list[str] = []
        run: list[str] = []
        in_fallback = False
        for ch in text:
            wants = ord(ch) not in self.cmap and ord(ch) in self.fallback_cmap
            if wants != in_fallback and run:
                out.append(self._run("".join(run), in_fallback))
                run = []
            in_fallback = wants
            run.append(ch)
        if run:
            out.append(self._run("".join(run), in_fallback))
        return "".join(out)

    def needs_markup(self, text: str) -> bool:
        return not text.isascii() and self.fallback is not None and any(
            ord(ch) not in self.cmap and ord(ch) in self.fallback_cmap for ch in text)

    def _run(self, text: str, fallback: bool) -> str:
        return f'<font name="{self.fallback}">{escape(text)}</font>' if fallback else escape(text)


@functools.cache
def fonts() -> Fonts:
    """Registered once per process."""
    regular = _register("TillstoneSans", _find("DejaVu Sans", "DejaVuSans.ttf"))
    bold = _register("TillstoneSans-Bold", _find("DejaVu Sans:bold", "DejaVuSans-Bold.ttf"))
    if regular is None:
        return Fonts("Helvetica", "Helvetica-Bold")
    cmap = _cmap(regular)
    fallback = _register("TillstoneFallback", _cjk_font())
    return Fonts(regular, bold or regular, cmap, fallback, _cmap(fallback) if fallback else frozenset())


def _find(pattern: str, file_name: str) -> Path | None:
    for folder in _DIRS:
        if (Path(folder) / file_name).is_file():
            return Path(folder) / file_name
    found = _fontconfig("fc-match", "-f", "%{file}", pattern)
    return found[0] if found and found[0].name == file_name else None


def _cjk_font() -> Path | None:
    """A TrueType font (not CFF outlines, which reportlab cannot embed) with Chinese in it."""
    for path in _fontconfig("fc-list", ":lang=zh", "file"):
        if path.suffix.lower() in (".ttf", ".ttc"):
            return path
    return None


def _fontconfig(*cmd: str) -> list[Path]:
    if shutil.which(cmd[0]) is None:
        return []
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    text = result.stdout.replace(":\n", "\n")
    return sorted(Path(line.strip().rstrip(":")) for line in text.splitlines() if line.strip())


def _register(name: str, path: Path | None) -> str | None:
    if path is None:
        return None
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    try:
        pdfmetrics.registerFont(TTFont(name, str(path)))
    except (TTFError, OSError, ValueError):
        return None
    return name


def _cmap(name: str) -> frozenset[int]:
    font = pdfmetrics.getFont(name)
    return frozenset(getattr(getattr(font, "face", None), "charToGlyph", {}) or ())
