"""The hostile corpus: broken and malicious pages, generated from real corpus pages.

Every case is deterministic (seeded), small to describe and cheap to build; tests write them to a
temporary folder. `expect` says what the scraper must do with the page:

- "ok": parse it; the hostile text ends up in the IR as data,
- "error": refuse it with one `FILE:LINE: message` (`error_text` is part of that message,
  `error_line` the line it must name, when the case knows it),
- "any": either, as long as it is one of the two.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from generator.scrape import MAX_PAGE_BYTES
from generator.scrape.blocks import MAX_FIELD_DEPTH, MAX_FIELDS
from tests.conftest import CORPUS, ROOT

Expect = Literal["ok", "error", "any"]
BASE_API = "StartVmInstance"  # lower-cased wrapper, path parameter, deep response tree, curl body


@dataclass(frozen=True)
class Case:
    name: str
    filename: str
    data: bytes
    expect: Expect
    error_text: str | None = None
    error_line: int | None = None


@cache
def base_text() -> str:
    return (CORPUS / "text" / f"{BASE_API}.txt").read_text(encoding="utf-8")


@cache
def base_flat() -> str:
    return (CORPUS / "flat" / f"{BASE_API}.txt").read_text(encoding="utf-8")


@cache
def base_html() -> str:
    return (ROOT / "input_docs" / "pages" / f"{BASE_API}.html").read_text(encoding="utf-8")


def _text(name: str, text: str, expect: Expect, **kw: object) -> Case:
    return Case(name, f"{name}.txt", text.encode("utf-8", "surrogatepass"), expect, **kw)  # type: ignore[arg-type]


def _html(name: str, markup: str, expect: Expect, **kw: object) -> Case:
    return Case(name, f"{name}.html", markup.encode("utf-8", "surrogatepass"), expect, **kw)  # type: ignore[arg-type]


def _once(text: str, old: str, new: str) -> str:
    assert old in text, f"the base page has no {old!r}"
    return text.replace(old, new, 1)


# --- broken pages -------------------------------------------------------------------------


def truncated() -> list[Case]:
    cases = []
    for label, text in (("text", base_text()), ("flat", base_flat()), ("html", base_html())):
        for percent in (1, 10, 35, 50, 75, 99):
            cut = text[: len(text) * percent // 100]
            maker = _html if label == "html" else _text
            cases.append(maker(f"truncated-{label}-{percent}", cut, "any"))
    return cases


def dropped_and_duplicated() -> list[Case]:
    lines = base_text().split("\n")
    rng = random.Random(7)
    cases = [
        _text("drop-every-3rd", "\n".join(line for i, line in enumerate(lines) if i % 3), "any"),
        _text("drop-endpoint-label", base_text().replace("\nEndpoint\n", "\n"), "any"),
        _text("every-line-twice", "\n".join(line for line in lines for _ in (0, 1)), "any"),
        _text("all-twice", base_text() + "\n\n" + base_text(), "any"),
        _text("shuffled", "\n".join(rng.sample(lines, len(lines))), "any"),
    ]
    for seed in range(3):
        rng = random.Random(seed)
        kept = [line for line in lines if rng.random() > 0.1]
        doubled = [line for line in kept for _ in range(2 if rng.random() < 0.1 else 1)]
        cases.append(_text(f"drop-dup-random-{seed}", "\n".join(doubled), "any"))
    return cases


def swapped_sections() -> list[Case]:
    text = base_text()
    blocks = text.split("\n\nRequest Example\n\n")
    head, tail = blocks[0], "Request Example\n\n" + blocks[1]
    request, response = tail.split("\n\nResponse Example\n\n")
    body_at, responses_at = text.index("Body Fields"), text.index("Responses")
    return [
        _text("examples-swapped", head + "\n\nResponse Example\n\n" + response + "\n\n" + request, "any"),
        _text(
            "body-and-responses-swapped",
            text[:body_at] + text[responses_at : text.index("Endpoint")] + text[body_at:responses_at],
            "any",
        ),
        _text("endpoint-first", text[text.index("Endpoint") :] + "\n\n" + text[: text.index("Endpoint")], "any"),
    ]


def binary_and_encodings() -> list[Case]:
    rng = random.Random(1)
    data = base_text().encode()
    noisy = bytearray(data)
    for _ in range(200):
        noisy[rng.randrange(len(noisy))] = rng.randrange(256)
    bad_at = data.index(b"Body Fields")
    return [
        Case("random-bytes", "random-bytes.txt", bytes(rng.randrange(256) for _ in range(65536)), "error"),
        Case("random-bytes-html", "random-bytes.html", bytes(rng.randrange(256) for _ in range(65536)), "any"),
        Case("random-bytes-in-page", "random-bytes-in-page.txt", bytes(noisy), "any"),
        Case(
            "invalid-utf8",
            "invalid-utf8.txt",
            data[:bad_at] + b"\xff\xfe\xc3(" + data[bad_at:],
            "error",
            error_text="invalid UTF-8",
            error_line=data[:bad_at].count(b"\n") + 1,
        ),
        Case(
            "invalid-utf8-html",
            "invalid-utf8.html",
            base_html().encode().replace(b"Body Fields", b"Body\xff\xfe"),
            "any",
        ),
        Case(
            "latin1-html",
            "latin1.html",
            base_html().replace("StartVmInstance", "StartVmInstancé").encode("latin-1", "replace"),
            "any",
        ),
        Case("encoded-surrogate", "encoded-surrogate.txt", data.replace(b"The host UUID.", b"\xed\xa0\x80"), "error"),
        Case(
            "nul-early",
            "nul-early.txt",
            data[:99] + b"\x00" + data[99:],
            "error",
            error_text="binary content",
            error_line=data[:99].count(b"\n") + 1,
        ),
        Case(
            "nul-late", "nul-late.txt", data.replace(b"The volume QoS.", b"The volume\x00 QoS.") + b"\x00" * 5000, "ok"
        ),
        Case("empty", "empty.txt", b"", "error"),
        Case("empty-html", "empty.html", b"", "error"),
        Case("only-bom", "only-bom.txt", b"\xef\xbb\xbf", "error"),
        Case("whitespace", "whitespace.txt", b" \n\t\r\n" * 1000, "error"),
    ]


def huge_lines() -> list[Case]:
    big = 4 * 1024 * 1024
    text = base_text()
    return [
        _text("huge-description", _once(text, "The host UUID.", "A" * big), "ok"),
        _text("huge-spaces-description", _once(text, "The host UUID.", "Options: a" + " " * big + "b"), "ok"),
        _text("huge-field-head", _once(text, "hostUuidString", "aB" * (big // 2)), "ok"),
        _text("huge-curl", _once(text, '"<hostUuid>"', '"' + "x" * big + '"'), "ok"),
        _text("huge-curl-unbalanced", _once(text, '"<hostUuid>"', "-d '" * (big // 4)), "any"),
        _text("huge-json-example", _once(text, '"platform": "example"', '"platform": "' + "y" * big + '"'), "ok"),
        _text(
            "huge-title",
            _once(text, "\nStartVmInstance\n\nStartVmInstance\n", ("\n" + "Ab" * (big // 4)) * 2 + "\n"),
            "ok",
        ),
        _text("huge-path", _once(text, "PUT/zstack/v1/vm-instances/{uuid}/actions", "PUT/" + "{" * big), "any"),
        _text("huge-flat-line", _once(base_flat(), "The host UUID.", "String" * (big // 6)), "ok"),
        _text("one-huge-line", "x" * (MAX_PAGE_BYTES - 10), "error"),
        _html("huge-html-spaces", _once(base_html(), "The host UUID.", "a" + " " * big + "b"), "ok"),
    ]


def deep_nesting() -> list[Case]:
    text = base_text()
    deep_bullets = "\n\n".join("  " * (depth + 1) + f"• f{depth}Object" for depth in range(500))
    deep_json = "[" * 5000 + "]" * 5000
    head, rest = base_html().split("<body", 1)
    return [
        _text(
            "bullets-500-deep",
            text.replace("  • startvminstanceObjectRequired", deep_bullets + "\n\n  • startvminstanceObjectRequired"),
            "error",
            error_text=f"nested more than {MAX_FIELD_DEPTH} levels",
        ),
        _text(
            "bullets-at-limit",
            text.replace(
                "  • systemTagsList",
                "\n\n".join("  " * (d + 1) + f"• f{d}Object" for d in range(MAX_FIELD_DEPTH))
                + "\n\n  • systemTagsList",
            ),
            "ok",
        ),
        _html("html-divs-10000-deep", head + "<body>" + "<div>" * 10000 + "x" + "</div>" * 10000 + rest, "error"),
        _html(
            "html-lists-10000-deep",
            base_html().replace(
                "<h2>Responses</h2>", "<ul><li>" * 10000 + "aString" + "</li></ul>" * 10000 + "<h2>Responses</h2>", 1
            ),
            "error",
        ),
        _html(
            "html-lists-40-deep",
            base_html().replace(
                "<h2>Responses</h2>", "<ul><li>xString" * 40 + "</li></ul>" * 40 + "<h2>Responses</h2>", 1
            ),
            "error",
            error_text=f"nested more than {MAX_FIELD_DEPTH} levels",
        ),
        _text("json-5000-deep", text.replace('"platform": "example"', '"platform": ' + deep_json), "ok"),
        _text("curl-json-5000-deep", text.replace('"<hostUuid>"', deep_json), "ok"),
        _text("json-100-deep", text.replace('"platform": "example"', '"platform": ' + "[" * 100 + "]" * 100), "ok"),
        _text("json-huge-int", text.replace('"cpuNum": 2.0', '"cpuNum": ' + "9" * 5000), "ok"),
    ]


def many_fields() -> list[Case]:
    text = base_text()

    def fields(count: int) -> str:
        return "\n\n".join(f"    • field{i}String\n\n      Optional. Field {i}." for i in range(count))

    return [
        _text(
            "fields-3000", _once(text, "    • clusterUuidString", fields(3000) + "\n\n    • clusterUuidString"), "ok"
        ),
        _text(
            "fields-over-limit",
            _once(text, "    • clusterUuidString", fields(MAX_FIELDS + 10) + "\n\n    • clusterUuidString"),
            "error",
            error_text=f"more than {MAX_FIELDS} fields",
        ),
        _text(
            "lines-over-limit", text + "\n" + "\n".join(f"line {i}" for i in range(25000)), "error", error_text="lines"
        ),
        _html(
            "html-rows-over-limit",
            base_html().replace("<h2>Responses</h2>", "<p>x</p>" * 30000 + "<h2>Responses</h2>", 1),
            "error",
            error_text="lines",
        ),
    ]


def over_size_limit() -> list[Case]:
    filler = "a" * (MAX_PAGE_BYTES + 1 - len(base_text().encode()))
    return [
        _text("over-size-limit", base_text().replace("The host UUID.", filler), "error", error_text="-byte limit"),
        _html(
            "over-size-limit-html",
            base_html() + "<!--" + "b" * MAX_PAGE_BYTES + "-->",
            "error",
            error_text="-byte limit",
        ),
    ]


# --- hostile names and descriptions -------------------------------------------------------

HOSTILE_TEXTS = [
    "quote \" and ' apostrophe",
    '""" triple """ quotes \'\'\'',
    "back\\slash \\ and \\\\ and trailing \\",
    "\\N{BULLET} \\u0041 \\x41 \\0 escapes",
    "NUL \x00 and controls \x01\x07\x08\x0b\x0c\x1b[31m\x7f\x85",
    "lone surrogate \ud800 and \udfff",
    "jinja {{ 7*7 }} {% for x in y %}{% endfor %} {# c #}",
    "../../x and ../../../etc/passwd",
    "/etc/passwd and C:\\Windows\\system32",
    "non-ASCII ünïcödé 中文 ‮RTL‬ \u2028 line sep \ufeff bom",
    "x" * 5000,
    "${HOME} $(rm -rf /) `id`",
    "</script><script>alert(1)</script>",
]

HOSTILE_NAMES = [
    "class",
    "None",
    "self",
    "__init__",
    "__class__",
    "_",
    "import",
    "a.b",
    "x-y",
    "$ref",
    "uuid",
    "UUID",
    "Uuid",
    "n" * 190,
]


def _jsonish(text: str) -> str:
    """A JSON string body for `text` (the escapes a JSON example would use)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or 0xD800 <= ord(ch) <= 0xDFFF:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def hostile_texts() -> list[Case]:
    text = base_text()
    cases = []
    for index, hostile in enumerate(HOSTILE_TEXTS):
        plain = hostile.replace("\n", " ").replace("\r", " ")
        safe = plain.replace("\ud800", "").replace("\udfff", "")  # lone surrogates cannot be UTF-8 bytes
        page = (
            text.replace("The host UUID.", safe)
            .replace("Resource Center/Resource Pool/VM Instance Operations", f"Resource Center/{safe}")
            .replace("PUTVM Instance Operations", f"PUT{safe.replace('/', ' ')}")
            .replace('"platform": "example"', f'"platform": "{_jsonish(plain)}", "{_jsonish(plain)}": 1')
            .replace('"<hostUuid>"', f'"{_jsonish(plain)}"')
        )
        # A NUL byte near the top marks a binary file: such a page is refused, not read.
        cases.append(_text(f"hostile-text-{index}", page, "error" if "\x00" in safe else "ok"))
        markup = base_html().replace("The host UUID.", _html_escape(plain))
        cases.append(_html(f"hostile-text-html-{index}", markup, "ok"))
    return cases


