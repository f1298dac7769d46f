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
