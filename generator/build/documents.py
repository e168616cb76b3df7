"""The IR and OpenAPI files of a build, put together from per-operation pieces that are reused while the
operation does not change.

Each endpoint's block in the IR file and its operation object in the OpenAPI document are written
on their own (a fragment), then spliced into the rest of the document at the place the whole-document
writers (`dump_ir`, `dump_openapi`) would have written them, indented as they would have been: the
result is the same bytes (`tests/test_documents.py` checks it). A build keeps the fragments keyed by
what they are made from (`DocumentMemo`), so after a one-page edit only that page's fragments are
written again, instead of the whole 11 MB + 5 MB.

Splicing: the document is first written with a placeholder string in each fragment's place. A
placeholder holds a random nonce and NUL characters (written `\\u0000`), and must occur exactly once,
so no page text can pass for one; should that ever fail, the document is written whole instead.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import AnyStr

from generator.build.keys import appending_pays, build_fingerprint
from generator.ir.model import IR, Endpoint
from generator.jsonout import indented_json, indented_model_json
from generator.openapi import Types, dump_openapi, operation_object, to_openapi

PACK_FORMAT = 2  # 2: fragments indented for where they go
_IR_INDENT, _OPENAPI_INDENT = 1, 2
# Where the fragments stand (endpoints in the IR's `endpoints` list, operations in `paths[key][method]`):
# they are kept indented for it, so that putting a document together is joining strings.
_FRAGMENT_INDENT = (2 * _IR_INDENT, 3 * _OPENAPI_INDENT)


# --- splicing ---------------------------------------------------------------------------------------


@dataclass
class Skeleton:
    """A document written with placeholders where its fragments go: `fill` gives the document.

    Kept between builds, a skeleton lets a build that changed only some operations (see
    patch.py) put the document together from the fragments alone."""

    text: str = ""
    nonce: str = field(default_factory=lambda: secrets.token_hex(8))
    keys: list[str] = field(default_factory=list)  # the memo key of each placeholder's fragment
    part: int = 0  # which half of a memo entry fills it: 0 the IR block, 1 the OpenAPI operation

    def add(self, key: str) -> str:
        """The placeholder standing for the fragment under `key`."""
        self.keys.append(key)
        return f"\x00{self.nonce} {len(self.keys) - 1}\x00"

    def fill(self, fragments: Mapping[str, tuple[str, str]]) -> str | None:
        """The document: each placeholder replaced by its fragment (written indented for where it goes);
        None unless each placeholder is found exactly once, where its fragments go, and every fragment
        is known."""
        return _fill(self, self.text, fragments, "\n")

    def fill_bytes(self, fragments: Mapping[str, tuple[bytes, bytes]]) -> bytes | None:
        """`fill` on UTF-8 bytes, with fragments as a pack holds them (see `read_pack`)."""
        return _fill(self, self.text.encode("utf-8", "surrogatepass"), fragments, b"\n")


def _fill(
    skeleton: Skeleton, text: AnyStr, fragments: Mapping[str, tuple[AnyStr, AnyStr]], newline: AnyStr
) -> AnyStr | None:
    placeholder = f'"\\\\u0000{skeleton.nonce} (\\d+)\\\\u0000"'
    pattern = placeholder if isinstance(text, str) else placeholder.encode("ascii")
    found = list(re.finditer(pattern, text))
    if sorted(int(match.group(1)) for match in found) != list(range(len(skeleton.keys))):
        return None
    pieces: list[AnyStr] = []
    position = 0
    indent = _FRAGMENT_INDENT[skeleton.part]
    space = " " if isinstance(text, str) else b" "
    for match in found:
        fragment = fragments.get(skeleton.keys[int(match.group(1))])
        line_start = text.rfind(newline, 0, match.start()) + 1
        line = text[line_start : match.start()]
        if fragment is None or not fragment[skeleton.part] or len(line) - len(line.lstrip(space)) != indent:
            return None
        pieces += [text[position : match.start()], fragment[skeleton.part]]
        position = match.end()
    pieces.append(text[position:])
    return newline[:0].join(pieces) + newline


# --- the memo -----------------------------------------------------------------------------------------


@dataclass
class DocumentMemo:
    """Fragments by key: those of the last builds (`found`) and those this build used (`used`).

    On disk (a pack) the fragments are segments: a JSON header line (keys and sizes), then the
    fragments as they are. A build that changed a few fragments appends one segment with them
    (`appendix`); the pack is written whole when most of what it holds is no longer used."""

    found: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (IR block, OpenAPI operation)
    used: dict[str, tuple[str, str]] = field(default_factory=dict)
    fresh: int = 0  # IR blocks written by this build
    stored: int = 0  # entries in the pack it was read from, superseded ones included

    def to_bytes(self) -> bytes:
        return pack_segment(self.used)

    def appendix(self) -> bytes | None:
        """What to append to the pack this memo was read from so that it holds this build's fragments;
        None when the pack is better written whole (`to_bytes`)."""
        changed = {key: pair for key, pair in self.used.items() if self.found.get(key) != pair}
        if not appending_pays(self.stored, len(changed), len(self.used)):
            return None
        return pack_segment(changed) if changed else b""

    @staticmethod
    def from_bytes(data: bytes) -> DocumentMemo:
        """The fragments a pack holds (see `read_pack`); anything that is not a pack gives an empty memo."""
        raw, stored = read_pack(data)
        memo = DocumentMemo(stored=stored)
        for key, (block, operation) in raw.items():
            memo.found[key] = (block.decode("utf-8", "surrogatepass"), operation.decode("utf-8", "surrogatepass"))
        return memo


def read_pack(data: bytes) -> tuple[dict[str, tuple[bytes, bytes]], int]:
    """The fragments a pack holds, as UTF-8 (key -> (IR block, OpenAPI operation)), and how many entries
    it holds, superseded ones included. A segment cut short (a build killed while appending) and what
    follows it are left out."""
    found: dict[str, tuple[bytes, bytes]] = {}
    stored = 0
    position = 0
    while position < len(data):
        end_of_line = data.find(b"\n", position)
        if end_of_line < 0:
            break
        try:
            header = json.loads(data[position:end_of_line])
            if not isinstance(header, dict) or header.get("format") != PACK_FORMAT:
                break
            offset, entries = end_of_line + 1, {}
            for key, ir_size, openapi_size in header["entries"]:
                ir_end = offset + int(ir_size)
                end = ir_end + int(openapi_size)
                if end > len(data):
                    raise ValueError("cut short")
                entries[str(key)] = (data[offset:ir_end], data[ir_end:end])
                offset = end
        except (ValueError, TypeError, KeyError):
            break
        found.update(entries)
        stored += len(entries)
        position = offset
    return found, stored


def pack_segment(entries: Mapping[str, tuple[str, str] | tuple[bytes, bytes]]) -> bytes:
    """A pack segment: a JSON header line (keys and sizes), then the fragments as they are."""
    bodies = [part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
              for pair in entries.values() for part in pair]  # fmt: skip
    sizes = iter(len(body) for body in bodies)
    header = {"format": PACK_FORMAT, "entries": [[key, next(sizes), next(sizes)] for key in entries]}
    return b"".join([json.dumps(header).encode("ascii"), b"\n", *bodies])


# --- keys ---------------------------------------------------------------------------------------------

EndpointKey = Callable[[Endpoint], str]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def model_key(endpoint: Endpoint) -> str:
    """What an endpoint's fragments are made from, when nothing quicker is known about it."""
    return _digest(endpoint.model_dump_json())


