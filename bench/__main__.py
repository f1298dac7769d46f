"""`python -m bench [--quick]`: one JSON object per metric, each with its same-run baseline."""

from __future__ import annotations

import argparse
import importlib
import json
import sys

SUITES = ("bench.core_bench", "bench.sync_bench", "bench.import_bench", "bench.ui_bench", "bench.export_bench",
          "bench.promotions_bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller data, for a smoke run")
    parser.add_argument("--only", choices=[s.split(".")[1] for s in SUITES])
    args = parser.parse_args(argv)
    for name in SUITES:
        if args.only and not name.endswith(args.only):
            continue
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            print(json.dumps({"suite": name, "skipped": str(exc)}), flush=True)
            continue
        for result in module.run(quick=args.quick):
            print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
