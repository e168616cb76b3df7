"""The same pages in five markups of our own (tests/scrape/markups) give the IR of the explorer HTML and of
the bulleted text, on a sample covering every quirk of the corpus (issue 11, part 1)."""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from generator.ir.model import Diagnostic, Endpoint
from generator.scrape import scrape_page_file
from tests.conftest import CORPUS, ROOT
from tests.scrape.markups import CONVERTERS, strip_field_lists
from tests.scrape.markups.explorer import Code, Fields, Heading, Text, read_explorer, walk

HTML_DIR = ROOT / "input_docs" / "pages"
NAMES = sorted((CORPUS / "dev-apis.txt").read_text().split())


@cache
def truth(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / "truth" / f"{name}.json").read_text(encoding="utf-8"))


def _depth(nodes: list[dict[str, Any]]) -> int:
    return 1 + max((_depth(n.get("children", [])) for n in nodes), default=0) if nodes else 0


def features(name: str) -> set[str]:
    t = truth(name)
    out = {f"quirk:{q}" for q in t["quirks"]}
    out |= {f"lang:{t['rendering']['lang']}", f"method:{t['method']}", f"block:{t['rendering']['response_block']}"}
    out |= {f"async:{t['async']}", f"auth:{t['auth']}", f"query-api:{t['is_query']}", f"crumbs:{len(t['breadcrumb'])}"}
    out |= {f"loc:{p['location']}" for p in t["params"]}
    out.add(f"wrapper:{t['body_wrapper'] is not None}")
    out.add(f"since:{t['since'] is not None}")
    depth = _depth(t["response"].get("fields") or [])
    out |= {f"depth>={d}" for d in (4, 5) if depth >= d}
    if any(p.get("valid_values") and not p["description"] for p in t["params"]):
        out.add("valid-values-paragraph")
    return out


def sample() -> list[str]:
    """Greedy smallest cover of every feature (ties by name), plus the seed and three pages by hash."""
    wanted = set().union(*(features(n) for n in NAMES))
    chosen: list[str] = []
    while wanted:
        best = max(NAMES, key=lambda n: (len(features(n) & wanted), -NAMES.index(n)))
        chosen.append(best)
        wanted -= features(best)
    by_hash = sorted(NAMES, key=lambda n: hashlib.sha256(n.encode()).hexdigest())
    extra = ["CreateVmCdRom", *[n for n in by_hash if n not in chosen][:3]]
    return chosen + [n for n in extra if n not in chosen]


SAMPLE = sample()


def comparable(endpoint: Endpoint) -> dict[str, Any]:
    # as in test_corpus: source lines, layout, warnings and the HTML-only meta summary are not content
    data = endpoint.model_dump(mode="json", exclude={"source", "layout", "warnings", "description"})
    return _strip_sources(data)


