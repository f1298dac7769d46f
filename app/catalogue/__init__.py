"""The product catalogue: reading catalogue files (CSV, XLSX) for import. Barcode parsing is in kernel.barcodes."""
