"""Names used where `vulture app db devices ui kernel` cannot see it (tests/test_structure.py).

Only two kinds belong here: what a framework or library calls or reads by name, and public API
whose only callers live outside the scanned folders (tests, bench). Code nothing uses is deleted,
not listed. Entries are real references where they can be, so importing this module (the test
does) fails once one of them is gone; `BY_NAME` stands for what cannot be reached from outside
(nested functions, attributes of a library's objects).
"""

from app.audit import coverage, merkle
from app.domain import refunds_math
from app.hq import console
from app.usecases import checkout, shifts
from db import bulk, thread_check
from db.central import pull_repo, report_repo
from db.models import central
from db.models.base import Base
from db.models.catalogue import Product, StockReservation
from db.models.receipt_numbers import ReceiptCounter
from db.models.z_reports import ZReport
from devices import scale
from devices.fakes.network_printer import FakeNetworkPrinter
from devices.fakes.pty_device import PtyDevice
from devices.scanner import SerialScanner, WedgeParser
from kernel import barcodes
from ui.scanner import WedgeScanner
from ui.screens.catalogue_panel import PickList
from ui.widgets import FitLabel, TouchButton


class _ByName:
    def __getattr__(self, _name: str) -> None:
        return None


BY_NAME = _ByName()

# -- frameworks and libraries ----------------------------------------------------------------
BY_NAME._on_connect  # SQLAlchemy event listeners, registered by decorator in db.engine.make_engine
BY_NAME._on_begin
BY_NAME._on_error
BY_NAME.isolation_level  # sqlite3 reads it: None leaves BEGIN to the engine
BY_NAME.itersize  # psycopg reads it: rows per fetch of a server-side cursor (db.central.import_repo)
BY_NAME.exc_type  # the context-manager protocol's __exit__ parameters (db.uow.UnitOfWork)
BY_NAME.tb
BY_NAME.freeze_panes  # openpyxl reads these when it writes a sheet (app/exports/xlsx_writer.py)
BY_NAME.number_format
BY_NAME.alignment
BY_NAME.draw  # reportlab calls a flowable's draw (app/exports/pdf_writer.py)
Base.metadata  # SQLAlchemy declarative reads it: the constraint naming convention
WedgeScanner.eventFilter  # Qt calls it: an application event filter
TouchButton.minimumSizeHint  # Qt's layouts call it: a touch key may shrink to its words
FitLabel.minimumSizeHint
# Tables and columns that only raw SQL, migrations and the schema tests touch; the models keep
# Base.metadata (and so the migration checks) complete.
central.StockMovementEntry
central.StockCentral
central.StockCentral.pulled_at
central.CheckpointWitness
central.PriceSchedule
central.CheckpointWitness.stored_at
ReceiptCounter.last_no
StockReservation.released_at
Product.reorder_level_milli
ZReport.created_by

# -- public API called from tests or bench only ------------------------------------------------
# RFC 9162 proofs over raw leaves: the RFC's own interface, checked against its test vectors; the
# till and head office use the *_from_hashes forms.
merkle.inclusion_proof
merkle.consistency_proof
merkle.verify_inclusion
refunds_math.sum_lines  # the earlier refunds refund_amounts takes; the property tests rely on it
# Till use cases the tests exercise and docs/reports.md documents; no screen offers them yet.
checkout.remove_payment
shifts.float_top_up
shifts.cash_drop
shifts.opening_float_warning
# Head office's writes of a stock figure or a balance with its counted marks (docs/central.md),
# and the sums it makes a figure from; the tests play head office with them.
pull_repo.set_stock_level
pull_repo.set_customer_balance
report_repo.stock_reconciliation
bulk.load_products  # bench/catalogue.py loads a large catalogue with it
# Device drivers the tests drive over real byte streams (docs/devices.md); the GUI has its own
# Qt wedge filter and reads the scale through devices.till_devices.
scale.take_weight
WedgeParser.feed
WedgeParser.take_passthrough
SerialScanner.read_scan
barcodes.embedded_code  # builds in-store EAN-13 labels; the inverse of parse_scan
# Test doubles: what the tests switch and wait on.
FakeNetworkPrinter.power_off
FakeNetworkPrinter.power_on
FakeNetworkPrinter.wait_for
BY_NAME.connections  # FakeNetworkPrinter counts accepted connections
PtyDevice.wait_for
PickList.pick  # the tests' tap on a row of the pick list
BY_NAME.pending_count  # devices.spool.PrintSpool: jobs not yet confirmed printed
coverage.DERIVED  # the declared columns no entry pins, read by the schema-walk tamper test
thread_check.violations  # what the suite's thread check caught, read after every GUI test
console.Page.pages  # read by the console templates (web/templates/pager.html)
