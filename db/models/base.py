"""Declarative base shared by every till table."""

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table(model: type[Base]) -> Table:
    """A mapped class's Core table: the repositories write Core statements on the hot path, and
    `__table__` is typed as any FromClause (a mapped class may map a join); ours map one table."""
    mapped = model.__table__
    if not isinstance(mapped, Table):
        raise TypeError(f"{model.__name__} is not mapped to a single table")
    return mapped
