"""Run the benchmarks and print every figure and ratio (medians of repeated runs).

    python benchmarks/run.py                 # every benchmark at full size
    python benchmarks/run.py --quick         # small sizes (a minute or two)
    python benchmarks/run.py --only refresh  # one benchmark: refresh, realdata, import, libreoffice, write

Measurements that need their own process (peak memory per size) re-run this script
with ``--child``.  Generated rep files are cached in --cache (default: the system's
temporary folder).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import (  # noqa: E402
    bench_dedupe,
    bench_import,
    bench_libreoffice,
    bench_realdata,
    bench_refresh,
    bench_write,
)
from benchmarks.common import machine, table  # noqa: E402

BENCHMARKS = {
    "refresh": bench_refresh,
    "realdata": bench_realdata,
    "import": bench_import,
    "libreoffice": bench_libreoffice,
    "write": bench_write,
    "dedupe": bench_dedupe,
}
TITLES = {
    "refresh": "1. Core refresh (synthetic, 1,000 reps, 24 months, ~3% returns)",
    "realdata": "2. Real data: Online Retail, RFM + segments + ABC",
    "import": "3. Consolidation of filled rep templates",
    "libreoffice": "4. 100k tiered commissions: LibreOffice formulas vs the core",
    "write": "5. Writing the master with 100k order rows",
    "dedupe": "6. Duplicate customers proposed among 10,000",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes")
    parser.add_argument(
        "--only", choices=list(BENCHMARKS), action="append", help="run only this benchmark (repeatable)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the median is quoted (default 3)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "sales_tools_bench")
    parser.add_argument("--out", type=Path, help="also write the results as Markdown to this file")
    parser.add_argument("--child", choices=list(BENCHMARKS), help=argparse.SUPPRESS)
    parser.add_argument("--args", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        BENCHMARKS[args.child].child_main(json.loads(args.args))
        return 0
    report = ["## Machine", table([{"what": k, "value": v} for k, v in machine().items()])]
    for name in args.only or list(BENCHMARKS):
        print(f"\n== {TITLES[name]}", flush=True)
        rows = BENCHMARKS[name].run(quick=args.quick, repeat=args.repeat, cache=args.cache)
        report += [f"## {TITLES[name]}", table(rows)]
    text = "\n\n".join(report) + "\n"
    print("\n" + text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
