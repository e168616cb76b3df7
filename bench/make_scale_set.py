"""Make a scale set: the corpus DEV pages replicated under new names up to N pages.

    python bench/make_scale_set.py --pages 2000 -o /tmp/scale-2000 [--form html|text]
    python bench/make_scale_set.py --pages 2000 -o /tmp/dg-2000 --source DEVGUIDE_HTML_FOLDER   # the Dev Guide

Copy 0 is the corpus as it is (1,169 pages). Copy k (k >= 1) renames, consistently everywhere on
the page, every operation id (title, `<title>`, Operation ID, canonical link, sidebar, page state)
to `<Id>X<k>`, the page's own body wrapper key (`createVmCdRom`, `createvmcdrom`) with it, and every
documented class (`VmCdRomInventory` -> `VmCdRomInventoryX<k>`; `ErrorCode` and the primitives are
kept), and moves its paths under `/zstack/v1/x<k>/`, so copies share paths only as the original
pages do. The last copy takes pages spread evenly over the corpus. Same arguments, same bytes.

The vocabulary (operation ids and class names) is read from the HTML pages (`<span class="ty">`),
also for the text form, whose rows glue name, type and `Required` (`inventoryVmCdRomInventory`).
The output folder must be new, empty, or an earlier scale set (it holds `scale-set.json`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.scrape.vocab import TYPE_KINDS  # noqa: E402

HTML_PAGES = ROOT / "input_docs" / "pages"
TEXT_PAGES = ROOT / "tests" / "data" / "corpus" / "text"
FORMS = {"html": (HTML_PAGES, ".html"), "text": (TEXT_PAGES, ".txt")}
MARKER = "scale-set.json"  # not a page suffix: the scraper never reads it
KEPT_CLASSES = frozenset({"ErrorCode"})  # shared by every API on the real site too
API_PREFIX = "/zstack/v1/"

_TYPE_SPAN = re.compile(r'<span class="ty">([^<]+)</span>')
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9_]*")
# Operation ids and classes are UpperCamel words; a capital inside a word (`getVmState`) is not one.
_UPPER_WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Z][A-Za-z0-9_]*")
# A text-form field row: bullet, then name, type and badge glued into one word.
_TEXT_ROW = re.compile(r"^(?P<lead>[ \t]*•[ \t]+)(?P<head>[A-Za-z_$][^\s]*?)(?P<badge>Required|必填)?$", re.MULTILINE)


class ScaleSetError(Exception):
    """A problem with the arguments or the output folder; main() prints it as one line."""


@dataclass(frozen=True)
class Vocabulary:
    operation_ids: frozenset[str]
    classes: frozenset[str]  # renamed per copy

    @property
    def words(self) -> frozenset[str]:
        return self.operation_ids | self.classes


def read_vocabulary(html_pages: Path = HTML_PAGES) -> Vocabulary:
    """Operation ids (the page names) and documented class names of the HTML corpus."""
    operation_ids: set[str] = set()
    classes: set[str] = set()
    for page in sorted(html_pages.glob("*.html")):
        operation_ids.add(page.stem)
        for type_name in _TYPE_SPAN.findall(page.read_text(encoding="utf-8")):
            if type_name not in TYPE_KINDS and type_name not in KEPT_CLASSES and _CLASS_NAME.fullmatch(type_name):
                classes.add(type_name)
    return Vocabulary(frozenset(operation_ids), frozenset(classes))


def suffix(copy: int) -> str:
    return f"X{copy}"


def plan_copies(sources: list[Path], pages: int) -> list[tuple[int, Path]]:
    """(copy number, source page) for `pages` pages: whole copies, then an evenly spread part."""
    if not sources:
        raise ScaleSetError("no source pages")
    whole, rest = divmod(pages, len(sources))
    plan = [(copy, source) for copy in range(whole) for source in sources]
    # Spread the partial copy over the whole corpus so it has the corpus's mix of page shapes.
    plan += [(whole, sources[(i * len(sources)) // rest]) for i in range(rest)]
    return plan


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _wrapper_forms(operation_id: str, tag: str) -> dict[str, str]:
    """The spellings of the page's own body wrapper key (`createVmCdRom`, `createvmcdrom`), renamed."""
    return {
        lower_first(operation_id): lower_first(operation_id) + tag,
        operation_id.lower(): (operation_id + tag).lower(),
    }


