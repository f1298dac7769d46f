"""Head-office web console users: argon2 password hashes, roles, lockout, server-side sessions.

A session token is random and only its SHA-256 is stored, so a copy of the database does not
let anyone log in; each session carries its own CSRF token (synchronizer token pattern).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from dataclasses import dataclass

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from db.central import console_repo

ROLES = ("viewer", "manager", "admin")
MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_HOURS = 8
MIN_PASSWORD = 10
_NAME = re.compile(r"[A-Za-z0-9._@-]{1,64}\Z")
_hasher = PasswordHasher()
_DUMMY = _hasher.hash(secrets.token_urlsafe(16))  # a wrong name costs as much time as a wrong password


class WebUserError(ValueError):
    """A user that cannot be created as asked (bad name, role or password, name taken)."""


@dataclass(frozen=True)
class WebUser:
    id: int
    name: str
    role: str
    csrf: str = ""

    def may(self, role: str) -> bool:
        """True if this user's role is at least `role` (viewer < manager < admin)."""
        return ROLES.index(self.role) >= ROLES.index(role)


def add_user(conn: psycopg.Connection, name: str, role: str, password: str) -> int:
    if not _NAME.match(name):
        raise WebUserError("name must be 1-64 letters, digits or . _ @ -")
    if role not in ROLES:
        raise WebUserError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise WebUserError(f"password must have at least {MIN_PASSWORD} characters")
    with conn.transaction():
        if console_repo.user_exists(conn, name):
            raise WebUserError(f"a web user named {name!r} already exists")
        return console_repo.add_user(conn, name, role, _hasher.hash(password))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(conn: psycopg.Connection, name: str, password: str) -> tuple[str, WebUser] | str:
    """A new session token and its user, or the reason the login failed ("invalid" or "locked").

    Every wrong password counts, also while locked; MAX_FAILURES locks the user for LOCK_MINUTES."""
    with conn.transaction():
        row = console_repo.user_for_login(conn, name) if _NAME.match(name) else None
        if row is None or not row["active"]:
            with contextlib.suppress(VerificationError):
                _hasher.verify(_DUMMY, password)
            return "invalid"
        try:
            _hasher.verify(row["password_hash"], password)
        except (VerificationError, InvalidHashError):
            console_repo.record_failure(conn, row["id"], MAX_FAILURES, LOCK_MINUTES)
            return "locked" if row["locked"] or row["failed_logins"] + 1 >= MAX_FAILURES else "invalid"
        if row["locked"]:
            return "locked"
        rehash = _hasher.hash(password) if _hasher.check_needs_rehash(row["password_hash"]) else None
        console_repo.record_success(conn, row["id"], rehash)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        console_repo.add_session(conn, _token_hash(token), row["id"], csrf, SESSION_HOURS)
    return token, WebUser(row["id"], row["name"], row["role"], csrf)


def session_user(conn: psycopg.Connection, token: str) -> WebUser | None:
    if not token or len(token) > 100:
        return None
    with conn.transaction():
        row = console_repo.session(conn, _token_hash(token))
    return None if row is None else WebUser(row["id"], row["name"], row["role"], row["csrf"])


def logout(conn: psycopg.Connection, token: str) -> None:
    with conn.transaction():
        console_repo.drop_session(conn, _token_hash(token))
