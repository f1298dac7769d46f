"""A Book as a PDF to read and print: reportlab platypus, one section per sheet, A4 landscape for a
wide sheet and portrait otherwise, the table header on every page, "Page n of m" in the footer,
and on the first page the title, store, generation time, currency, filters and the book's notes.

Rows are streamed: a sheet's table is cut into one table per page as the page is laid out
(`_PagedTable`), so a hundred thousand rows never exist as one flowable. The page total is a form
drawn on every page and defined once the last page is known, so one pass suffices. A cell's text
is cut to a few hundred characters with an ellipsis (docs/exports.md): a PDF is for reading, the
xlsx and CSV keep every character.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.exports import cells
from app.exports.book import Book, Column, Kind, Sheet
from app.exports.pdf_fonts import Fonts, fonts

OnRow = Callable[[int], None]
Cell = str | Paragraph
Align = Literal[0, 2]
TA_LEFT: Align = 0  # reportlab.lib.enums
TA_RIGHT: Align = 2

MARGIN = 14 * mm
TEXT_CHARS = 300  # a TEXT cell's characters in the PDF; longer text ends in an ellipsis
JSON_CHARS = 1500
JSON_LINES = 40
ELLIPSIS = "\u2026"
_PAD_X, _PAD_Y = 3, 2
_HEADER_BG = colors.HexColor("#DDE3EA")
_STRIPE = colors.HexColor("#F3F5F8")
_RULE = colors.HexColor("#C8CED6")


def write(book: Book, path: Path, on_row: OnRow | None = None) -> dict[str, int]:
    """Rows written per sheet (headers not counted)."""
    f = fonts()
    progress = cells.Progress(on_row)
    written: dict[str, int] = {}
    generated = _generated(book)
    first_wide = bool(book.sheets) and book.sheets[0].wide
    doc = BaseDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN + 4 * mm, title=cells.clean_text(book.title), author="Tillstone",
                          creator="Tillstone", subject=cells.clean_text(book.store))
    templates = [_template("portrait", A4, _Footer(book, generated, f, A4[0])),
                 _template("landscape", landscape(A4), _Footer(book, generated, f, landscape(A4)[0]))]
    doc.addPageTemplates(templates[::-1] if first_wide else templates)
    story: list[Flowable] = _cover(book, generated, f)
    for i, sheet in enumerate(book.sheets):
        orientation = "landscape" if sheet.wide else "portrait"
        if i > 0:
            story += [NextPageTemplate(orientation), PageBreak()]
        frame_w, frame_h = _frame_size(landscape(A4) if sheet.wide else A4)
        story += [CondPageBreak(60), Paragraph(_esc(f, sheet.name), _style(f, 12, bold=True, space=4))]
        story.append(_PagedTable(sheet, book.exponent, f, frame_w, frame_h, progress, written))
    if not book.sheets:
        story.append(Paragraph("This export has no sheets.", _style(f, 9)))
    doc.build(story, canvasmaker=_NumberedCanvas)
    return written


def _generated(book: Book) -> str:
    when = book.generated or datetime.now(UTC)
    if when.tzinfo is None:
        return when.isoformat(sep=" ", timespec="seconds")
    return when.strftime("%Y-%m-%d %H:%M:%S ") + (when.tzname() or when.strftime("%z"))


def _frame_size(page: tuple[float, float]) -> tuple[float, float]:
    return page[0] - 2 * MARGIN, page[1] - 2 * MARGIN - 4 * mm


def _template(name: str, page: tuple[float, float], footer: _Footer) -> PageTemplate:
    w, h = _frame_size(page)
    frame = Frame(MARGIN, MARGIN + 4 * mm, w, h, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
                  id=name)
    return PageTemplate(id=name, frames=[frame], pagesize=page, onPage=footer)


class _Footer:
    """Store and title on the left, generation time and "Page n of m" on the right of each page."""

    def __init__(self, book: Book, generated: str, f: Fonts, page_width: float) -> None:
        self.width = page_width
        self.left = cells.clean_text(f"{book.store} \u00b7 {book.title}")[:120]
        self.generated = generated
        self.font = f.regular

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width = self.width
        y = MARGIN
        canvas.saveState()
        canvas.setFont(self.font, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.setStrokeColor(_RULE)
        canvas.line(MARGIN, y + 9, width - MARGIN, y + 9)
        canvas.drawString(MARGIN, y, self.left)
        label = f"Page {canvas.getPageNumber()} of "
        x = width - MARGIN - stringWidth("Page 99999 of 99999", self.font, 7)
        canvas.drawRightString(x - 12, y, f"Generated {self.generated}")
        canvas.drawString(x, y, label)
        canvas.translate(x + stringWidth(label, self.font, 7), y)
        canvas.doForm(_NumberedCanvas.TOTAL)
        canvas.restoreState()


class _NumberedCanvas(Canvas):
    """Defines, before saving, the form every footer drew: the number of pages. And compresses
    each page as it is finished: reportlab keeps every page's drawing commands as text until the
    file is saved, about ten times the size of the compressed stream it then writes."""

    TOTAL = "tillstone_page_total"

    def showPage(self) -> None:
        super().showPage()
        page = self._doc.Pages.pages[-1]  # type: ignore[attr-defined]
        if getattr(page, "Contents", None) or not getattr(page, "stream", None):
            return
        contents = pdfdoc.PDFStream(content=pdfdoc.PDFZCompress.encode(page.stream))
        contents.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])  # already applied
        page.Contents, page.stream = contents, None

    def save(self) -> None:
        self.beginForm(self.TOTAL)
        self.setFont(fonts().regular, 7)
        self.setFillColor(colors.HexColor("#555555"))
        self.drawString(0, 0, str(max(1, self.getPageNumber() - 1)))
        self.endForm()
        super().save()


def _cover(book: Book, generated: str, f: Fonts) -> list[Flowable]:
    body = _style(f, 9, space=1.5)
    lines = [("Store", book.store), ("Generated", generated), ("Currency", book.currency)]
    shown = [(k, v) for k, v in book.filters.items() if v not in (None, False, "", [], ())]
    filters = "; ".join(f"{k.replace('_', '-')} {'yes' if v is True else v}" for k, v in shown) or "none"
    lines.append(("Filters", filters))
    lines += list(book.meta)
    story: list[Flowable] = [Paragraph(_esc(f, book.title), _style(f, 16, bold=True, space=6))]
    for key, value in lines:
        story.append(Paragraph(f"<b>{_esc(f, str(key))}</b>: {_esc(f, str(value)[:500])}", body))
    story.append(Spacer(1, 8))
    return story


def _esc(f: Fonts, text: str) -> str:
    return f.markup(cells.clean_text(text))


def _style(f: Fonts, size: float, *, bold: bool = False, align: Align = TA_LEFT, space: float = 0) -> ParagraphStyle:
    return ParagraphStyle(f"s{size}{bold}{align}", fontName=f.bold if bold else f.regular, fontSize=size,
                          leading=size * 1.2, alignment=align, spaceAfter=space)


class _PagedTable(Flowable):
    """A sheet's rows, laid out one page at a time: each split takes the rows that fit the space
    left and hands back a Table of them under the header, and itself for the rest."""

    def __init__(self, sheet: Sheet, exponent: int, f: Fonts, frame_w: float, frame_h: float,
                 progress: cells.Progress, written: dict[str, int]) -> None:
        super().__init__()
        self.sheet, self.exponent, self.f = sheet, exponent, f
        self.columns = list(sheet.columns)
        self.size, self.widths = _layout(self.columns, frame_w, f)
        self.max_cell_h = frame_h / 3
        self.styles = {a: _style(f, self.size, align=a) for a in (TA_LEFT, TA_RIGHT)}
        self.number_styles: dict[float, ParagraphStyle] = {}
        head = {a: _style(f, self.size, bold=True, align=a) for a in (TA_LEFT, TA_RIGHT)}
        self.header = [Paragraph(_esc(f, c.title[:200]), head[_align(c.kind)]) for c in self.columns]
        self.header_h = self._height(self.header)
        self.rows: Iterator[Sequence[Any]] = iter(sheet.rows)
        self.pending: tuple[list[Cell], float] | None = None
        self.count = 0
        self.progress, self.written = progress, written
        self.done = False
        written[sheet.name] = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return availWidth, availHeight + 1  # never fits whole: the frame asks split() for a page

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        body: list[list[Cell]] = []
        heights: list[float] = []
        used = self.header_h
        while (row := self._next()) is not None:
            cells_, h = row
            if used + h > availHeight:
                self.pending = row
                break
            body.append(cells_)
            heights.append(h)
            used += h
        if not body and not self.done:
            return []  # not one row fits below what is on this page: the next page
        self.__dict__.pop("_postponed", None)  # the doc's mark of a page skipped; one is allowed per page
        empty = not body and self.count == 0
        if empty:
            body, heights = [[self._empty()] + [""] * (len(self.columns) - 1)], [self.size * 1.2 + 2 * _PAD_Y]
        table = self._table(body, heights, empty)
        return [table] if self.done and self.pending is None else [table, self]

    def draw(self) -> None:  # everything is drawn by the tables split() hands back
        pass

    def _next(self) -> tuple[list[Cell], float] | None:
        if self.pending is not None:
            row, self.pending = self.pending, None
            return row
        if self.done:
            return None
        values = next(self.rows, None)
        if values is None:
            self.done = True
            self.progress.add(self.count % self.progress.every)
            return None
        self.count += 1
        self.written[self.sheet.name] = self.count
        if self.count % self.progress.every == 0:
            self.progress.add(self.progress.every)
        prepared = self._prepare(values)
        return prepared, self._height(prepared)

    def _prepare(self, values: Sequence[Any]) -> list[Cell]:
        if len(values) != len(self.columns):
            raise cells.bad_row(self.sheet.name, self.count, len(values), len(self.columns))
        out: list[Cell] = []
        for column, width, value in zip(self.columns, self.widths, values, strict=True):
            try:
                kind, plain = cells.unwrap(value, column.kind)
                text = _display(kind, plain, self.exponent)
            except cells.BadValue as exc:
                raise cells.bad_cell(self.sheet.name, self.count, column, exc) from None
            out.append(self._cell(kind, _align(kind) == _align(column.kind), text, width))
        return out

    def _cell(self, kind: Kind, column_aligned: bool, text: str, width: float) -> Cell:
        """Plain text when it fits one line in the column's alignment (fast to draw), else a
        Paragraph, which wraps and aligns itself."""
        align = _align(kind)
        if kind is Kind.JSON:
            return self._fitted(text, width, align, lambda t: _json_markup(self.f, t))
        room = width - 2 * _PAD_X
        if "\n" not in text and not self.f.needs_markup(text):
            text_w = stringWidth(text, self.f.regular, self.size)
            if text_w <= room and (column_aligned or not text):
                return text
            if kind in cells.NUMERIC_KINDS and text_w > 0:  # a number stays on one line, smaller if need be
                size = max(4.0, round(self.size * min(1.0, room / text_w) - 0.05, 1))
                return Paragraph(_esc(self.f, text), self._sized(size))
        return self._fitted(text, width, align, lambda t: _esc(self.f, t).replace("\n", "<br/>"))

    def _sized(self, size: float) -> ParagraphStyle:
        if size not in self.number_styles:
            self.number_styles[size] = _style(self.f, size, align=TA_RIGHT)
        return self.number_styles[size]

    def _fitted(self, text: str, width: float, align: Align, markup: Callable[[str], str]) -> Paragraph:
        """A Paragraph no taller than a third of the page: longer text is cut with an ellipsis."""
        para = Paragraph(markup(text), self.styles[align])
        while para.wrap(width - 2 * _PAD_X, 1e6)[1] > self.max_cell_h and len(text) > 10:
            text = text[: len(text) // 2].rstrip()
            para = Paragraph(markup(text) + ELLIPSIS, self.styles[align])
        return para

    def _height(self, row: Sequence[Cell]) -> float:
        line = self.size * 1.2
        tallest = line
        for cell, width in zip(row, self.widths, strict=True):
            if isinstance(cell, Paragraph):
                tallest = max(tallest, cell.wrap(width - 2 * _PAD_X, 1e6)[1])
        return tallest + 2 * _PAD_Y

    def _empty(self) -> Paragraph:
        return Paragraph("<i>No rows for these filters.</i>", self.styles[TA_LEFT])

    def _table(self, body: list[list[Cell]], heights: list[float], empty: bool) -> Table:
        table = Table([self.header, *body], colWidths=self.widths, rowHeights=[self.header_h, *heights],
                      repeatRows=1, hAlign="LEFT")
        style: list[Any] = [("FONT", (0, 0), (-1, -1), self.f.regular, self.size, self.size * 1.2),
                 ("VALIGN", (0, 0), (-1, -1), "TOP"),
                 ("LEFTPADDING", (0, 0), (-1, -1), _PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), _PAD_X),
                 ("TOPPADDING", (0, 0), (-1, -1), _PAD_Y), ("BOTTOMPADDING", (0, 0), (-1, -1), _PAD_Y),
                 ("BACKGROUND", (0, 0), (-1, 0), _HEADER_BG), ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                 ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, _STRIPE]),
                 ("LINEBELOW", (0, 1), (-1, -1), 0.25, _RULE)]
        style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, c in enumerate(self.columns)
                  if _align(c.kind) == TA_RIGHT]
        if empty:
            style.append(("SPAN", (0, 1), (-1, 1)))
        table.setStyle(TableStyle(style))
        return table


def _display(kind: Kind, value: Any, exponent: int) -> str:
    """The text a reader sees: money and quantities grouped by thousands, percentages with '%',
    text cut to TEXT_CHARS."""
    text = cells.plain_text(kind, value, exponent)
    if value is None:
        return ""
    if kind in (Kind.MONEY, Kind.QTY):
        return cells.grouped(text)
    if kind is Kind.PERCENT:
        return text + "%"
    if kind is Kind.TEXT and len(text) > TEXT_CHARS:
        return text[:TEXT_CHARS].rstrip() + ELLIPSIS
    return text


def _json_markup(f: Fonts, text: str) -> str:
    lines = text[:JSON_CHARS].splitlines()
    cut = len(text) > JSON_CHARS or len(lines) > JSON_LINES
    lines = lines[:JSON_LINES]
    shown = [_esc(f, ln.lstrip(" ")).join(["&nbsp;" * (len(ln) - len(ln.lstrip(" "))), ""]) for ln in lines]
    return "<br/>".join(shown) + (ELLIPSIS if cut else "")


def _align(kind: Kind) -> Align:
    return TA_RIGHT if kind in cells.NUMERIC_KINDS else TA_LEFT


# Digits a number column needs ("-123,456.78", "2026-03-01 14:05:09"); text takes what is left.
_NUMBER_CHARS = {Kind.MONEY: 10, Kind.QTY: 9, Kind.PERCENT: 7, Kind.INT: 7, Kind.DATE: 10}
_MIN_TEXT_CHARS = 10  # a text column narrower than this at one size: try the next smaller size


def _layout(columns: Sequence[Column], frame_w: float, f: Fonts) -> tuple[float, list[float]]:
    """The font size and the column widths in points: the largest size at which every column's
    least width fits (its digits, or a few characters of text, and its title's longest word)."""
    for size in (8.5, 7.5, 6.5):
        widths = _col_widths(columns, frame_w, f, size)
        if widths is not None:
            return size, widths
    least = [_natural(c, f, 6.5)[1] for c in columns]
    return 6.5, [frame_w * w / sum(least) for w in least]


def _natural(column: Column, f: Fonts, size: float) -> tuple[float, float]:
    """(the width wanted, the least width) of a column, in points."""
    digit = stringWidth("0", f.regular, size)
    words = cells.clean_text(column.title).split() or [""]
    title = max(stringWidth(w, f.bold, size) for w in words) + 2 * _PAD_X
    if column.kind in _NUMBER_CHARS:  # room for two more digits if the page has it
        chars = _NUMBER_CHARS[column.kind]
        return max((chars + 2) * digit + 2 * _PAD_X, title), max(chars * digit + 2 * _PAD_X, title)
    if column.kind is Kind.DATETIME:  # one line if there is room, else wrapped at its space
        return max(19 * digit + 2 * _PAD_X, title), max(10 * digit + 2 * _PAD_X, title)
    chars = min(cells.width(column), 60)
    wanted = chars * digit * 1.1 + 2 * _PAD_X
    return max(wanted, title), max(min(chars, _MIN_TEXT_CHARS) * digit + 2 * _PAD_X, title)


def _col_widths(columns: Sequence[Column], frame_w: float, f: Fonts, size: float) -> list[float] | None:
    """The frame's width shared by what each column wants, none below its least; None when the
    least widths alone are wider than the frame."""
    if not columns:
        return []
    sizes = [_natural(c, f, size) for c in columns]
    if sum(least for _, least in sizes) > frame_w:
        return None
    widths = [0.0] * len(columns)
    short: set[int] = set()  # columns held at their least
    while True:
        rest = [i for i in range(len(columns)) if i not in short]
        room = frame_w - sum(sizes[i][1] for i in short)
        wanted = sum(sizes[i][0] for i in rest) or 1
        for i in rest:
            widths[i] = room * sizes[i][0] / wanted
        squeezed = {i for i in rest if widths[i] < sizes[i][1]}
        if not squeezed:
            break
        short |= squeezed
    for i in short:
        widths[i] = sizes[i][1]
    return widths
