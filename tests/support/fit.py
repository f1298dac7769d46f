"""What a person cannot read on a screen: text wider than the widget that shows it.

Written for the till's window tests (tests/ui/test_cashier_fit.py): every visible label, button,
field placeholder, table header and cell, list row and tab is measured with its own font
(`fontMetrics().horizontalAdvance`) against the room the style leaves it (`contentsRect`, less
the style's padding and borders). Text cut short with "…" counts as clipped unless the widget
says the whole text in its tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QTableWidget,
    QWidget,
)

ELLIPSIS = "…"
SLACK = 1  # px of rounding between the metrics and the painter


def _shown(text: str) -> str:
    """A button's text as painted: "&&" is one "&", a lone "&" marks a shortcut letter."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _elided_without_tooltip(widget: QWidget, text: str) -> bool:
    if not any(line.rstrip().endswith(ELLIPSIS) for line in text.splitlines()):
        return False
    whole = widget.toolTip()
    return not whole or whole == text


def _button_room(btn: QPushButton) -> int:
    opt = QStyleOptionButton()
    opt.initFrom(btn)
    opt.text = btn.text()
    opt.icon = btn.icon()
    opt.iconSize = btn.iconSize()
    if btn.property("role") == "primary" or btn.isDefault():
        opt.features |= QStyleOptionButton.ButtonFeature.DefaultButton
    rect = btn.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, opt, btn)
    return min(rect.width(), btn.contentsRect().width())


def _button(btn: QAbstractButton) -> list[str]:
    text = _shown(btn.text())
    if not text:
        return []
    room = _button_room(btn) if isinstance(btn, QPushButton) else btn.contentsRect().width()
    fm = btn.fontMetrics()
    lines = text.splitlines()
    problems = [f"{line!r} needs {fm.horizontalAdvance(line)} px of {room}" for line in lines
                if fm.horizontalAdvance(line) > room + SLACK]
    if fm.lineSpacing() * len(lines) > btn.contentsRect().height() + SLACK:
        problems.append(f"{len(lines)} lines of {text!r} taller than {btn.contentsRect().height()} px")
    if _elided_without_tooltip(btn, text):
        problems.append(f"{text!r} cut short without the whole text as its tooltip")
    return problems


def _label(label: QLabel) -> list[str]:
    text = label.text()
    if not text or label.textFormat() == Qt.TextFormat.RichText or text.lstrip().startswith("<"):
        return []
    room = label.contentsRect().width() - 2 * max(label.margin(), 0) - max(label.indent(), 0)
    fm = label.fontMetrics()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK:
            return [f"{text!r} wraps to {needed} px in {label.height()} px"]
        words = [w for w in text.split() if fm.horizontalAdvance(w) > room + SLACK]
        return [f"word {w!r} wider than {room} px" for w in words]
    problems = [f"{line!r} needs {fm.horizontalAdvance(line)} px of {room}" for line in text.splitlines()
                if fm.horizontalAdvance(line) > room + SLACK]
    if _elided_without_tooltip(label, text):
        problems.append(f"{text!r} cut short without the whole text as its tooltip")
    return problems


def _line_edit(field: QLineEdit) -> list[str]:
    # what a person typed scrolls inside the field; a hint or a read-only value must fit
    text = field.text() if field.echoMode() == QLineEdit.EchoMode.Normal and field.isReadOnly() else ""
    shown = text or (field.placeholderText() if not field.text() else "")
    if not shown:
        return []
    margins = field.textMargins()
    # the frame, the style sheet's padding and border: what the field's own size hint adds to a text
    frame = field.sizeHint().width() - field.fontMetrics().horizontalAdvance("x" * 17)
    room = field.width() - max(frame, 0) - margins.left() - margins.right()
    needed = field.fontMetrics().horizontalAdvance(shown)
    return [f"{shown!r} needs {needed} px of {room}"] if needed > room + SLACK else []


def _header(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.isHidden():
        return []
    fm = header.fontMetrics()
    problems = []
    for i in range(header.count()):
        if header.isSectionHidden(i):
            continue
        text = str(model.headerData(i, header.orientation()) or "")
        room = header.sectionSize(i) - 12  # the section's padding and its resize grip
        if text and fm.horizontalAdvance(text) > room + SLACK:
            problems.append(f"header {text!r} needs {fm.horizontalAdvance(text)} px of {room}")
    return problems


def _table(table: QTableWidget) -> list[str]:
    fm = table.fontMetrics()
    problems = []
    for row in range(table.rowCount()):
        for col in range(table.columnCount()):
            item = table.item(row, col)
            if item is None or not item.text():
                continue
            room = table.columnWidth(col) - 2 * _item_margin(table)
            if fm.horizontalAdvance(item.text()) > room + SLACK and item.toolTip() != item.text():
                problems.append(f"cell {item.text()!r} cut to {room} px without a tooltip")
    return problems


def _list(widget: QListWidget) -> list[str]:
    fm = widget.fontMetrics()
    problems = []
    for i in range(widget.count()):
        item = widget.item(i)
        rect = widget.visualItemRect(item)
        room = rect.width() - 2 * _item_margin(widget) - 8  # the theme's item padding
        if item.toolTip() == item.text():
            continue
        if widget.wordWrap():
            needed = fm.boundingRect(QRect(0, 0, room, 100_000), Qt.TextFlag.TextWordWrap, item.text())
            too_big = needed.height() > rect.height() + SLACK or needed.width() > room + SLACK
        else:
            too_big = max((fm.horizontalAdvance(line) for line in item.text().splitlines()), default=0) > room + SLACK
        if too_big:
            problems.append(f"row {item.text()!r} cut to {room}x{rect.height()} px without a tooltip")
    return problems


def _item_margin(view: QWidget) -> int:
    """The margin an item view leaves each side of a cell's text (Qt's focus frame margin + 1)."""
    return view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1


def clipped(root: QWidget) -> list[str]:
    """One sentence per piece of text on `root` (and its visible children) that does not fit."""
    problems: list[str] = []
    window = root.window()
    if window.minimumSizeHint().height() > window.height() or window.minimumSizeHint().width() > window.width():
        hint = window.minimumSizeHint()
        problems.append(f"the window needs {hint.width()}x{hint.height()} px")
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QAbstractButton):
            found = _button(widget)
        elif isinstance(widget, QLabel):
            found = _label(widget)
        elif isinstance(widget, QLineEdit):
            found = _line_edit(widget)
        elif isinstance(widget, QHeaderView):
            found = _header(widget)
        elif isinstance(widget, QTableWidget):
            found = _table(widget)
        elif isinstance(widget, QListWidget):
            found = _list(widget)
        elif isinstance(widget, QPlainTextEdit):
            found = []
        else:
            continue
        name = widget.objectName() or type(widget).__name__
        problems += [f"{name}: {p}" for p in found]
    return problems

