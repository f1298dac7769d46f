"""Errors the CLI turns into a message and an exit code."""


class CliError(Exception):
    """Bad input or usage: printed as one sentence, exit code 2 unless told otherwise."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code
