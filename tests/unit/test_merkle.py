"""RFC 9162 Merkle tree: roots against a naive definition, proofs against forgery."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.audit import merkle
from app.audit.format_v1 import make_entry


def naive_mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1 written out literally."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(leaves[:k]) + naive_mth(leaves[k:])).digest()


def leaves_of(n: int) -> list[bytes]:
    return [f"leaf-{i}".encode() for i in range(n)]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.binary(max_size=12), min_size=0, max_size=64))
def test_root_matches_naive_definition(leaves: list[bytes]) -> None:
    assert merkle.root(leaves) == naive_mth(leaves)


def test_root_every_size_1_to_64() -> None:
    leaves = leaves_of(64)
    builder = merkle.RootBuilder()
    for n in range(1, 65):
        builder.append(leaves[n - 1])
        assert builder.root() == naive_mth(leaves[:n]) == merkle.root(leaves[:n])


def test_known_vector_from_rfc_test_data() -> None:
    # Empty tree and the one-leaf tree of the empty string, as in the CT test vectors.
    assert merkle.root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert merkle.root([b""]).hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"


def test_frontier_restores_builder() -> None:
    leaves = leaves_of(37)
    first = merkle.RootBuilder()
    first.extend(leaves[:21])
    resumed = merkle.RootBuilder(first.size, first.frontier())
    resumed.extend(leaves[21:])
    assert resumed.root() == naive_mth(leaves)
    with pytest.raises(ValueError):
        merkle.RootBuilder(5, first.frontier()[:1])


def test_leaves_are_canonical_audit_entries() -> None:
    prev, bodies = "0" * 64, []
    for seq in range(1, 6):
        _, body, prev = make_entry(
            till="S001-T01", seq=seq, ts="2026-01-01T10:00:00.000000Z", type_="user.login",
            actor="u1", data={"user_id": "u1"}, prev=prev,
        )
        bodies.append(body)
    assert merkle.root(bodies) == naive_mth(bodies)


@pytest.mark.parametrize("n", range(1, 34))
def test_inclusion_proofs_verify_for_every_leaf(n: int) -> None:
    leaves = leaves_of(n)
    top = merkle.root(leaves)
    for index in range(n):
        proof = merkle.inclusion_proof(index, leaves)
        assert merkle.verify_inclusion(index, n, leaves[index], proof, top)
        assert not merkle.verify_inclusion(index, n, b"forged", proof, top)
        if n > 1:
            assert not merkle.verify_inclusion((index + 1) % n, n, leaves[index], proof, top)
            assert not merkle.verify_inclusion(index, n, leaves[index], proof[:-1], top)
        assert not merkle.verify_inclusion(index, n, leaves[index], [*proof, top], top)


def test_inclusion_hostile_inputs_fail_safely() -> None:
    leaves = leaves_of(5)
    top = merkle.root(leaves)
    proof = merkle.inclusion_proof(2, leaves)
    for index, size in ((-1, 5), (5, 5), (2, 0), (True, 5), (2, -5)):
        assert not merkle.verify_inclusion(index, size, leaves[2], proof, top)
    assert not merkle.verify_inclusion(2, 5, leaves[2], [b"short"], top)
    assert not merkle.verify_inclusion(2, 5, leaves[2], "not a list", top)  # type: ignore[arg-type]
    assert not merkle.verify_inclusion(2, 5, leaves[2], proof, top[:31])
    assert not merkle.verify_inclusion(2, 5, "text", proof, top)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        merkle.inclusion_proof(5, leaves)


@pytest.mark.parametrize("n", range(1, 40))
def test_consistency_proofs_verify_for_every_prefix(n: int) -> None:
    leaves = leaves_of(n)
    root_n = merkle.root(leaves)
    for m in range(1, n + 1):
        root_m = merkle.root(leaves[:m])
        proof = merkle.consistency_proof(m, leaves)
        assert merkle.verify_consistency(m, n, root_m, root_n, proof), (m, n)


def _mutations(proof: list[bytes]) -> list[list[bytes]]:
    out = [proof[:-1], proof[1:], [*proof, proof[0]], [proof[0], *proof]]
    if len(proof) > 1:
        out.append([proof[1], proof[0], *proof[2:]])
        out.append(list(reversed(proof)))
    for i in range(len(proof)):
        flipped = bytearray(proof[i])
        flipped[0] ^= 1
        out.append([*proof[:i], bytes(flipped), *proof[i + 1 :]])
    return [p for p in out if p != proof]


@pytest.mark.parametrize("n", [2, 3, 4, 5, 7, 8, 9, 16, 17, 31])
def test_consistency_rejects_falsified_proofs(n: int) -> None:
    leaves = leaves_of(n)
    root_n = merkle.root(leaves)
    other = [b"rewritten", *leaves[1:]]  # a leaf inside every prefix
    for m in range(1, n):
        root_m = merkle.root(leaves[:m])
        proof = merkle.consistency_proof(m, leaves)
        for bad in _mutations(proof):
            assert not merkle.verify_consistency(m, n, root_m, root_n, bad), (m, n, bad)
        for wrong_m, wrong_n in ((m + 1, n), (m - 1, n), (m, n + 1), (m, n - 1), (0, n), (n, m)):
            # The proof alone does not always bind the sizes (the signed statement does), but a
            # proof of the wrong length for the claimed sizes must fail, and nothing may raise.
            verdict = merkle.verify_consistency(wrong_m, wrong_n, root_m, root_n, proof)
            if 0 < wrong_m < wrong_n:
                honest = merkle.consistency_proof(wrong_m, leaves_of(wrong_n))
                if len(honest) != len(proof):
                    assert not verdict, (wrong_m, wrong_n)
            else:
                assert not verdict
        # a history rewritten after the first checkpoint: proof from the rewritten tree
        forged_root = merkle.root(other)
        assert not merkle.verify_consistency(m, n, root_m, forged_root, proof)
        forged_proof = merkle.consistency_proof(m, other)
        assert not merkle.verify_consistency(m, n, root_m, forged_root, forged_proof)
        assert not merkle.verify_consistency(m, n, root_n, root_m, proof)


def test_rewritten_prefix_is_not_consistent() -> None:
    leaves = leaves_of(20)
    tampered = list(leaves)
    tampered[3] = b"changed after the checkpoint"
    for m in range(4, 20):
        root_m = merkle.root(leaves[:m])
        proof = merkle.consistency_proof(m, tampered)
        assert not merkle.verify_consistency(m, 20, root_m, merkle.root(tampered), proof)


def test_consistency_edge_sizes_fail_safely() -> None:
    leaves = leaves_of(8)
    r8, r4 = merkle.root(leaves), merkle.root(leaves[:4])
    assert merkle.verify_consistency(8, 8, r8, r8, [])
    assert not merkle.verify_consistency(8, 8, r8, r8, [r8])
    assert not merkle.verify_consistency(8, 8, r8, r4, [])
    assert not merkle.verify_consistency(0, 8, merkle.EMPTY_ROOT, r8, [])
    assert not merkle.verify_consistency(0, 8, merkle.EMPTY_ROOT, r8, [r8])
    assert not merkle.verify_consistency(8, 4, r8, r4, merkle.consistency_proof(4, leaves))
    assert not merkle.verify_consistency(4, 8, r4, r8, [])
    assert not merkle.verify_consistency(-4, 8, r4, r8, merkle.consistency_proof(4, leaves))
    assert not merkle.verify_consistency(True, 8, r4, r8, merkle.consistency_proof(1, leaves))
    assert not merkle.verify_consistency(4, 8, r4, r8, [b"x" * 31])
    assert not merkle.verify_consistency(4, 8, r4, r8, None)  # type: ignore[arg-type]
    assert not merkle.verify_consistency(4, 8, "r4", r8, [])  # type: ignore[arg-type]
    for m in (0, 9):
        with pytest.raises(ValueError):
            merkle.consistency_proof(m, leaves)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 64).flatmap(lambda n: st.tuples(st.just(n), st.integers(1, n))))
def test_consistency_property(sizes: tuple[int, int]) -> None:
    n, m = sizes
    leaves = leaves_of(n)
    proof = merkle.consistency_proof(m, leaves)
    assert merkle.verify_consistency(m, n, naive_mth(leaves[:m]), naive_mth(leaves), proof)
    if m < n:
        assert not merkle.verify_consistency(m, n, naive_mth(leaves_of(m + 1)[1:]), naive_mth(leaves), proof)


def test_two_hundred_thousand_leaves_streamed() -> None:
    builder = merkle.RootBuilder()
    for i in range(200_000):
        builder.append_hash(hashlib.sha256(i.to_bytes(4, "big")).digest())
    assert builder.size == 200_000
    assert len(builder.frontier()) == bin(200_000).count("1")
