"""The product catalogue: barcodes as the till reads them, and catalogue file import."""

from app.catalogue.barcodes import (
    DEFAULT_RULES,
    BarcodeError,
    EmbeddedRule,
    Scan,
    gtin_check_digit,
    is_valid_gtin,
    normalise,
    parse_scan,
)
from app.catalogue.importer import ImportResult, ProductRow, RowError, parse_catalogue, write_template_csv

__all__ = [
    "DEFAULT_RULES", "BarcodeError", "EmbeddedRule", "ImportResult", "ProductRow", "RowError", "Scan",
    "gtin_check_digit", "is_valid_gtin", "normalise", "parse_catalogue", "parse_scan", "write_template_csv",
]
