"""The supervisor's alert line: anomalies the core flagged as their events landed (a large sale,
voids, a large refund, sales after hours, wrong PINs) are shown to a supervisor or admin who is
logged in, above the screens, until they dismiss them. A cashier never sees it: the line stays
hidden and takes no room while a cashier works."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QSizePolicy

from app.queries.anomalies import Flagged, flagged_since
from kernel.records import UserInfo
from ui.fmt import tr
from ui.ops import Change, QueryOp
from ui.widgets import Banner

if TYPE_CHECKING:
    from ui.shell import Shell

SEES_ALERTS = ("supervisor", "admin")


def kind_words(kind: str) -> str:
    return {"LARGE_SALE": tr("Large sale"), "AFTER_HOURS": tr("After hours"), "FAILED_LOGINS": tr("Wrong PINs"),
            "VOID_ANOMALY": tr("Voids"), "REFUND_ANOMALY": tr("Large refund")}.get(kind, kind)


class SupervisorAlerts(Banner):
    def __init__(self, shell: Shell) -> None:
        super().__init__()
        self.shell = shell
        self.setObjectName("supervisorAlerts")
        self.action.setObjectName("alertsSeen")
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(False)  # hidden, it gives its line back to the screen
        policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.setSizePolicy(policy)
        self.seen = 0  # the last flag a supervisor dismissed on this till since it started
        self.showing = 0
        shell.user_changed.connect(self._user)
        shell.changed.connect(self._changed)

    def _sees(self) -> bool:
        user = self.shell.user
        return user is not None and user.role in SEES_ALERTS

    def _user(self, user: UserInfo | None) -> None:
        self.clear()
        if user is not None and user.role in SEES_ALERTS:
            self.refresh()

    def _changed(self, _changes: Change) -> None:
        if self._sees():
            self.refresh()

    def refresh(self) -> None:
        QueryOp(self.shell, lambda ctx: flagged_since(ctx, self.seen), self._show).run()

    def _show(self, flags: list[Flagged]) -> None:
        if not flags or not self._sees():  # the supervisor may have logged out meanwhile
            return
        self.showing = flags[-1].seq
        newest = flags[-1]
        more = tr(" (+{0} more)").format(len(flags) - 1) if len(flags) > 1 else ""
        words = kind_words(newest.kind)
        amount = self.shell.money(newest.amount) if newest.amount else ""
        self.show_message(f"⚠ {words} {amount}{more}".strip(), "warn", action=(tr("Seen"), self.dismiss), sticky=True)
        self.setToolTip(newest.detail)  # the rule's sentence; the shift report lists them all

    def dismiss(self) -> None:
        """The supervisor saw them: only flags after these come up again."""
        self.seen = max(self.seen, self.showing)
        self.clear()