def types_key(types: Types) -> str:
    """The OpenAPI operation objects refer to registry types (as $ref or inline): all of them, to be safe;
    and they are written by this code (the endpoint keys are digests of the scraper's output only)."""
    listing = [build_fingerprint(), *([name, t.model_dump_json()] for name, t in sorted(types.items()))]
    return _digest(json.dumps(listing))


# --- the documents ------------------------------------------------------------------------------------


@dataclass
class Documents:
    ir: str
    openapi: str
    # The skeletons the documents were filled from (None where one was written whole: see `Skeleton.fill`).
    ir_skeleton: Skeleton | None = None
    openapi_skeleton: Skeleton | None = None


def write_documents(ir: IR, memo: DocumentMemo | None = None, key: EndpointKey = model_key) -> Documents:
    """The IR file and the OpenAPI document of `ir`, reusing the memo's fragments where keys match."""
    from generator.ir.io import dump_ir

    memo = memo if memo is not None else DocumentMemo()
    types_key_ = types_key(ir.types)
    memo_keys: dict[str, str] = {}  # operation id -> memo key

    def ir_block(endpoint: Endpoint) -> str:
        memo_key = memo_keys[endpoint.operation_id] = f"{key(endpoint)}:{types_key_}"
        block, operation = memo.used.get(memo_key) or memo.found.get(memo_key) or ("", "")
        if not block:
            block = _ir_fragment(endpoint)
            memo.fresh += 1
        memo.used[memo_key] = (block, operation)
        return memo_key

    def operation_block(endpoint: Endpoint, types: Types) -> str:
        memo_key = memo_keys[endpoint.operation_id]
        block, operation = memo.used[memo_key]
        if not operation:  # endpoints without a path have none: asked for the callable ones only
            operation = _openapi_fragment(endpoint, types)
            memo.used[memo_key] = (block, operation)
        return memo_key

    ir_skeleton = _ir_skeleton(ir, ir_block)
    ir_text = ir_skeleton.fill(memo.used) if ir_skeleton is not None else None
    if ir_text is None:
        ir_text, ir_skeleton = dump_ir(ir), None
    openapi_skeleton = _openapi_skeleton(ir, operation_block)
    openapi_text = openapi_skeleton.fill(memo.used)
    if openapi_text is None:
        return Documents(ir_text, dump_openapi(to_openapi(ir)), ir_skeleton, None)
    return Documents(ir_text, openapi_text, ir_skeleton, openapi_skeleton)


