"""The till's central connection settings: written by `central enroll`, stored by `central connect`.

The file holds a password, so it lives next to the till database with mode 0600 rather than in
the database (which is copied for support and backups). TLS settings (`sslmode`,
`sslrootcert`) are passed to libpq unchanged.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SETTINGS_FILE = "central.json"
CONNINFO_KEYS = ("host", "port", "dbname", "user", "password", "sslmode", "sslrootcert")
SSLMODES = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}


class SettingsError(ValueError):
    """A connection file that is missing, malformed or meant for another till."""


@dataclass(frozen=True)
class CentralSettings:
    till: str
    store_id: str
    conninfo: dict[str, str]
    till_private_key_pem: str | None = field(default=None, repr=False)

    def kwargs(self) -> dict[str, str]:
        """Keyword arguments for psycopg.connect (libpq names, empty values dropped)."""
        return {k: str(v) for k, v in self.conninfo.items() if v not in (None, "")}

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"v": 1, "till": self.till, "store_id": self.store_id, "conninfo": self.conninfo}
        if self.till_private_key_pem:
            out["till_private_key_pem"] = self.till_private_key_pem
        return out


def parse(obj: object) -> CentralSettings:
    """Validate a settings object; every refusal says what is wrong."""
    if not isinstance(obj, dict) or obj.get("v") != 1:
        raise SettingsError("not a Tillstone central connection file (version 1)")
    till, store = obj.get("till"), obj.get("store_id")
    if not isinstance(till, str) or not isinstance(store, str) or not till.startswith(f"{store}-"):
        raise SettingsError("the connection file names no valid store and till")
    conninfo = obj.get("conninfo")
    if not isinstance(conninfo, dict) or not {"host", "dbname", "user", "password"} <= set(conninfo):
        raise SettingsError("the connection file lacks host, dbname, user or password")
    unknown = set(conninfo) - set(CONNINFO_KEYS)
    if unknown:
        raise SettingsError(f"unknown connection settings: {', '.join(sorted(unknown))}")
    if conninfo.get("sslmode") not in (None, "", *SSLMODES):
        raise SettingsError(f"sslmode must be one of {', '.join(sorted(SSLMODES))}")
    pem = obj.get("till_private_key_pem")
    if pem is not None and (not isinstance(pem, str) or "PRIVATE KEY" not in pem):
        raise SettingsError("the till key in the connection file is not a PEM private key")
    return CentralSettings(till, store, {k: str(v) for k, v in conninfo.items()}, pem)


def write_private(path: Path, text: str) -> None:
    """Write a secret file readable by its owner only, replacing any previous one atomically."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def read_file(path: Path) -> CentralSettings:
    try:
        obj = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SettingsError(f"no connection file at {path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SettingsError(f"cannot read {path}: {exc}") from exc
    return parse(obj)


def load(data_dir: Path) -> CentralSettings:
    """The settings `central connect` stored in this till."""
    path = Path(data_dir) / SETTINGS_FILE
    if not path.exists():
        raise SettingsError("this till is not connected to a central store; run `tillstone central connect FILE`")
    return read_file(path)
