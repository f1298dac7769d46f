"""All till tables; importing this package registers every model module on Base.metadata."""

import importlib
import pkgutil

from db.models.base import Base

for _info in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["Base"]
