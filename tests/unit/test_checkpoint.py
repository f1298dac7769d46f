"""Checkpoint statements and witness countersignatures: sign, verify, refuse forgeries."""

from __future__ import annotations

import base64
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.audit import checkpoint as cp
from app.audit.merkle import root

TILL = "S001-T01"
ROOT = root([b"a", b"b", b"c"]).hex()
HEAD = "ab" * 32


@pytest.fixture()
def keydir(tmp_path):
    public = cp.make_keypair(tmp_path / "keys")
    return tmp_path / "keys", public


def test_keypair_files_and_modes(keydir) -> None:
    directory, public = keydir
    assert len(public) == 32
    private = directory / cp.PRIVATE_KEY_FILE
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert cp.load_public_key(directory) == public
    assert cp.public_bytes(cp.load_private_key(private)) == public
    assert cp.public_bytes(cp.load_private_key(directory)) == public


def test_existing_key_is_never_overwritten(keydir) -> None:
    directory, public = keydir
    with pytest.raises(cp.KeyFileError, match="already exists"):
        cp.make_keypair(directory)
    assert cp.public_bytes(cp.load_private_key(directory)) == public


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o644, 0o606])
def test_loose_permissions_are_refused(keydir, mode: int) -> None:
    directory, _ = keydir
    os.chmod(directory / cp.PRIVATE_KEY_FILE, mode)
    with pytest.raises(cp.KeyFileError):
        cp.load_private_key(directory)


def test_missing_or_garbage_key_file(tmp_path) -> None:
    with pytest.raises(cp.KeyFileError, match="cannot read"):
        cp.load_private_key(tmp_path / "nothing.pem")
    junk = tmp_path / "junk.pem"
    junk.write_bytes(b"not a key")
    os.chmod(junk, 0o600)
    with pytest.raises(cp.KeyFileError, match="not a PEM"):
        cp.load_private_key(junk)


def test_sign_and_verify_round_trip(keydir) -> None:
    directory, public = keydir
    data = cp.sign_checkpoint(cp.load_private_key(directory), TILL, 3, ROOT, HEAD)
    assert set(data) == {"tree_size", "root", "head", "key_id", "signature"}
    assert data["key_id"] == cp.key_id(public) and len(data["key_id"]) == 16
    assert cp.verify_checkpoint(public, TILL, data)
    # survives a JSON round trip, as it does inside an audit entry
    assert cp.verify_checkpoint(public, TILL, json.loads(json.dumps(data)))


def test_statement_bytes_are_canonical() -> None:
    message = cp.statement_bytes(TILL, 3, ROOT, HEAD)
    assert message == (
        f'{{"head":"{HEAD}","root":"{ROOT}","till":"{TILL}","tree_size":3,"v":1}}'.encode()
    )


def test_verify_refuses_every_tampering(keydir) -> None:
    directory, public = keydir
    key = cp.load_private_key(directory)
    data = cp.sign_checkpoint(key, TILL, 3, ROOT, HEAD)
    other_public = cp.public_bytes(Ed25519PrivateKey.generate())
    assert not cp.verify_checkpoint(public, "S001-T02", data)
    assert not cp.verify_checkpoint(other_public, TILL, data)
    tampered = [
        {**data, "tree_size": 4},
        {**data, "tree_size": "3"},
        {**data, "tree_size": True},
        {**data, "root": "cd" * 32},
        {**data, "root": ROOT.upper()},
        {**data, "head": "00" * 32},
        {**data, "key_id": "0" * 16},
        {**data, "signature": "!!!"},
        {**data, "signature": base64.b64encode(b"x" * 63).decode()},
        {**data, "signature": None},
        {k: v for k, v in data.items() if k != "signature"},
        {k: v for k, v in data.items() if k != "tree_size"},
    ]
    sig = bytearray(base64.b64decode(data["signature"]))
    sig[10] ^= 1
    tampered.append({**data, "signature": base64.b64encode(bytes(sig)).decode()})
    for bad in tampered:
        assert not cp.verify_checkpoint(public, TILL, bad), bad
    for junk in (None, [], "data", 3):
        assert not cp.verify_checkpoint(public, TILL, junk)
    assert not cp.verify_checkpoint(b"short", TILL, data)


def test_sign_refuses_bad_fields(keydir) -> None:
    key = cp.load_private_key(keydir[0])
    bad = ((TILL, 0, ROOT, HEAD), (TILL, 3, "xyz", HEAD), ("", 3, ROOT, HEAD), (TILL, 3, ROOT, HEAD[:-1]))
    for args in bad:
        with pytest.raises(ValueError):
            cp.sign_checkpoint(key, *args)


def test_witness_countersignature(keydir) -> None:
    directory, public = keydir
    data = cp.sign_checkpoint(cp.load_private_key(directory), TILL, 3, ROOT, HEAD)
    hq = Ed25519PrivateKey.generate()
    hq_public = cp.public_bytes(hq)
    witness = cp.witness_sign(hq, TILL, data)
    assert cp.witness_verify(hq_public, TILL, data, witness)
    assert not cp.witness_verify(public, TILL, data, witness)
    assert not cp.witness_verify(hq_public, "S001-T02", data, witness)
    other = cp.sign_checkpoint(cp.load_private_key(directory), TILL, 3, "cd" * 32, HEAD)
    assert not cp.witness_verify(hq_public, TILL, other, witness)
    assert not cp.witness_verify(hq_public, TILL, {**data, "tree_size": 2}, witness)
    assert not cp.witness_verify(hq_public, TILL, {**data, "signature": "AAAA"}, witness)
    assert not cp.witness_verify(hq_public, TILL, data, {**witness, "witness_key_id": "0" * 16})
    assert not cp.witness_verify(hq_public, TILL, data, {**witness, "signature": data["signature"]})
    assert not cp.witness_verify(hq_public, TILL, data, None)
    assert not cp.witness_verify(hq_public, TILL, {"tree_size": 3}, witness)
