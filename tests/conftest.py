"""Shared fixtures: every test gets real files under tmp_path."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TILLSTONE_THREAD_CHECKS", "1")  # a window under test refuses SQL on its GUI thread
