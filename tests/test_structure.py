"""The shape of the code base is checked, not hoped for: nothing in it that nothing uses, the
import contracts in pyproject.toml (layers, who may import Qt and SQLAlchemy), and the type
checker, strict below the GUI. All run as part of the suite, so `pytest` alone is the whole check."""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("app", "db", "devices", "ui", "kernel", "web")


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_no_dead_code() -> None:
    """vulture at its default 60 % confidence; what it cannot see used is in vulture_whitelist.py."""
    result = _run(sys.executable, "-m", "vulture", *SCANNED, "vulture_whitelist.py", "--min-confidence", "60")
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_the_whitelist_names_only_what_exists() -> None:
    """Its entries are real references: one left behind by a deletion fails here."""
    sys.modules.pop("vulture_whitelist", None)
    importlib.import_module("vulture_whitelist")


def test_import_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports")
    assert lint, "import-linter is not installed: pip install -e '.[test]'"
    result = _run(lint, "--no-cache")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.parametrize(("strict", "packages"), [(True, ("kernel", "app", "db", "devices", "web")), (False, ("ui",))],
                         ids=["strict-core", "ui"])
def test_types_check(strict: bool, packages: tuple[str, ...]) -> None:
    args = [sys.executable, "-m", "mypy", "--no-incremental", *(["--strict"] if strict else []), *packages]
    result = _run(*args)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
