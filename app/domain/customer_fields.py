"""What a customer record the till writes may hold: a name, a type, contact details, and (on a
standalone till) a credit limit and terms. Bad text is refused with a sentence, never cut or
cleaned silently: what the supervisor typed is either stored as typed or not at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kernel.errors import InvalidInput

TYPES = ("retail", "wholesale")  # stored in lower case, as head office publishes them
LIMITS = {"name": 120, "contact_person": 120, "phone": 40, "email": 254}
MAX_TERMS_DAYS = 365
MAX_CREDIT_LIMIT = 100_000_000  # minor units: a million in a two-decimal currency
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE = re.compile(r"\+?[0-9 ()/.-]{3,40}")
WORDS = {"name": "name", "contact_person": "contact person", "phone": "phone number", "email": "e-mail address"}


@dataclass(frozen=True)
class CustomerFields:
    """Fields to set; None leaves a field as it is (a new customer needs a name)."""

    name: str | None = None
    customer_type: str | None = None
    contact_person: str | None = None
    phone: str | None = None
    email: str | None = None
    credit_limit: int | None = None  # minor units
    terms_days: int | None = None

    @property
    def sets_credit(self) -> bool:
        return self.credit_limit is not None or self.terms_days is not None


def _text(key: str, value: str, *, required: bool) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"The {WORDS[key]} must be text.")
    if any(not ch.isprintable() for ch in value):
        raise InvalidInput(f"The {WORDS[key]} cannot hold control characters or line breaks.")
    clean = value.strip()
    if required and not clean:
        raise InvalidInput(f"The customer needs a {WORDS[key]}.")
    if len(clean) > LIMITS[key]:
        raise InvalidInput(f"The {WORDS[key]} may be at most {LIMITS[key]} characters long.")
    return clean


def _int(value: object, what: str, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"The {what} must be a whole number.")
    if not 0 <= value <= top:
        raise InvalidInput(f"The {what} must be between 0 and {top}.")
    return value


def clean(fields: CustomerFields) -> dict[str, object]:
    """The columns to write, checked; only the fields given."""
    out: dict[str, object] = {}
    for key in ("name", "contact_person", "phone", "email"):
        value = getattr(fields, key)
        if value is not None:
            out[key] = _text(key, value, required=key == "name")
    if out.get("email") and not _EMAIL.fullmatch(str(out["email"])):
        raise InvalidInput(f"'{str(out['email'])[:60]}' is not an e-mail address.")
    if out.get("phone") and not _PHONE.fullmatch(str(out["phone"])):
        raise InvalidInput("A phone number holds digits, spaces and + ( ) / . - only.")
    if fields.customer_type is not None:
        kind = fields.customer_type.strip().lower() if isinstance(fields.customer_type, str) else None
        if kind not in TYPES:
            raise InvalidInput("The customer type is RETAIL or WHOLESALE.")
        out["customer_type"] = kind
    if fields.credit_limit is not None:
        out["credit_limit"] = _int(fields.credit_limit, "credit limit", MAX_CREDIT_LIMIT)
    if fields.terms_days is not None:
        out["terms_days"] = _int(fields.terms_days, "payment terms (days)", MAX_TERMS_DAYS)
    return out
