"""Errors a cashier reads. Every message is a whole sentence that says what to do next."""


class DomainError(Exception):
    """A business rule refused an action; nothing was written."""


class NotFound(DomainError):
    pass


class InvalidInput(DomainError):
    pass


class PermissionDenied(DomainError):
    pass


class ApprovalRequired(PermissionDenied):
    """The action is allowed with a supervisor's one-shot approval: ask for a PIN and retry."""

    def __init__(self, message: str, action: str) -> None:
        super().__init__(message)
        self.action = action


class LockedOut(DomainError):
    pass


class StockError(DomainError):
    pass


class CreditError(DomainError):
    pass


class StateError(DomainError):
    """The action does not fit the state of the cart, sale or shift."""


class DatabaseDamaged(Exception):
    """The till's database file is corrupt (cut short, overwritten, bad pages). Not a refusal of an
    action: nothing can be trusted to read or write until the file is restored from a backup."""

    def __init__(self, detail: str) -> None:
        self.detail = detail.strip().rstrip(".") or "it cannot be read"
        super().__init__(f"The till database is damaged: {self.detail}; restore the last backup.")
