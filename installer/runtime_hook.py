"""Point python-escpos at the capabilities file bundled inside the frozen app."""

import os
import sys

if getattr(sys, "frozen", False):
    os.environ.setdefault("ESCPOS_CAPABILITIES_FILE", os.path.join(sys._MEIPASS, "escpos", "capabilities.json"))
