"""Head office's countersignatures of this till's checkpoints, as pulled (and verified) by the sync
worker and read back by `audit verify`."""

from __future__ import annotations

from sqlalchemy import Connection

from kernel.records import Witnessed

COLUMNS = ("tree_size", "entry_seq", "root", "head", "till_key_id", "till_signature", "witness_key_id",
           "witness_signature", "witness_public_key", "accepted_at")


class WitnessRepo:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def latest_tree_size(self) -> int:
        """The largest witnessed tree: the pull asks only for checkpoints above it."""
        return int(self.conn.exec_driver_sql("SELECT coalesce(max(tree_size), 0) FROM checkpoint_witnesses")
                   .scalar_one())

    def add(self, witnessed: Witnessed, now: str) -> bool:
        """Keep a verified countersignature; one already held for that tree size stays as it is
        (False)."""
        return self.conn.exec_driver_sql(
            f"INSERT OR IGNORE INTO checkpoint_witnesses ({', '.join(COLUMNS)}, stored_at) "
            f"VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
            (witnessed.tree_size, witnessed.entry_seq, witnessed.root, witnessed.head, witnessed.till_key_id,
             witnessed.till_signature, witnessed.witness_key_id, witnessed.witness_signature,
             witnessed.witness_public_key.hex(), witnessed.accepted_at, now),
        ).rowcount == 1

    def all(self) -> list[Witnessed]:
        rows = self.conn.exec_driver_sql(
            f"SELECT {', '.join(COLUMNS)} FROM checkpoint_witnesses ORDER BY tree_size"
        ).fetchall()
        out = []
        for r in rows:
            try:
                key = bytes.fromhex(r[8])
            except ValueError:
                key = b""  # a damaged row: its signature check fails and says so
            out.append(Witnessed(int(r[0]), int(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], key, r[9]))
        return out
