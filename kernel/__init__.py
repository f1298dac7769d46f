"""The bottom layer: what every other layer needs and nothing of theirs (money, quantities, time,
ids, errors a cashier reads, barcode parsing, and the plain records the repositories hand back).
Imports only the standard library."""
