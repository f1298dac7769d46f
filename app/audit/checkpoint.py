"""Signed checkpoints of a till's audit log, and head office's countersignature (witness).

A hash chain alone cannot reveal a deleted tail or a rewritten history: an outside anchor is
needed. The till signs (Ed25519) the Merkle root and head hash of entries 1..n and records the
statement as an `audit.checkpoint` entry; once head office has seen it and countersigned it,
the till can no longer present another history of those n entries. The format is documented
in docs/checkpoints.md so that anyone can write a verifier.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.audit.format_v1 import canonical_bytes

CHECKPOINT_TYPE = "audit.checkpoint"
STATEMENT_VERSION = 1
PRIVATE_KEY_FILE = "checkpoint_ed25519.pem"
PUBLIC_KEY_FILE = "checkpoint_ed25519.pub"
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")
_HEX16 = re.compile(r"[0-9a-f]{16}\Z")


class KeyFileError(RuntimeError):
    """A key file that is missing, unreadable or readable by someone other than its owner."""


def key_id(public_key_bytes: bytes) -> str:
    """First 16 hex digits of SHA-256 of the raw 32-byte public key: names the key in statements."""
    return hashlib.sha256(public_key_bytes).hexdigest()[:16]


def public_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The raw 32-byte public key (what is enrolled at head office)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def make_keypair(path_dir: Path | str) -> bytes:
    """Create a new key pair in path_dir; returns the raw public key.

    The private key is written PEM (PKCS#8) with mode 0600 from the first byte (O_EXCL, so an
    existing key is never overwritten: losing it would orphan every checkpoint it signed).
    """
    directory = Path(path_dir)
    directory.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    private_path = directory / PRIVATE_KEY_FILE
    try:
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise KeyFileError(f"a checkpoint key already exists at {private_path}") from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(private_path, 0o600)  # the umask cannot loosen it, but be explicit
    raw = public_bytes(key)
    (directory / PUBLIC_KEY_FILE).write_text(raw.hex() + "\n", encoding="ascii")
    return raw


def load_private_key(path: Path | str) -> Ed25519PrivateKey:
    """Load a PEM Ed25519 private key, refusing a file that others could read or write."""
    key_path = Path(path)
    if key_path.is_dir():
        key_path = key_path / PRIVATE_KEY_FILE
    try:
        info = key_path.stat()
    except OSError as exc:
        raise KeyFileError(f"cannot read the checkpoint key {key_path}: {exc.strerror}") from exc
    if os.name == "posix":
        if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise KeyFileError(
                f"the checkpoint key {key_path} is accessible to other users "
                f"(mode {stat.S_IMODE(info.st_mode):o}); run chmod 600 on it"
            )
        if info.st_uid != os.getuid():
            raise KeyFileError(f"the checkpoint key {key_path} belongs to another user")
    return private_key_from_pem(key_path.read_bytes(), str(key_path))


def private_key_from_pem(pem: bytes, where: str = "the key") -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM bytes; anything else is refused, naming `where` it came from."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(f"{where} is not a PEM private key") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{where} is not an Ed25519 key")
    return key


def load_public_key(path_dir: Path | str) -> bytes:
    """The raw public key written next to the private key by make_keypair."""
    text = (Path(path_dir) / PUBLIC_KEY_FILE).read_text(encoding="ascii").strip()
    return bytes.fromhex(text)


def statement_bytes(till: str, tree_size: int, root: str, head: str) -> bytes:
    """The exact bytes the till signs: canonical JSON of the statement."""
    statement = {"v": STATEMENT_VERSION, "till": till, "tree_size": tree_size, "root": root, "head": head}
    return canonical_bytes(statement)


def _check_fields(till: object, tree_size: object, root: object, head: object) -> None:
    if not isinstance(till, str) or not till:
        raise ValueError("till must be a non-empty string")
    if not isinstance(tree_size, int) or isinstance(tree_size, bool) or tree_size < 1:
        raise ValueError("tree_size must be a positive integer")
    for name, value in (("root", root), ("head", head)):
        if not isinstance(value, str) or not _HEX64.match(value):
            raise ValueError(f"{name} must be 64 lowercase hex digits")


def sign_checkpoint(
    key: Ed25519PrivateKey, till: str, tree_size: int, root: str, head: str
) -> dict[str, Any]:
    """The `data` of an audit.checkpoint entry covering entries 1..tree_size."""
    _check_fields(till, tree_size, root, head)
    signature = key.sign(statement_bytes(till, tree_size, root, head))
    return {
        "tree_size": tree_size,
        "root": root,
        "head": head,
        "key_id": key_id(public_bytes(key)),
        "signature": base64.b64encode(signature).decode("ascii"),
    }


def _decode_signature(text: object) -> bytes | None:
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == 64 else None


def _verify(public_key_bytes: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key_bytes).verify(signature, message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def verify_checkpoint(public_key_bytes: bytes, till: str, data: object) -> bool:
    """True only if `data` is a well-formed statement for `till` signed by this key."""
    if not isinstance(data, dict) or not isinstance(public_key_bytes, bytes) or len(public_key_bytes) != 32:
        return False
    try:
        _check_fields(till, data.get("tree_size"), data.get("root"), data.get("head"))
    except ValueError:
        return False
    if data.get("key_id") != key_id(public_key_bytes):
        return False
    signature = _decode_signature(data.get("signature"))
    if signature is None:
        return False
    message = statement_bytes(till, data["tree_size"], data["root"], data["head"])
    return _verify(public_key_bytes, message, signature)


def witness_bytes(till: str, data: dict[str, Any]) -> bytes:
    """What head office signs: the till's statement plus the till's own signature.

    Binding the till's signature means the countersignature vouches for that exact statement.
    """
    return canonical_bytes(
        {
            "v": STATEMENT_VERSION,
            "kind": "witness",
            "till": till,
            "tree_size": data["tree_size"],
            "root": data["root"],
            "head": data["head"],
            "till_key_id": data["key_id"],
            "till_signature": data["signature"],
        }
    )


def witness_sign(hq_key: Ed25519PrivateKey, till: str, data: dict[str, Any]) -> dict[str, Any]:
    """Head office's countersignature of a checkpoint it has verified and accepted."""
    _check_fields(till, data.get("tree_size"), data.get("root"), data.get("head"))
    signature = hq_key.sign(witness_bytes(till, data))
    return {
        "v": STATEMENT_VERSION,
        "witness_key_id": key_id(public_bytes(hq_key)),
        "signature": base64.b64encode(signature).decode("ascii"),
    }


def witness_verify(hq_public_key_bytes: bytes, till: str, data: object, witness: object) -> bool:
    """True only if `witness` countersigns exactly this statement with this head-office key."""
    if not isinstance(data, dict) or not isinstance(witness, dict):
        return False
    if not isinstance(hq_public_key_bytes, bytes) or len(hq_public_key_bytes) != 32:
        return False
    if witness.get("v") != STATEMENT_VERSION or witness.get("witness_key_id") != key_id(hq_public_key_bytes):
        return False
    try:
        _check_fields(till, data.get("tree_size"), data.get("root"), data.get("head"))
        if not isinstance(data.get("key_id"), str) or not _HEX16.match(data["key_id"]):
            return False
        if not isinstance(data.get("signature"), str):
            return False
        message = witness_bytes(till, data)
    except ValueError:
        return False
    signature = _decode_signature(witness.get("signature"))
    if signature is None:
        return False
    return _verify(hq_public_key_bytes, message, signature)