def _split_row(head: str, types: frozenset[str]) -> tuple[str, str] | None:
    """`inventoryVmCdRomInventory` -> (`inventory`, `VmCdRomInventory`): the longest known type suffix.

    Names are lowerCamel fields or, under an enum, its UpperCamel constants (`NormalIpRangeType`)."""
    for cut in range(1, len(head)):
        if head[cut:] in types:
            return head[:cut], head[cut:]
    return None


def rename_page(text: str, operation_id: str, copy: int, vocabulary: Vocabulary, *, text_form: bool) -> str:
    """The page of `operation_id` as copy `copy` shows it (copy 0: unchanged)."""
    if copy == 0:
        return text
    tag = suffix(copy)
    words = vocabulary.words
    wrappers = _wrapper_forms(operation_id, tag)

    def upper_word(match: re.Match[str]) -> str:
        word = match.group(0)
        return word + tag if word in words else word

    if text_form:
        text = _TEXT_ROW.sub(_row_renamer(vocabulary, tag, wrappers), text)
    text = _UPPER_WORD.sub(upper_word, text)
    wrapper_word = re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, wrappers)) + r")(?![A-Za-z0-9_])")
    text = wrapper_word.sub(lambda m: wrappers[m.group(1)], text)
    prefix = API_PREFIX.lstrip("/")  # the Dev Guide writes `POST zstack/v1/...`, without the leading slash
    return text.replace(prefix, f"{prefix}{tag.lower()}/")


def _row_renamer(vocabulary: Vocabulary, tag: str, wrappers: dict[str, str]) -> Callable[[re.Match[str]], str]:
    known_types = vocabulary.classes | frozenset(TYPE_KINDS)

    def rename(match: re.Match[str]) -> str:
        split = _split_row(match.group("head"), known_types)
        if split is None:
            return match.group(0)
        name, type_name = split
        name = wrappers.get(name, name)
        type_name = type_name + tag if type_name in vocabulary.classes else type_name
        return f"{match.group('lead')}{name}{type_name}{match.group('badge') or ''}"

    return rename


def _prepare_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise ScaleSetError(f"{output}: exists and is not a folder")
    if output.is_dir() and any(output.iterdir()):
        if not (output / MARKER).is_file():
            raise ScaleSetError(f"{output}: not empty and not a scale set (no {MARKER}); refusing to overwrite")
        for old in output.iterdir():
            if old.is_file() and old.suffix in (".html", ".txt", ".json"):
                old.unlink()
    output.mkdir(parents=True, exist_ok=True)


def make_scale_set(pages: int, output: Path, form: str = "html", source: Path | None = None) -> dict[str, object]:
    """Write the scale set; returns what `scale-set.json` records."""
    if pages < 1:
        raise ScaleSetError(f"--pages must be at least 1, not {pages}")
    folder, ext = FORMS[form]
    folder = source or folder
    sources = sorted(folder.glob(f"*{ext}"))
    plan = plan_copies(sources, pages)
    vocabulary = read_vocabulary()
    _prepare_output(output)
    for copy, page in plan:
        operation_id = page.stem
        text = page.read_bytes().decode("utf-8")
        renamed = rename_page(text, operation_id, copy, vocabulary, text_form=form == "text")
        name = operation_id + (suffix(copy) if copy else "")
        (output / f"{name}{ext}").write_bytes(renamed.encode("utf-8"))
    summary: dict[str, object] = {
        "pages": len(plan),
        "form": form,
        "source": _shown(folder),
        "source_pages": len(sources),
        "copies": plan[-1][0] + 1,
        "renamed_classes": len(vocabulary.classes),
    }
    (output / MARKER).write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return summary


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, required=True, help="number of pages to write")
    parser.add_argument("-o", "--output", type=Path, required=True, help="folder to write the pages into")
    parser.add_argument("--form", choices=sorted(FORMS), default="html", help="HTML pages or their text renderings")
    parser.add_argument("--source", type=Path, help="pages to replicate (default: the corpus of the chosen form)")
    args = parser.parse_args(argv)
    try:
        summary = make_scale_set(args.pages, args.output, args.form, args.source)
    except (ScaleSetError, OSError) as exc:
        print(f"make_scale_set: {exc}", file=sys.stderr)
        return 2
    print(
        f"make_scale_set: {summary['pages']} {args.form} pages ({summary['copies']} copies of "
        f"{summary['source_pages']}) -> {args.output}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
