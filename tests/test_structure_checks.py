"""The structure is checked, not hoped for: the import contracts in pyproject.toml (layers, who may
import Qt and SQLAlchemy) and the type checker, strict below the GUI. Both run as part of the suite
so that `pytest` alone is the whole check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_import_contracts_are_kept() -> None:
    lint = shutil.which("lint-imports")
    assert lint, "import-linter is not installed: pip install -e '.[test]'"
    result = _run(lint, "--no-cache")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


@pytest.mark.parametrize(("strict", "packages"), [(True, ("kernel", "app", "db", "devices")), (False, ("ui",))],
                         ids=["strict-core", "ui"])
def test_types_check(strict: bool, packages: tuple[str, ...]) -> None:
    args = [sys.executable, "-m", "mypy", "--no-incremental", *(["--strict"] if strict else []), *packages]
    result = _run(*args)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
