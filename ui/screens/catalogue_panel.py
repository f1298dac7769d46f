"""Category tabs and the quick-key/product grid, plus the pick list for search and parked sales."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.queries import catalogue
from app.queries.catalogue import Category
from kernel.records import ProductInfo
from ui.fmt import tr
from ui.ops import QueryOp
from ui.widgets import TouchButton, acted, button, clear_layout, heading, named

if TYPE_CHECKING:
    from ui.shell import Shell

T = TypeVar("T")


class CataloguePanel(QWidget):
    """Quick keys first; a category button swaps the grid to that category's products."""

    def __init__(self, shell: Shell, on_product: Callable[[ProductInfo], None]) -> None:
        super().__init__()
        self.shell, self.on_product = shell, on_product
        self.cats = QGridLayout()
        self.cats.setSpacing(8)
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        holder = QWidget()
        holder.setLayout(self.grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(self.cats)
        col.addWidget(scroll, 1)
        self.loaded = False
        self.cat_buttons: list[QPushButton] = []
        self.tiles: list[QPushButton] = []
        self._cat_cols = self._tile_cols = 0

    def load(self) -> None:
        if not self.loaded:
            self.loaded = True
            QueryOp(self.shell, catalogue.categories, self._fill_categories).run()
            self.show_quick()

    def show_quick(self) -> None:
        QueryOp(self.shell, catalogue.quick_keys, self._fill_products).run()

    def _fill_categories(self, cats: list[Category]) -> None:
        items = [("", tr("Quick keys"))] + [(c.id, c.name) for c in cats]
        for cid, name in items:
            b = button(name, partial(self.show_category, cid), role="category", name=f"cat_{cid or 'quick'}")
            b.setMinimumHeight(44)
            self.cat_buttons.append(b)
        self._cat_cols = 0  # lay the new keys out even if the column count did not change
        self._arrange()

    def _columns(self, tile: int) -> int:
        """As many columns as tiles of about `tile` px fit: 3 on a narrow panel, more on a wide one."""
        return max(3, min(8, self.width() // tile))

    def _arrange(self) -> None:
        """Lay the category keys and the product tiles out for the panel's width (again on a resize)."""
        cols = self._columns(130)
        if cols != self._cat_cols:
            self._cat_cols = cols
            for b in self.cat_buttons:
                self.cats.removeWidget(b)
            for i, b in enumerate(self.cat_buttons):
                self.cats.addWidget(b, i // cols, i % cols)
        cols = self._columns(150)
        if cols != self._tile_cols:
            self._tile_cols = cols
            for b in self.tiles:
                self.grid.removeWidget(b)
            for i, b in enumerate(self.tiles):
                self.grid.addWidget(b, i // cols, i % cols)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._arrange()

    def show_category(self, category_id: str) -> None:
        if not category_id:
            self.show_quick()
            return
        QueryOp(self.shell, lambda ctx: catalogue.category_products(ctx, category_id), self._fill_products).run()

    def _fill_products(self, products: list[ProductInfo]) -> None:
        """A tile per product: the name on up to two lines, the price always on the last."""
        clear_layout(self.grid)
        self.tiles = []
        for p in products[:40]:
            price = f"{self.shell.money(p.price)}{' /kg' if p.unit == 'kg' else ''}"
            b = TouchButton(p.name, price, keep_footer=True)
            b.setProperty("role", "product")
            b.setObjectName(f"prod_{p.sku}")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            b.setMinimumHeight(72)
            b.clicked.connect(lambda _=False, b=b: acted(b))
            b.clicked.connect(lambda _=False, p=p: self.on_product(p))
            self.tiles.append(b)
        self._tile_cols = 0
        self._arrange()


class PickList(QWidget):
    """A touch list (search results, parked sales) with a title and a close button."""

    def __init__(self, on_close: Callable[[], None]) -> None:
        super().__init__()
        self.title = heading("")
        self.list = named(QListWidget(), "pickList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.itemClicked.connect(self._picked)
        self._on_pick: Callable[..., None] | None = None  # gets the picked item's value
        close = button(tr("Back"), on_close, role="danger", name="pickClose")
        row = QHBoxLayout()
        row.addWidget(self.title, 1)
        row.addWidget(close)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addLayout(row)
        col.addWidget(self.list, 1)

    def show_items(self, title: str, items: list[tuple[str, T]], on_pick: Callable[[T], None]) -> None:
        self.title.setText(title)
        self._on_pick = on_pick
        self.list.clear()
        for text, value in items:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, value)
            self.list.addItem(item)

    def pick(self, row: int) -> None:
        item = self.list.item(row)
        if item is not None:
            self._picked(item)

    def _picked(self, item: QListWidgetItem) -> None:
        if self._on_pick is not None:
            self._on_pick(item.data(Qt.ItemDataRole.UserRole))
