"""RFC 9162 (Certificate Transparency v2) Merkle tree over audit entries.

A plain hash chain cannot prove that a later history *extends* an earlier one without
replaying everything; a Merkle tree can, with O(log n) consistency proofs. Leaves are the
canonical bytes of audit entries 1..n. The hashing, the split (largest power of two smaller
than n) and both verification algorithms follow RFC 9162 §2.1 exactly, so any CT library can
check our checkpoints.

Every verifier here returns False on any malformed input (wrong sizes, wrong lengths, bad
types) and never raises: a verifier that can be talked into accepting, or crashed by, a forged
proof is worse than none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

HASH_LEN = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(leaf: bytes) -> bytes:
    """SHA-256(0x00 ‖ leaf): the prefix keeps a leaf from ever passing for an inner node."""
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """Largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class RootBuilder:
    """Streaming tree head: append leaves one by one, read the root at any size.

    Keeps only the roots of the perfect subtrees along the right edge (at most log2 n
    hashes), so 200,000 leaves cost 200,000 leaf hashes plus ~200,000 node hashes and no
    list of leaves. The frontier can be saved and restored to continue later.
    """

    __slots__ = ("_stack", "size")

    def __init__(self, size: int = 0, frontier: Sequence[bytes] = ()) -> None:
        if size < 0 or len(frontier) != bin(size).count("1"):
            raise ValueError("frontier does not match size")
        self.size = size
        heights = [bit for bit in range(size.bit_length() - 1, -1, -1) if size >> bit & 1]
        self._stack: list[tuple[int, bytes]] = list(zip(heights, frontier, strict=True))

    def append(self, leaf: bytes) -> None:
        """Add one leaf (raw bytes, hashed here)."""
        self.append_hash(leaf_hash(leaf))

    def append_hash(self, digest: bytes) -> None:
        """Add one leaf whose leaf hash is already known."""
        height, node = 0, digest
        stack = self._stack
        while stack and stack[-1][0] == height:
            node = node_hash(stack.pop()[1], node)
            height += 1
        stack.append((height, node))
        self.size += 1

    def extend(self, leaves: Iterable[bytes]) -> None:
        for leaf in leaves:
            self.append_hash(leaf_hash(leaf))

    def frontier(self) -> list[bytes]:
        """Roots of the perfect subtrees, largest first (what a restart needs)."""
        return [node for _, node in self._stack]

    def root(self) -> bytes:
        """MTH of the leaves so far: fold the right-edge subtrees from the right."""
        if not self._stack:
            return EMPTY_ROOT
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = node_hash(left, node)
        return node


def _range_root(hashes: Sequence[bytes], lo: int, hi: int) -> bytes:
    builder = RootBuilder()
    for index in range(lo, hi):
        builder.append_hash(hashes[index])
    return builder.root()


def root(leaves: Iterable[bytes]) -> bytes:
    """MTH(D[n]) of raw leaves; the empty tree's root is SHA-256 of nothing."""
    builder = RootBuilder()
    builder.extend(leaves)
    return builder.root()


def inclusion_proof_from_hashes(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1, from leaf hashes."""
    n = len(hashes)
    if not 0 <= index < n:
        raise ValueError(f"leaf index {index} outside a tree of {n}")
    path: list[bytes] = []
    lo, hi, m = 0, n, index
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            path.append(_range_root(hashes, lo + k, hi))
            hi = lo + k
        else:
            path.append(_range_root(hashes, lo, lo + k))
            lo, m = lo + k, m - k
    path.reverse()  # PATH lists the sibling nearest the leaf first
    return path


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Audit path for leaf `index` (0-based) in the tree of all `leaves`."""
    return inclusion_proof_from_hashes(index, [leaf_hash(leaf) for leaf in leaves])


def consistency_proof_from_hashes(m: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 §2.1.4.1, for 0 < m <= n."""
    n = len(hashes)
    if not 0 < m <= n:
        raise ValueError(f"no consistency proof from size {m} to size {n}")
    proof: list[bytes] = []
    lo, hi, start = 0, n, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            proof.append(_range_root(hashes, lo + k, hi))
            hi = lo + k
        else:
            proof.append(_range_root(hashes, lo, lo + k))
            lo, m, start = lo + k, m - k, False
    if not start:
        proof.append(_range_root(hashes, lo, hi))
    proof.reverse()
    return proof


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Proof that the first m leaves' tree is a prefix of the tree of all `leaves`."""
    return consistency_proof_from_hashes(m, [leaf_hash(leaf) for leaf in leaves])


def _is_size(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes | bytearray) and len(value) == HASH_LEN


def _hashes_ok(proof: object) -> bool:
    return isinstance(proof, list | tuple) and all(_is_hash(item) for item in proof)


def verify_inclusion(
    index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2 for a raw leaf; False on anything malformed."""
    if not isinstance(leaf, bytes | bytearray):
        return False
    return verify_inclusion_hash(index, tree_size, leaf_hash(bytes(leaf)), proof, root_hash)


def verify_inclusion_hash(
    index: int, tree_size: int, digest: bytes, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2 given the leaf hash."""
    if not (_is_size(index) and _is_size(tree_size) and 0 <= index < tree_size):
        return False
    if not (_is_hash(digest) and _is_hash(root_hash) and _hashes_ok(proof)):
        return False
    fn, sn, r = index, tree_size - 1, bytes(digest)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(bytes(p), r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, bytes(p))
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == bytes(root_hash)


def verify_consistency(m: int, n: int, root_m: bytes, root_n: bytes, proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: does the tree of size n extend the tree of size m?

    m == n holds only with an empty proof and equal roots. m == 0 is refused: the RFC defines
    proofs for 0 < m only, and "everything extends nothing" proves nothing. m > n is refused.
    """
    if not (_is_size(m) and _is_size(n) and _is_hash(root_m) and _is_hash(root_n) and _hashes_ok(proof)):
        return False
    if not 0 < m <= n:
        return False
    root_m, root_n = bytes(root_m), bytes(root_n)
    if m == n:
        return len(proof) == 0 and root_m == root_n
    if len(proof) == 0:
        return False
    path = [bytes(item) for item in proof]
    if m & (m - 1) == 0:  # m is an exact power of two: its root is a node of the larger tree
        path.insert(0, root_m)
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == root_m and sr == root_n and sn == 0
