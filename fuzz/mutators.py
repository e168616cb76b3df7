"""Mutations of a doc page: what a broken crawl, a bad editor or a malicious page can do to it.

Every mutator takes a seeded `random.Random`, the page bytes and whether the page is HTML, and
returns new bytes; none of them reads anything else, so a case is reproducible from its seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

Mutator = Callable[[random.Random, bytes, bool], bytes]

HOSTILE_TEXTS = (
    'a "quoted" name',
    "\"\"\" triple '''",
    "back\\slash\\",
    "\\N{BULLET}\\u0041\\x00",
    "nul\x00 bell\x07 esc\x1b[2J del\x7f nel\x85",
    "{{ 7*7 }}{% include '/etc/passwd' %}{# x #}",
    "../../x",
    "/etc/passwd",
    "C:\\Windows\\win.ini",
    "ünïcödé 中文 ‮rtl‬ \u2028\ufeff",
    "$(touch /tmp/pwned) `id` ${HOME}",
    "</script><img src=x onerror=alert(1)>",
    "x" * 3000,
)
HOSTILE_NAMES = ("class", "None", "self", "__init__", "import", "a.b", "x-y", "$ref", "uuid", "UUID", "n" * 300)
HOSTILE_JSON = ('"\\ud800"', '"\\u0000"', "1e999", "-0", "9" * 5000, '"' + "\\\\" * 50 + '"', "[" * 300 + "]" * 300)

_NESTING_TAGS = (
    (b"<div>", b"</div>"),
    (b"<ul><li>", b"</li></ul>"),
    (b"<span>", b"</span>"),
    (b"<ol><li>", b"</li></ol>"),
)
_SECTION_LABELS = (
    b"Request Inputs",
    b"Path Parameters",
    b"Body Fields",
    b"Responses",
    b"Endpoint",
    b"Request Example",
    b"Response Example",
    b"Change History",
)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def truncate(rng: random.Random, data: bytes, html: bool) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def drop_lines(rng: random.Random, data: bytes, html: bool) -> bytes:
    lines = _lines(data)
    rate = rng.choice((0.01, 0.05, 0.2, 0.5))
    return b"\n".join(line for line in lines if rng.random() > rate)


def duplicate_lines(rng: random.Random, data: bytes, html: bool) -> bytes:
    lines = _lines(data)
    if not lines:
        return data
    start = rng.randrange(len(lines))
    end = min(len(lines), start + rng.randint(1, 40))
    times = rng.choice((2, 3, 50))
    return b"\n".join(lines[:end] + lines[start:end] * (times - 1) + lines[end:])


def swap_sections(rng: random.Random, data: bytes, html: bool) -> bytes:
    """Cut the page at two section labels and swap the pieces between them."""
    cuts = sorted({m.start() for label in _SECTION_LABELS for m in re.finditer(re.escape(label), data)})
    if len(cuts) < 3:
        return move_block(rng, data, html)
    a, b, c = sorted(rng.sample(cuts, 3))
    return data[:a] + data[b:c] + data[a:b] + data[c:]


def move_block(rng: random.Random, data: bytes, html: bool) -> bytes:
    lines = _lines(data)
    if len(lines) < 3:
        return data
    start = rng.randrange(len(lines) - 1)
    end = rng.randrange(start + 1, len(lines))
    block, rest = lines[start:end], lines[:start] + lines[end:]
    at = rng.randrange(len(rest) + 1)
    return b"\n".join(rest[:at] + block + rest[at:])


def random_bytes(rng: random.Random, data: bytes, html: bool) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 5, 50))):
        at = rng.randrange(len(out) + 1)
        out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out)


def invalid_utf8(rng: random.Random, data: bytes, html: bool) -> bytes:
    at = rng.randrange(len(data) + 1)
    bad = rng.choice((b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xf0\x28\x8c\x28", b"\xe2\x82", b"\x80"))
    return data[:at] + bad + data[at:]


def huge_line(rng: random.Random, data: bytes, html: bool) -> bytes:
    lines = _lines(data)
    at = rng.randrange(len(lines))
    unit = rng.choice((b"a", b" ", b"aB", b"String", b"{", b"-d '", b"Options: ", b"\xe4\xb8\xad"))
    size = rng.choice((10_000, 200_000, 1_000_000))
    filler = unit * (size // len(unit))
    where = rng.randrange(len(lines[at]) + 1)
    lines[at] = lines[at][:where] + filler + lines[at][where:]
    return b"\n".join(lines)


def deep_nesting(rng: random.Random, data: bytes, html: bool) -> bytes:
    depth = rng.choice((20, 40, 300, 3000))
    if html:
        opening, closing = rng.choice(_NESTING_TAGS)
        block = opening * depth + b"deepString" + closing * depth
    else:
        block = b"\n\n".join(b"  " * (d + 1) + b"\xe2\x80\xa2 f" + str(d).encode() + b"Object" for d in range(depth))
    return _insert_at_section(rng, data, block)


def many_fields(rng: random.Random, data: bytes, html: bool) -> bytes:
    count = rng.choice((100, 2000, 6000))
    if html:
        block = b"<ul>" + b"".join(b"<li><span>f%d</span><span>String</span></li>" % i for i in range(count)) + b"</ul>"
    else:
        block = b"\n\n".join(b"    \xe2\x80\xa2 f%dString\n\n      Optional. F." % i for i in range(count))
    return _insert_at_section(rng, data, block)


def hostile_text(rng: random.Random, data: bytes, html: bool) -> bytes:
    """Put hostile text where a description, title or breadcrumb was."""
    text = rng.choice(HOSTILE_TEXTS)
    if html:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    lines = _lines(data)
    at = rng.randrange(len(lines))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = indent + text.encode("utf-8", "replace")
    return b"\n".join(lines)


def hostile_name(rng: random.Random, data: bytes, html: bool) -> bytes:
    """Rename a field (a glued `nameType` head) to a hostile but well-formed name."""
    heads = list(re.finditer(rb"(?m)^(\s*\xe2\x80\xa2 |<span[^>]*>)([a-z][A-Za-z0-9]*)(?=[A-Z]|</span>)", data))
    if not heads:
        return hostile_text(rng, data, html)
    head = rng.choice(heads)
    name = rng.choice(HOSTILE_NAMES).encode()
    return data[: head.start(2)] + name + data[head.end(2) :]


def hostile_json(rng: random.Random, data: bytes, html: bool) -> bytes:
    """Replace a value in the example JSON or the curl body."""
    values = list(re.finditer(rb'(?<=": )("[^"\n]{0,60}"|[0-9.E]+|true|false|null)', data))
    if not values:
        return hostile_text(rng, data, html)
    value = rng.choice(values)
    return data[: value.start()] + rng.choice(HOSTILE_JSON).encode() + data[value.end() :]


def _insert_at_section(rng: random.Random, data: bytes, block: bytes) -> bytes:
    spots = [m.end() for label in _SECTION_LABELS for m in re.finditer(re.escape(label), data)]
    at = rng.choice(spots) if spots else rng.randrange(len(data) + 1)
    return data[:at] + b"\n\n" + block + b"\n\n" + data[at:]


@dataclass(frozen=True)
class Named:
    name: str
    apply: Mutator


MUTATORS: tuple[Named, ...] = tuple(
    Named(f.__name__.replace("_", "-"), f)
    for f in (
        truncate,
        drop_lines,
        duplicate_lines,
        swap_sections,
        move_block,
        random_bytes,
        invalid_utf8,
        huge_line,
        deep_nesting,
        many_fields,
        hostile_text,
        hostile_name,
        hostile_json,
    )
)


def mutate(rng: random.Random, data: bytes, html: bool) -> tuple[bytes, list[str]]:
    """One to three mutations; returns the page and their names (for the report)."""
    names = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        mutator = rng.choice(MUTATORS)
        data = mutator.apply(rng, data, html)
        names.append(mutator.name)
    return data, names
