"""The people and goods a simulated day works with."""

from __future__ import annotations

from dataclasses import dataclass

from app.context import TillContext
from app.domain.permissions import Approval
from app.usecases import setup
from kernel.records import CustomerInfo, ProductInfo

CASHIERS = (("sim-cashier-1", "Sim Cashier One", "4711"), ("sim-cashier-2", "Sim Cashier Two", "4712"))
SUPERVISOR = ("sim-supervisor", "Sim Supervisor", "4799")


@dataclass
class Cast:
    cashiers: list[str]
    supervisor: str
    pins: dict[str, str]
    products: list[ProductInfo]
    weighed: list[ProductInfo]
    customers: list[CustomerInfo]

    def approval(self, reason: str) -> Approval:
        return Approval(approver_id=self.supervisor, pin=self.pins[self.supervisor], reason=reason)


def ensure_cast(ctx: TillContext) -> Cast:
    """Simulation users with known PINs (created once), and the catalogue and customers to use."""
    with ctx.uow(read_only=True) as uow:
        existing = {u.id for u in uow.people.users(active_only=False)}
    for uid, name, pin in (*CASHIERS, SUPERVISOR):
        if uid not in existing:
            setup.add_user(ctx, uid, name, "supervisor" if uid == SUPERVISOR[0] else "cashier", pin)
    with ctx.uow(read_only=True) as uow:
        products = uow.catalogue.active_products(400)
        customers = [c for c in uow.people.customers(limit=50) if not c.blocked and c.credit_limit > 0]
    pins = {uid: pin for uid, _n, pin in (*CASHIERS, SUPERVISOR)}
    return Cast(
        cashiers=[c[0] for c in CASHIERS], supervisor=SUPERVISOR[0], pins=pins,
        products=[p for p in products if p.unit == "each"], weighed=[p for p in products if p.unit == "kg"],
        customers=customers,
    )
