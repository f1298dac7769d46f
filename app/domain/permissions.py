"""Who may do what. An action a role lacks needs a one-shot supervisor approval."""

from __future__ import annotations

from dataclasses import dataclass

CASHIER = frozenset(
    {"sell", "park", "discount", "cash_in", "shift_open", "shift_close", "account_payment", "customer_attach"}
)
SUPERVISOR = CASHIER | frozenset(
    {
        "line_void",
        "sale_void",
        "refund",
        "price_override",
        "zero_price",
        "credit_override",
        "overdue_override",
        "cash_out",
        "no_sale",
        "manual_weight",
        "discount_override",
        "shift_close_other",
        "resolve_discrepancy",
        "z_report",
        "cancel_cart",
        "expected_cash",
        "export",
        "customer_edit",
        "credit_adjust",
    }
)
ADMIN = SUPERVISOR | frozenset({"settings", "import", "users"})
ROLES: dict[str, frozenset[str]] = {"cashier": CASHIER, "supervisor": SUPERVISOR, "admin": ADMIN}

ACTION_WORDS = {
    "line_void": "remove a line",
    "sale_void": "void a sale",
    "refund": "give a refund",
    "price_override": "change a price",
    "zero_price": "sell at a zero price",
    "credit_override": "go over a customer's credit limit",
    "cash_out": "take cash out",
    "export": "export data",
    "customer_edit": "add or change a customer",
    "credit_adjust": "adjust a customer's balance",
    "overdue_override": "sell on account to a customer with an overdue balance",
    "no_sale": "open the drawer without a sale",
    "manual_weight": "type a weight by hand",
    "discount_override": "give a discount this large",
    "shift_close_other": "close another cashier's shift",
    "resolve_discrepancy": "resolve a cash difference",
    "z_report": "print the daily Z report",
    "cancel_cart": "cancel a sale with items in it",
    "expected_cash": "see the expected cash before the count",
    "settings": "change settings",
    "import": "import the catalogue",
    "users": "manage users",
}


def allowed(role: str, action: str) -> bool:
    return action in ROLES.get(role, frozenset())


def describe(action: str) -> str:
    return ACTION_WORDS.get(action, action.replace("_", " "))


@dataclass(frozen=True)
class Approval:
    """A supervisor's PIN typed for exactly one action. It is checked and consumed inside the
    transaction of that action, so it can never stay unlocked."""

    approver_id: str
    pin: str
    reason: str
