"""Record ids are made on the till, so two offline tills never collide."""

from __future__ import annotations

import uuid


def new_id() -> str:
    """A random UUID as text: the id of a new record (sale, line, payment, shift...)."""
    return str(uuid.uuid4())
