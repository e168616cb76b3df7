"""`python -m fuzz --cases 10000 --seed N`: mutation fuzzing of the scraper over the corpus pages.

Exit 0 when every case kept the scraper's promises (fuzz/runner.py), 1 when one did not (each
such case is listed with the command that replays it), 2 for usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fuzz.runner import CaseResult, load_renderer, run_case

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = (ROOT / "tests/data/corpus/text", ROOT / "tests/data/corpus/flat", ROOT / "input_docs/pages")
PAGE_SUFFIXES = (".txt", ".html", ".htm")


def corpus_pages(folders: Sequence[Path]) -> list[Path]:
    pages = sorted(p for folder in folders for p in folder.rglob("*") if p.suffix.lower() in PAGE_SUFFIXES)
    if not pages:
        raise SystemExit(f"fuzz: no pages (.txt/.html) under {', '.join(map(str, folders))}")
    return pages


def _limit_memory(megabytes: int) -> None:
    """Bound each worker's address space: a runaway page then fails with MemoryError, a finding."""
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


Work = tuple[int, list[int], list[Path], int, tuple[float, float], int]


def _run_chunk(args: Work) -> tuple[list[CaseResult], int]:
    seed, indices, bases, render_every, (time_limit, render_time_limit), memory_mb = args
    if memory_mb:
        _limit_memory(memory_mb)
    renderer = load_renderer() if render_every else None
    results = []
    with tempfile.TemporaryDirectory(prefix="sdkgen-fuzz-") as tmp:
        for index in indices:
            use = renderer if renderer and index % render_every == 0 else None
            results.append(
                run_case(
                    seed,
                    index,
                    bases,
                    Path(tmp),
                    renderer=use,
                    time_limit=time_limit,
                    render_time_limit=render_time_limit,
                )
            )
    try:
        import resource

        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except ImportError:
        peak_kib = 0
    return results, peak_kib


def run(
    seed: int,
    indices: Sequence[int],
    bases: list[Path],
    *,
    jobs: int,
    render_every: int,
    time_limit: float,
    memory_mb: int,
    progress: bool,
    render_time_limit: float = 60.0,
) -> tuple[list[CaseResult], int]:
    chunk = 50
    chunks = [list(indices[i : i + chunk]) for i in range(0, len(indices), chunk)]
    limits = (time_limit, render_time_limit)
    work: list[Work] = [(seed, c, bases, render_every, limits, memory_mb) for c in chunks]
    results: list[CaseResult] = []
    peak = 0
    for batch, batch_peak in _execute(work, jobs):
        results += batch
        peak = max(peak, batch_peak)
        if progress and len(results) % 1000 < chunk:
            failures = sum(r.outcome == "failure" for r in results)
            print(f"fuzz: {len(results)}/{len(indices)} cases, {failures} failures", file=sys.stderr, flush=True)
    return sorted(results, key=lambda r: r.index), peak


def _execute(work: list[Work], jobs: int) -> Iterator[tuple[list[CaseResult], int]]:
    if jobs <= 1:
        yield from map(_run_chunk, work)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_run_chunk, work)


def report(results: list[CaseResult], seconds: float, peak_kib: int, seed: int, render_note: str | None) -> str:
    """The summary; `render_note` says why no SDK was rendered (None when the check ran)."""
    outcomes = Counter(r.outcome for r in results)
    mutations = Counter(m for r in results for m in r.mutations)
    rendered = sum(r.rendered for r in results)
    lines = [
        f"fuzz: {len(results)} cases (seed {seed}) in {seconds:.1f} s ({len(results) / max(seconds, 1e-9):.0f}/s): "
        f"{outcomes['parsed']} parsed, {outcomes['refused']} refused with FILE:LINE: message, "
        f"{outcomes['failure']} failures",
        f"fuzz: slowest case {max((r.seconds for r in results), default=0):.2f} s, peak worker memory "
        f"{peak_kib / 1024:.0f} MiB, " + (render_note or f"{rendered} SDKs rendered and compiled"),
        "fuzz: mutations " + ", ".join(f"{name} {count}" for name, count in sorted(mutations.items())),
    ]
    for r in results:
        if r.outcome == "failure":
            problem = r.problem or ""
            shown = problem if len(problem) <= 2000 else problem[:2000] + f"... ({len(problem)} characters)"
            lines.append(f"FAILURE case {r.index} ({'+'.join(r.mutations)} on {r.base}): {shown}")
            lines.append(f"  replay: python -m fuzz --seed {seed} --case {r.index}")
    return "\n".join(lines) + "\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="number of cases (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="seed: the same seed gives the same cases")
    parser.add_argument("--case", type=int, action="append", help="run only this case index (repeatable)")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, help="worker processes")
    parser.add_argument("--render-every", type=int, default=10, help="render the SDK for every Nth case (0: never)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds to scrape and lint one case")
    parser.add_argument("--render-time-limit", type=float, default=60.0, help="seconds to render one case's SDK")
    parser.add_argument("--memory-limit", type=int, default=2048, help="MiB per worker (0: no limit)")
    parser.add_argument("--corpus", type=Path, action="append", help="folder of pages (default: the corpus)")
    parser.add_argument("--keep", type=Path, help="write the input of each failing case into this folder")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress lines")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.cases < 1 or args.jobs < 1 or args.render_every < 0 or args.time_limit <= 0:
        _parser().error("--cases and --jobs must be positive, --render-every >= 0, --time-limit > 0")
    bases = corpus_pages(args.corpus or DEFAULT_CORPUS)
    indices = args.case or list(range(args.cases))
    started = time.perf_counter()
    results, peak = run(
        args.seed,
        indices,
        bases,
        jobs=min(args.jobs, max(1, len(indices) // 50)),
        render_every=args.render_every,
        time_limit=args.time_limit,
        render_time_limit=args.render_time_limit,
        memory_mb=args.memory_limit,
        progress=not args.quiet,
    )
    elapsed = time.perf_counter() - started
    if args.render_every == 0:
        render_note: str | None = "render check off (--render-every 0)"
    elif load_renderer() is None:
        render_note = "render check skipped: generator.render is not available"
    else:
        render_note = None
    sys.stdout.write(report(results, elapsed, peak, args.seed, render_note))
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for r in results:
            if r.outcome == "failure":
                (args.keep / f"case-{args.seed}-{r.index}{Path(r.base).suffix}").write_bytes(r.data)
    return 1 if any(r.outcome == "failure" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
