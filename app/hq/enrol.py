"""Enrolling a till (head office side) and connecting it (till side)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from app.audit import checkpoint
from app.sync.connection import SETTINGS_FILE, CentralSettings, SettingsError, write_private
from db.central import enrol_repo
from db.central.schema import connect


def enrol(url: str, *, store: str, till_id: str, public_key: bytes,
          sslmode: str | None = None, sslrootcert: str | None = None) -> CentralSettings:
    """Create the till's role and register its key; returns the settings the till needs.

    The key is the till's own (`checkpoint_ed25519.pub`, made by `tillstone init`): a key made
    here would differ from the one the till already signs with, and `central connect` could
    not install it (#15). The private key never leaves the till.
    """
    till = f"{store}-{till_id}"
    if len(public_key) != 32:
        raise SettingsError("the till's public key must be 32 bytes (64 hex digits)")
    password = secrets.token_urlsafe(24)
    with connect(url) as conn:
        role = enrol_repo.enrol(conn, store=store, till=till, password=password, public_key=public_key,
                                key_id=checkpoint.key_id(public_key))
        conn.commit()
    parts = conninfo_to_dict(url)
    conninfo = {"host": str(parts.get("host") or "127.0.0.1"), "port": str(parts.get("port") or 5432),
                "dbname": str(parts.get("dbname") or ""), "user": role, "password": password}
    for name, value in (("sslmode", sslmode or parts.get("sslmode")), ("sslrootcert", sslrootcert or
                                                                        parts.get("sslrootcert"))):
        if value:
            conninfo[name] = str(value)
    return CentralSettings(till=till, store_id=store, conninfo=conninfo)


def _check_root_cert(value: str | None) -> None:
    """A root certificate named in the file must be on this till, by an absolute path: libpq reads a
    relative one from wherever the till was started, and a missing one fails only at the first sync."""
    if not value or value == "system":
        return
    path = Path(value)
    if not path.is_absolute():
        raise SettingsError(f"sslrootcert must be an absolute path on this till, not {value!r}")
    if not path.is_file():
        raise SettingsError(f"sslrootcert {value} is not a file on this till; copy the certificate there first")


def install(data_dir: Path, settings: CentralSettings, expected_till: str) -> Path:
    """Store the settings in the till (0600) and its checkpoint key if the file carries one."""
    if settings.till != expected_till:
        raise SettingsError(f"this file is for till {settings.till}, but this till is {expected_till}")
    _check_root_cert(settings.conninfo.get("sslrootcert"))
    keys = Path(data_dir)  # where the till's checkpoint writer looks for its key
    key_path = keys / checkpoint.PRIVATE_KEY_FILE
    if settings.till_private_key_pem:
        if key_path.exists():
            existing = checkpoint.public_bytes(checkpoint.load_private_key(key_path))
            new = checkpoint.private_key_from_pem(settings.till_private_key_pem.encode(), "the enrolment's key")
            if checkpoint.public_bytes(new) != existing:
                raise SettingsError("this till already has a different checkpoint key; enrol it with --public-key")
        else:
            keys.mkdir(parents=True, exist_ok=True)
            write_private(key_path, settings.till_private_key_pem)
            new = checkpoint.private_key_from_pem(settings.till_private_key_pem.encode(), "the enrolment's key")
            (keys / checkpoint.PUBLIC_KEY_FILE).write_text(checkpoint.public_bytes(new).hex() + "\n")
    stored = CentralSettings(settings.till, settings.store_id, settings.conninfo)  # the key stays in keys/
    target = Path(data_dir) / SETTINGS_FILE
    write_private(target, json.dumps(stored.to_json(), indent=2))
    return target