def fragments_of(endpoint: Endpoint, types: Types) -> tuple[str, str]:
    """An endpoint's IR block and OpenAPI operation (none without a path), as `write_documents` writes them."""
    return _ir_fragment(endpoint), _openapi_fragment(endpoint, types) if endpoint.path else ""


def _ir_fragment(endpoint: Endpoint) -> str:
    return _indented(indented_model_json(endpoint, _IR_INDENT, exclude_defaults=True), _FRAGMENT_INDENT[0])


def _openapi_fragment(endpoint: Endpoint, types: Types) -> str:
    return _indented(indented_json(operation_object(endpoint, types), _OPENAPI_INDENT), _FRAGMENT_INDENT[1])


def _indented(text: str, indent: int) -> str:
    """JSON written at the top level, as it reads nested `indent` spaces deep (strings hold no newline)."""
    return text.replace("\n", "\n" + " " * indent)


def _ir_skeleton(ir: IR, block: Callable[[Endpoint], str]) -> Skeleton | None:
    """What `dump_ir` writes, with a placeholder for each endpoint's block (`block` files it under a
    key); None without endpoints (then there is nothing to splice)."""
    ordered = ir.model_copy(
        update={
            "endpoints": sorted(ir.endpoints, key=lambda e: e.operation_id),
            "types": dict(sorted(ir.types.items())),
        }
    )
    if not ordered.endpoints:
        return None
    skeleton = Skeleton(part=0)
    lead = {
        "ir_version": ir.ir_version,
        "generator": ir.generator,
        "endpoints": [skeleton.add(block(endpoint)) for endpoint in ordered.endpoints],
    }
    rest = ordered.model_copy(update={"endpoints": []})
    skeleton.text = indented_model_json(rest, _IR_INDENT, lead=lead, exclude_defaults=True)
    return skeleton


def _openapi_skeleton(ir: IR, operation: Callable[[Endpoint, Types], str]) -> Skeleton:
    """What `dump_openapi(to_openapi(ir))` writes, with a placeholder for each operation object."""
    skeleton = Skeleton(part=1)
    document = to_openapi(ir, operation=lambda endpoint, types: skeleton.add(operation(endpoint, types)))
    skeleton.text = indented_json(document, _OPENAPI_INDENT)
    return skeleton


def keys_from_digests(digests: Mapping[int, tuple[Endpoint, str]], fallback: EndpointKey = model_key) -> EndpointKey:
    """Endpoint keys from the digests of the JSON the endpoints were read from (see render.units), plus
    what assembling the IR changed in them; `fallback` for endpoints not read that way."""
    from generator.render.units import endpoint_part

    def key(endpoint: Endpoint) -> str:
        known = digests.get(id(endpoint))
        if known is None or known[0] is not endpoint:
            return fallback(endpoint)
        return _digest(json.dumps([endpoint.group, *endpoint_part(endpoint, known[1])]))

    return key
