"""Regenerate tillstone_en.ts and tillstone_de.ts from the tr("...") calls in ui/, then compile
them with pyside6-lrelease. Run: python resources/i18n/make_ts.py

A source text without a German entry is written as an unfinished translation and listed, so
an incomplete catalogue is visible rather than silently English."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
from de import DE  # noqa: E402

RUNTIME = [
    "cashier",
    "supervisor",
    "admin",
    "cash",
    "card",
    "voucher",
    "account",
    "other",
    "Store name",
    "Address",
    "Cashier discount limit %",
    "Printer URL",
    "Scale URL",
    "Tax mode",
    "Tax rounding",
    "Rounding",
    "Language",
    "Receipt header",
    "Receipt footer",
    "Round cash totals to",
    "Prices include tax",
    "Tax added to prices",
    "Per line",
    "Per receipt",
    "Half up (2.5 → 3)",
    "Half to even (2.5 → 2)",
    "English",
    "Deutsch",
]


def sources() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value not in found
            ):
                found.append(node.args[0].value)
    return found + [s for s in RUNTIME if s not in found]


def write(lang: str, texts: list[str], table: dict[str, str] | None) -> list[str]:
    missing = []
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        f'<TS version="2.1" language="{lang}">',
        "<context>",
        "    <name>Tillstone</name>",
    ]
    for text in texts:
        out += ["    <message>", f"        <source>{escape(text)}</source>"]
        if table is None:
            out.append(f"        <translation>{escape(text)}</translation>")
        elif text in table:
            out.append(f"        <translation>{escape(table[text])}</translation>")
        else:
            missing.append(text)
            out.append('        <translation type="unfinished"></translation>')
        out.append("    </message>")
    out += ["</context>", "</TS>", ""]
    (HERE / f"tillstone_{lang}.ts").write_text("\n".join(out), encoding="utf-8")
    return missing


def main() -> int:
    texts = sources()
    write("en", texts, None)
    missing = write("de", texts, DE)
    for text in missing:
        print(f"missing German text: {text!r}")
    tool = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    if tool is None:
        print("pyside6-lrelease not found: the .ts files are written, the .qm files are not")
        return 1
    for lang in ("en", "de"):
        subprocess.run(
            [tool, str(HERE / f"tillstone_{lang}.ts"), "-qm", str(HERE / f"tillstone_{lang}.qm")], check=True
        )
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
