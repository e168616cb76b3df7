"""Splitting glued field lines: `vmInstanceUuidStringRequired` -> name | type | Required.

Pages glue the name, the type and the `Required` badge (and, on the flat rendering, the description)
into one run of text. Names are lowerCamel and types UpperCamel or Java primitives, but both can
contain capitals, so the split is a choice between candidates. Evidence, strongest first: the
element boundaries of the HTML, the parent's type (enum constants, `cause ErrorCode`), the type
vocabulary, names the page itself uses elsewhere (curl body, example keys, "See x."), and finally
word overlap between name and type (`vmNics` ~ `VmNicInventory`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.scrape.vocab import CJK, OPTIONAL_PREFIXES, REQUIRED_WORDS, TYPE_KINDS, TYPE_NAMES_BY_LENGTH

_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$\-.]*$")
_TYPE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.$]*(?:<[A-Za-z0-9_, .<>]*>)?(?:\[\])?$")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_DESCRIPTION_START = re.compile(
    r"^(?:[A-Z]+[a-z]*(?:[\s.,:;!?'’-]|$|"
    + CJK.pattern
    + r")|[A-Z]{2,}\d+[a-z]*\s|[A-Za-z]+[\s\-]?(?:"
    + CJK.pattern
    + r")|\d|[\"'(（]|"
    + CJK.pattern
    + ")"
)


# Names and types on real pages run to about 40 characters. Longer heads are not fields, and
# bounding the search keeps the splitters linear on hostile multi-megabyte lines (unbounded,
# every capital letter of the line was a candidate split: quadratic time).
MAX_NAME_CHARS = 200
MAX_TYPE_CHARS = 200
MAX_HEAD_CHARS = MAX_NAME_CHARS + MAX_TYPE_CHARS + 16
_DESCRIPTION_PROBE = 256


@dataclass(frozen=True, slots=True)
class FieldHead:
    name: str
    type: str
    required: bool
    rest: str = ""  # the glued description (flat rendering only)
    certain: bool = True  # False when the split was a guess


def _strip_required(text: str) -> tuple[str, bool]:
    for word in REQUIRED_WORDS:
        if text.endswith(word) and len(text) > len(word):
            return text[: -len(word)], True
    return text, False


def _words(identifier: str) -> set[str]:
    return {w.lower().rstrip("s") or w.lower() for w in _WORD.findall(identifier)}


def _valid_split(name: str, type_name: str) -> bool:
    return bool(name) and bool(type_name) and _NAME.match(name) is not None and _TYPE.match(type_name) is not None


def split_head(head: str, *, hints: Iterable[str] = (), parent_type: str | None = None) -> FieldHead | None:
    """Split a bullet head (`nameStringRequired`, no description) into name, type and required."""
    if len(head) > MAX_HEAD_CHARS:
        return None
    text, required = _strip_required(head.strip())
    if parent_type and text.endswith(parent_type) and _valid_split(text[: -len(parent_type)], parent_type):
        return FieldHead(text[: -len(parent_type)], parent_type, required)
    for type_name in TYPE_NAMES_BY_LENGTH:
        if text.endswith(type_name) and _valid_split(text[: -len(type_name)], type_name):
            return FieldHead(text[: -len(type_name)], type_name, required)
    by_hint = _split_by_hints(text, hints)
    if by_hint is not None:
        return FieldHead(by_hint[0], by_hint[1], required)
    by_words = _split_by_word_overlap(text)
    if by_words is not None:
        return FieldHead(by_words[0], by_words[1], required, certain=False)
    return None


def _split_by_hints(text: str, hints: Iterable[str]) -> tuple[str, str] | None:
    best: tuple[str, str] | None = None
    for name in hints:
        if (
            text.startswith(name)
            and _valid_split(name, text[len(name) :])
            and (best is None or len(name) > len(best[0]))
        ):
            best = (name, text[len(name) :])
    return best


def _split_by_word_overlap(text: str) -> tuple[str, str] | None:
    best: tuple[int, str, str] | None = None
    for i in range(1, len(text)):
        if not text[i].isupper() or text[i - 1] == "_":
            continue
        name, type_name = text[:i], text[i:]
        if not _valid_split(name, type_name) or not name[0].islower():
            continue
        score = len(_words(name) & _words(type_name))
        if best is None or score > best[0]:
            best = (score, name, type_name)
    return None if best is None else (best[1], best[2])


def split_flat_line(text: str, *, hints: Iterable[str] = ()) -> FieldHead | None:
    """Split a flat line: name + type + optional `Required` + description, all glued."""
    text = text.strip()
    best: tuple[tuple[int, int, int, int], FieldHead] | None = None
    for name, type_name, after in _flat_candidates(text, hints):
        if type_name.endswith(REQUIRED_WORDS):
            continue  # the badge is never part of a type (`MiniHostInfoRequired`)
        required = False
        for word in REQUIRED_WORDS:
            if after.startswith(word):
                required, after = True, after[len(word) :]
                break
        score = _description_score(after, required)
        if score <= 0:
            continue
        known = 1 if type_name in TYPE_KINDS else 0
        # Ties go to the split that reaches furthest, then to the longer type: `aLinkedHashMap`
        # is `a` + `LinkedHashMap`, not `aLinkedHash` + `Map`.
        rank = (score + known, len(_words(name) & _words(type_name)), len(name) + len(type_name), len(type_name))
        if best is None or rank > best[0]:
            best = (rank, FieldHead(name, type_name, required, after.strip()))
    return None if best is None else best[1]


def _flat_candidates(text: str, hints: Iterable[str]) -> Iterable[tuple[str, str, str]]:
    for type_name in TYPE_NAMES_BY_LENGTH:
        start = 1
        while (pos := text.find(type_name, start, MAX_NAME_CHARS + len(type_name) + 1)) > 0:
            name = text[:pos]
            if _NAME.match(name):
                yield name, type_name, text[pos + len(type_name) :]
            start = pos + 1
    for name in hints:
        if not text.startswith(name) or len(text) == len(name) or len(name) > MAX_NAME_CHARS:
            continue
        after = text[len(name) :]
        window = after[: MAX_TYPE_CHARS + 1]
        for match in re.finditer(r"(?<=[a-z0-9\]])(?=[A-Z]|必填|$)|$", window):
            if match.start() == len(window) and len(window) < len(after):
                break  # the end of the window, not of the line
            type_name = after[: match.start()]
            if type_name and _TYPE.match(type_name):
                yield name, type_name, after[match.start() :]


def _description_score(after: str, required: bool) -> int:
    after = after[:_DESCRIPTION_PROBE]  # the pattern reads a word or two; a whole line would backtrack
    if after == "" or required:
        return 3 if (after == "" or _DESCRIPTION_START.match(after) or after.startswith(OPTIONAL_PREFIXES)) else 1
    if after.startswith(OPTIONAL_PREFIXES):
        return 3
    if _DESCRIPTION_START.match(after):
        return 2
    return 0
