"""A standalone till's promotions and price lists, imported from a file: every row checked
first, then all of them written with one `promotions.imported` entry, or nothing at all."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from app.catalogue.importer import RowError
from app.catalogue.promotions_file import parse_promotions
from app.context import TillContext
from app.domain.promotion_codec import to_rule
from db.promotions_repo import StoredPromotion
from kernel.errors import InvalidInput

MAX_SHOWN = 10


class PromotionsRefused(InvalidInput):
    """A file with bad rows: nothing of it was imported. `errors` holds every bad row."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:MAX_SHOWN])
        more = f" (and {len(errors) - MAX_SHOWN} more)" if len(errors) > MAX_SHOWN else ""
        super().__init__(f"The promotions file was refused and nothing was imported: {shown}{more}")


@dataclass(frozen=True)
class PromotionsImported:
    count: int
    ids: tuple[int, ...]
    audit_seq: int


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def import_promotions(ctx: TillContext, path: Path, user_id: str | None = None) -> PromotionsImported:
    """Write every promotion of the file (by id: a row with a known id replaces it), or none."""
    parsed = parse_promotions(Path(path), exponent=ctx.settings.exponent)
    if parsed.errors:
        raise PromotionsRefused(parsed.errors)
    rows = [StoredPromotion(r.promotion.id, r.promotion.name, r.promotion.kind, to_rule(r.promotion), "file", 0,
                            r.active) for r in parsed.rows]
    ids = tuple(sorted(r.id for r in rows))
    with ctx.uow() as uow:
        uow.promotions.upsert(rows)
        seq = uow.audit.append(ts=ctx.now_iso(), type_="promotions.imported", actor=user_id, data={
            "count": len(rows), "ids": list(ids), "active": sum(1 for r in rows if r.active),
            "file_sha256": file_sha256(Path(path)),
        })
        uow.commit()
    return PromotionsImported(len(rows), ids, seq)
