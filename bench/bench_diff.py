"""Time `sdkgen diff` on the two full versions in tests/data/versions (4.2.0 -> HEAD).

    python bench/bench_diff.py [--repeat N] [--jobs J] [--check]

Prints the time to diff IR file vs IR file (load both + compare; target < 2 s)
and pages vs pages (scrape both folders + compare). `--check` exits 1 when the
IR-vs-IR time misses its target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.diff import DiffReport, diff_irs, diff_paths  # noqa: E402
from generator.ir import dump_ir, load_ir  # noqa: E402
from generator.scrape import scrape_paths  # noqa: E402

VERSIONS = ROOT / "tests" / "data" / "versions"
IR_TARGET_SECONDS = 2.0


def timed(run: Callable[[], DiffReport], repeat: int) -> tuple[list[float], DiffReport]:
    times: list[float] = []
    report = run()  # warm-up: imports, caches
    for _ in range(repeat):
        start = time.perf_counter()
        report = run()
        times.append(time.perf_counter() - start)
    return times, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=0, help="scrape workers (0 = one per core)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if IR vs IR takes {IR_TARGET_SECONDS} s or more")
    args = parser.parse_args()

    old_pages, new_pages = VERSIONS / "OLD" / "text", VERSIONS / "NEW" / "text"

    def pages_vs_pages() -> DiffReport:
        return diff_paths(old_pages, new_pages, jobs=args.jobs)

    with tempfile.TemporaryDirectory(prefix="bench-diff-") as tmp:
        old_ir, new_ir = Path(tmp) / "old.json", Path(tmp) / "new.json"
        old_ir.write_text(dump_ir(scrape_paths([old_pages], jobs=args.jobs).ir), encoding="utf-8")
        new_ir.write_text(dump_ir(scrape_paths([new_pages], jobs=args.jobs).ir), encoding="utf-8")

        def ir_vs_ir() -> DiffReport:
            return diff_paths(old_ir, new_ir)

        compare_only_old, compare_only_new = load_ir(old_ir), load_ir(new_ir)
        ir_times, report = timed(ir_vs_ir, args.repeat)
        compare_times, _ = timed(lambda: diff_irs(compare_only_old, compare_only_new), args.repeat)
    page_times, _ = timed(pages_vs_pages, max(1, args.repeat // 2))

    summary = report.summary()
    print(
        f"versions: {summary['operations_old']} -> {summary['operations_new']} operations, "
        f"{summary['changes']} changes ({summary['breaking']} breaking)"
    )
    ir_median = statistics.median(ir_times)
    verdict = "ok" if ir_median < IR_TARGET_SECONDS else "OVER TARGET"
    print(
        f"IR vs IR (load + compare): median {ir_median:.3f} s, best {min(ir_times):.3f} s "
        f"[target < {IR_TARGET_SECONDS:.0f} s: {verdict}]"
    )
    print(f"  compare only:            median {statistics.median(compare_times):.3f} s")
    print(
        f"pages vs pages (scrape + compare): median {statistics.median(page_times):.3f} s, best {min(page_times):.3f} s"
    )
    return 1 if args.check and ir_median >= IR_TARGET_SECONDS else 0


if __name__ == "__main__":
    sys.exit(main())
