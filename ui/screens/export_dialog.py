"""The supervisor's Export: one kind of data (sales of a day or of the open shift, customers,
inventory, the audit log) as xlsx, CSV or PDF into a chosen folder.

The file is written by `app.usecases.exports.export` on the database worker, never on the GUI
thread; its `on_row` callback runs on the worker too, so it only emits a signal, which Qt queues
to the progress bar here. The result (file name and rows) or the refusal is a banner sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.context import TillContext
from app.domain.permissions import Approval
from app.exports.files import FORMATS, Written
from app.exports.registry import kinds
from app.usecases import exports as uc
from ui.fmt import tr
from ui.ops import Change, ChangeOp
from ui.widgets import button, heading, named

if TYPE_CHECKING:
    from ui.shell import Shell

CHOICES = ("sales_day", "sales_shift", "customers", "inventory", "audit")


@dataclass(frozen=True)
class Request:
    """What the dialog asks the core for: plain values, safe to hand to the worker thread."""

    choice: str
    fmt: str
    folder: Path
    day: str  # YYYY-MM-DD: sales of a day and the audit log of that day
    shift_day: str | None  # the open shift's business date and cashier, for sales of the shift
    shift_user: str | None
    shift_id: str | None = None

    @property
    def kind(self) -> str:
        return "sales" if self.choice.startswith("sales") else self.choice

    def filters(self) -> dict[str, Any]:
        if self.choice == "sales_day" or self.choice == "audit":
            return {"from": self.day, "to": self.day}
        if self.choice == "sales_shift" and _has_shift_filter():
            return {"shift": self.shift_id}
        if self.choice == "sales_shift":  # the shift's day and cashier
            return {"from": self.shift_day, "to": self.shift_day, "cashier": self.shift_user}
        return {}

    def file_name(self, stamp: str) -> str:
        """`sales-2026-12-04-195800.xlsx`; a CSV of several sheets is a zip of them."""
        day = self.shift_day if self.choice == "sales_shift" else self.day
        ext = "zip" if self.fmt == "csv" else self.fmt
        dated = f"-{day}" if self.choice in ("sales_day", "sales_shift", "audit") else ""
        return f"{self.kind}{dated}-{stamp}.{ext}"


def _has_shift_filter() -> bool:
    """Whether the sales export takes a shift id (else a shift is its day and cashier)."""
    return any(f.key == "shift" for f in kinds()["sales"].filters)


def default_folder(ctx: TillContext) -> Path:
    """The setting `export_folder`, else `exports` in the till's data directory."""
    chosen = ctx.settings.export_folder.strip()
    return Path(chosen) if chosen else Path(ctx.data_dir) / "exports"


def run_export(ctx: TillContext, request: Request, user_id: str, progress: Progress) -> Written:
    """On the worker: the folder made if it is the default one, then the export and its entry."""
    if request.folder == default_folder(ctx):
        request.folder.mkdir(parents=True, exist_ok=True)
    out = request.folder / request.file_name(ctx.now().strftime("%H%M%S"))
    return uc.export(ctx, request.kind, request.fmt, out, request.filters(), user_id=user_id, via="gui",
                     on_row=progress.rows.emit)


class Progress(QObject):
    """Made on the GUI thread; `rows` emitted on the worker arrives here queued."""

    rows = Signal(int)