def _strip_sources(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_sources(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_strip_sources(v) for v in value]
    return value


def first_difference(got: Any, want: Any, where: str = "") -> str | None:
    if isinstance(got, dict) and isinstance(want, dict):
        for key in sorted(set(got) | set(want)):
            found = first_difference(got.get(key), want.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(got, list) and isinstance(want, list):
        for i, (g, w) in enumerate(zip(got, want, strict=False)):
            found = first_difference(g, w, f"{where}[{i}]")
            if found:
                return found
        if len(got) != len(want):
            return f"{where}: {len(got)} items, want {len(want)}"
        return None
    return None if got == want else f"{where}: got {str(got)[:120]!r}, want {str(want)[:120]!r}"


def scrape_source(path: Path) -> Endpoint:
    result = scrape_page_file(path, path.name)
    assert not isinstance(result, Diagnostic), str(result)
    return result


@cache
def explorer_source(name: str) -> str:
    return (HTML_DIR / f"{name}.html").read_text(encoding="utf-8")


@cache
def reference(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    html = comparable(scrape_source(HTML_DIR / f"{name}.html"))
    text = comparable(scrape_source(CORPUS / "text" / f"{name}.txt"))
    return html, text


def test_sample_covers_every_quirk_and_form() -> None:
    covered = set().union(*(features(n) for n in SAMPLE))
    assert covered == set().union(*(features(n) for n in NAMES))
    for needed in (
        "lang:zh-cn",
        "method:DELETE",
        "method:GET",
        "method:PUT",
        "method:POST",
        "query-api:True",
        "depth>=5",
    ):
        assert needed in covered
    assert sample() == SAMPLE  # deterministic
    assert len(SAMPLE) < 40


def _atoms(src: str) -> list[str | tuple[str, ...]]:
    """The texts an explorer page shows, in order, whitespace-collapsed (a tuple: in any order)."""
    page = read_explorer(src)
    atoms: list[str | tuple[str, ...]] = [*page.breadcrumb, *page.badges, page.title, page.summary]
    for section in page.sections:
        for block in section.blocks:
            if isinstance(block, Heading):
                atoms.append(block.text)
            elif isinstance(block, Text):
                atoms.append(block.para.text)
            elif isinstance(block, Code):
                atoms.append(block.text)
            elif isinstance(block, Fields):
                for _, item in walk(block.items):
                    # a field's badge may come before or after its type (Redoc puts it under the name)
                    atoms += [
                        item.name,
                        (item.type, *([item.badge] if item.badge else [])),
                        *(p.text for p in item.paras),
                    ]
    return [_collapsed(a) for a in atoms if (a.strip() if isinstance(a, str) else a)]


def _collapsed(atom: str | tuple[str, ...]) -> str | tuple[str, ...]:
    if isinstance(atom, str):
        return " ".join(atom.split())
    return tuple(" ".join(a.split()) for a in atom if a.strip())


@pytest.mark.parametrize("markup", sorted(CONVERTERS))
def test_converters_keep_every_text_in_order_and_are_deterministic(markup: str) -> None:
    """The converters themselves: a converted page shows the explorer's texts in the same order."""
    for name in SAMPLE:
        src = explorer_source(name)
        out = CONVERTERS[markup](src)
        assert out == CONVERTERS[markup](src)
        body = lxml_html.document_fromstring(out).find("body")
        assert body is not None
        for script in body.iter("script"):
            script.getparent().remove(script)  # type: ignore[union-attr]
        shown = " ".join(str(body.text_content()).split()).casefold()  # redoc writes `required`
        at = 0
        for atom in _atoms(src):
            group = (atom,) if isinstance(atom, str) else atom
            ends = []
            for text in group:
                found = shown.find(text.casefold(), at)
                assert found >= 0, f"{markup} {name}: {text[:60]!r} missing after position {at}"
                ends.append(found + len(text))
            at = max(ends)


@pytest.mark.parametrize("name", SAMPLE)
@pytest.mark.parametrize("markup", sorted(CONVERTERS))
def test_markup_gives_the_ir_of_the_explorer_html_and_the_text(markup: str, name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.html"
    path.write_text(CONVERTERS[markup](explorer_source(name)), encoding="utf-8")
    got = comparable(scrape_source(path))
    html, text = reference(name)
    assert html == text, first_difference(html, text)
    assert got == html, f"{markup} vs explorer HTML: {first_difference(got, html)}"


@pytest.mark.parametrize("markup", ["explorer", *sorted(CONVERTERS)])
def test_page_with_its_field_lists_stripped_is_not_silently_accepted(markup: str, tmp_path: Path) -> None:
    name = "CreateVmCdRom"
    src = strip_field_lists(explorer_source(name))
    assert not re.search(r"<(ul|li)\b", src.split("<article", 1)[1].split("</article>", 1)[0])
    page = src if markup == "explorer" else CONVERTERS[markup](src)
    path = tmp_path / f"{name}.html"
    path.write_text(page, encoding="utf-8")
    result = scrape_page_file(path, path.name)
    if isinstance(result, Diagnostic):
        return
    full = scrape_source(HTML_DIR / f"{name}.html")
    new = {w.code for w in result.warnings} - {w.code for w in full.warnings}
    assert new, f"{markup}: a page with no field lists scraped with no new warning ({len(result.all_params())} params)"