def _html_escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in "<>&":
            out.append({"<": "&lt;", ">": "&gt;", "&": "&amp;"}[ch])
        elif 0xD800 <= ord(ch) <= 0xDFFF or ch == "\x00":
            out.append(f"&#x{ord(ch):X};")  # the parser's business what a bad reference becomes
        else:
            out.append(ch)
    return "".join(out)


def hostile_names() -> list[Case]:
    text = base_text()
    extra = "\n\n".join(f"    • {name}String\n\n      Optional. A hostile name." for name in HOSTILE_NAMES)
    response = "\n\n".join(f"    • {name}StringRequired\n\n      Hostile." for name in HOSTILE_NAMES)
    page = text.replace("    • clusterUuidString", extra + "\n\n    • clusterUuidString").replace(
        "    • uuidStringRequired\n\n      The resource UUID.", response, 1
    )
    jinja_path = text.replace("/vm-instances/{uuid}/actions", '/{{7*7}}/../../etc/{a"b}/{uuid}/actions')
    titles = text.replace("\nStartVmInstance\n\nStartVmInstance\n", "\n{{ title }} ../../x\n\n{{ title }} ../../x\n")
    return [
        _text("hostile-field-names", page, "ok"),
        _text("hostile-path", jinja_path, "ok"),
        _text("hostile-title", titles, "ok"),
        _text(
            "hostile-operation-id",
            text.replace("Operation ID\n\nStartVmInstance", "Operation ID\n\n../../StartVmInstance"),
            "ok",
        ),
        Case("{{ name }}'\"`$(x).txt", "{{ name }}'\"`$(x).txt", text.encode(), "ok"),
        Case("ünïcödé-中文.txt", "ünïcödé-中文.txt", text.encode(), "ok"),
        _text("case-twins-a", text.replace("StartVmInstance", "startVmInstance"), "ok"),
    ]


GROUPS: tuple[Callable[[], list[Case]], ...] = (
    truncated,
    dropped_and_duplicated,
    swapped_sections,
    binary_and_encodings,
    huge_lines,
    deep_nesting,
    many_fields,
    over_size_limit,
    hostile_texts,
    hostile_names,
)


@cache
def all_cases() -> tuple[Case, ...]:
    cases = tuple(case for group in GROUPS for case in group())
    names = [c.filename for c in cases]
    assert len(names) == len(set(names)), "case file names must be unique"
    return cases