class ExportDialog(QDialog):
    """Not modal for the event loop (`open`, not `exec`): the worker's answers keep arriving."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.setObjectName("exportDialog")
        self.setWindowTitle(tr("Export"))
        self.choice = named(QComboBox(), "exportKind")
        for key, label in (
            ("sales_day", tr("Sales of a day")),
            ("sales_shift", tr("Sales of this shift")),
            ("customers", tr("Customers")),
            ("inventory", tr("Inventory")),
            ("audit", tr("Audit log of a day")),
        ):
            self.choice.addItem(label, key)
        self.choice.currentIndexChanged.connect(self._kind_changed)
        self.fmt = named(QComboBox(), "exportFormat")
        for name in FORMATS:
            self.fmt.addItem(name.upper() if name != "xlsx" else tr("Excel (xlsx)"), name)
        self.day = named(QDateEdit(), "exportDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.folder = named(QLineEdit(), "exportFolder")
        self.progress = named(QProgressBar(), "exportProgress")
        self.progress.setRange(0, 0)
        self.progress.setFormat(tr("%v rows"))
        self.progress.hide()
        self.tracker = Progress(self)
        self.tracker.rows.connect(self._rows)
        self.go_btn = button(tr("Export"), self.start, role="primary", parent=self, name="exportGo")
        self.cancel_btn = button(tr("Close"), self.reject, parent=self, name="exportClose")
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(button(tr("Choose…"), self.choose_folder, parent=self, name="exportBrowse"))
        form = QFormLayout()
        form.addRow(tr("Data"), self.choice)
        form.addRow(tr("Business date"), self.day)
        form.addRow(tr("Format"), self.fmt)
        form.addRow(tr("Folder"), _wrap(folder_row))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_btn)
        buttons.addWidget(self.go_btn)
        col = QVBoxLayout(self)
        col.addWidget(heading(tr("Export data")))
        col.addLayout(form)
        col.addWidget(self.progress)
        col.addLayout(buttons)
        self.setMinimumWidth(min(560, max(360, shell.width() - 80)))

    def ask(self) -> None:
        """Fresh for each opening: the shift's day, the default folder, no progress shown."""
        shift = self.shell.shift
        today = shift.business_date if shift else self.shell.worker.ctx.now().date().isoformat()
        self.day.setDate(QDate.fromString(today, "yyyy-MM-dd"))
        index = self.choice.findData("sales_shift")
        item = self.choice.model().item(index)  # type: ignore[attr-defined]
        item.setEnabled(shift is not None)
        self.choice.setCurrentIndex(self.choice.findData("sales_shift" if shift else "sales_day"))
        if not self.folder.text().strip():
            self.folder.setText(str(default_folder(self.shell.worker.ctx)))
        self.progress.hide()
        self.go_btn.setEnabled(True)
        self._kind_changed()
        self.open()

    def _kind_changed(self) -> None:
        self.day.setEnabled(self.choice.currentData() in ("sales_day", "audit"))

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, tr("Export to folder"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def request(self) -> Request:
        shift = self.shell.shift
        return Request(
            choice=str(self.choice.currentData()), fmt=str(self.fmt.currentData()),
            folder=Path(self.folder.text().strip()), day=self.day.date().toString("yyyy-MM-dd"),
            shift_day=shift.business_date if shift else None, shift_user=shift.user_id if shift else None,
            shift_id=shift.id if shift else None,
        )

    def start(self) -> None:
        if not self.folder.text().strip():
            self.shell.show_error(tr("Choose a folder to export to."))
            return
        request, tracker = self.request(), self.tracker
        assert self.shell.user is not None
        uid = self.shell.user.id
        self.progress.setRange(0, 0)  # the total is not known before the rows are read
        self.progress.setValue(0)
        self.progress.show()
        self.go_btn.setEnabled(False)

        def act(ctx: TillContext, _ap: Approval | None) -> Written:
            return run_export(ctx, request, uid, tracker)

        ChangeOp(self.shell, act, Change(0)).success(self._done).failure(self._failed).run()

    def _rows(self, count: int) -> None:
        self.progress.setMaximum(max(count, 1) * 2 if self.progress.maximum() <= count else self.progress.maximum())
        self.progress.setValue(count)

    def _done(self, written: Written) -> None:
        self.progress.setRange(0, max(written.row_count, 1))
        self.progress.setValue(max(written.row_count, 1))
        self.go_btn.setEnabled(True)
        self.accept()
        self.shell.banner.show_message(
            tr("Exported {0} rows to {1}.").format(written.row_count, written.path.name), "ok"
        )

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.go_btn.setEnabled(True)
        self.shell.show_error(message)


def _wrap(layout: QHBoxLayout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
