"""Pages per second for each page form over the DEV corpus, and where the time goes.

    python bench/bench_scrape.py [--repeat 3] [--jobs 1]

Prints, per form (bulleted text, flat text, HTML): pages, median seconds, pages/s, and for HTML
the split between building the tree (lxml; and bs4+lxml for comparison) and the page grammar.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.scrape import scrape_files  # noqa: E402
from generator.scrape.html import decode_html, html_page  # noqa: E402

FORMS = {
    "bulleted": ROOT / "tests" / "data" / "corpus" / "text",
    "flat": ROOT / "tests" / "data" / "corpus" / "flat",
    "html": ROOT / "input_docs" / "pages",
}


def _median_seconds(action: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (1 = in process)")
    args = parser.parse_args()
    print(f"{'form':<10}{'pages':>7}{'seconds':>10}{'pages/s':>10}")
    for form, folder in FORMS.items():
        files = sorted(folder.glob("*.*"))
        seconds = _median_seconds(lambda files=files: scrape_files(files, jobs=args.jobs), args.repeat)
        print(f"{form:<10}{len(files):>7}{seconds:>10.2f}{len(files) / seconds:>10.0f}")
    html = [p.read_bytes() for p in sorted(FORMS["html"].glob("*.html"))]
    import lxml.html
    from bs4 import BeautifulSoup

    lxml_s = _median_seconds(lambda: [lxml.html.document_fromstring(d) for d in html], args.repeat)
    bs4_s = _median_seconds(lambda: [BeautifulSoup(d, "lxml") for d in html], 1)
    walk_s = _median_seconds(lambda: [html_page("p.html", decode_html(d)) for d in html], args.repeat)
    n = len(html)
    print(
        f"\nHTML tree per page: lxml {lxml_s / n * 1000:.2f} ms, bs4+lxml {bs4_s / n * 1000:.2f} ms;"
        f" lxml tree + structural walk to lines {walk_s / n * 1000:.2f} ms"
    )


if __name__ == "__main__":
    main()
