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

from generator.ir.model import IR, Endpoint
from generator.jsonout import indented_json, indented_model_json
from generator.openapi import Types, dump_openapi, operation_object, to_openapi

PACK_FORMAT = 1
_SPACES = re.compile(" *")
_IR_INDENT, _OPENAPI_INDENT = 1, 2


# --- splicing ---------------------------------------------------------------------------------------


class _Placeholders:
    """Unique strings standing in for fragments while the rest of a document is written."""

    def __init__(self) -> None:
        self._nonce = secrets.token_hex(8)
        self.fragments: list[str] = []

    def add(self, fragment: str) -> str:
        self.fragments.append(fragment)
        return f"\x00{self._nonce} {len(self.fragments) - 1}\x00"

    def splice(self, text: str) -> str | None:
        """`text` with each placeholder replaced by its fragment, indented like the line it stands on;
        None unless each placeholder is found exactly once."""
        found = list(re.finditer(r'"\\u0000' + self._nonce + r' (\d+)\\u0000"', text))
        if sorted(int(match.group(1)) for match in found) != list(range(len(self.fragments))):
            return None
        pieces: list[str] = []
        position = 0
        for match in found:
            line_start = text.rfind("\n", 0, match.start()) + 1
            indent = _SPACES.match(text, line_start).end() - line_start  # type: ignore[union-attr]
            fragment = self.fragments[int(match.group(1))]
            pieces += [text[position : match.start()], fragment.replace("\n", "\n" + " " * indent)]
            position = match.end()
        pieces.append(text[position:])
        return "".join(pieces)


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
        return _segment(self.used)

    def appendix(self) -> bytes | None:
        """What to append to the pack this memo was read from so that it holds this build's fragments;
        None when the pack is better written whole (`to_bytes`)."""
        changed = {key: pair for key, pair in self.used.items() if self.found.get(key) != pair}
        if not self.found or self.stored + len(changed) > 2 * len(self.used):
            return None
        return _segment(changed) if changed else b""

    @staticmethod
    def from_bytes(data: bytes) -> DocumentMemo:
        """The fragments a pack holds; a segment cut short (a build killed while appending) and what
        follows it are left out; anything that is not a pack gives an empty memo."""
        memo = DocumentMemo()
        while data:
            line, _, rest = data.partition(b"\n")
            try:
                header = json.loads(line)
                if not isinstance(header, dict) or header.get("format") != PACK_FORMAT:
                    break
                offset, entries = 0, {}
                for key, ir_size, openapi_size in header["entries"]:
                    ir_end = offset + int(ir_size)
                    end = ir_end + int(openapi_size)
                    if end > len(rest):
                        raise ValueError("cut short")
                    entries[str(key)] = (
                        rest[offset:ir_end].decode("utf-8", "surrogatepass"),
                        rest[ir_end:end].decode("utf-8", "surrogatepass"),
                    )
                    offset = end
            except (ValueError, TypeError, KeyError):
                break
            memo.found.update(entries)
            memo.stored += len(entries)
            data = rest[offset:]
        return memo


def _segment(entries: dict[str, tuple[str, str]]) -> bytes:
    bodies = [part.encode("utf-8", "surrogatepass") for pair in entries.values() for part in pair]
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


def _types_key(types: Types) -> str:
    """The OpenAPI operation objects refer to registry types (as $ref or inline): all of them, to be safe."""
    return _digest(json.dumps([[name, t.model_dump_json()] for name, t in sorted(types.items())]))


# --- the documents ------------------------------------------------------------------------------------


@dataclass
class Documents:
    ir: str
    openapi: str


def write_documents(ir: IR, memo: DocumentMemo | None = None, key: EndpointKey = model_key) -> Documents:
    """The IR file and the OpenAPI document of `ir`, reusing the memo's fragments where keys match."""
    memo = memo if memo is not None else DocumentMemo()
    types_key = _types_key(ir.types)
    keys: dict[str, str] = {}  # operation id -> memo key

    def entry(endpoint: Endpoint) -> tuple[str, tuple[str, str]]:
        memo_key = keys.get(endpoint.operation_id)
        if memo_key is None:
            memo_key = keys[endpoint.operation_id] = f"{key(endpoint)}:{types_key}"
        found = memo.used.get(memo_key) or memo.found.get(memo_key) or ("", "")
        memo.used[memo_key] = found
        return memo_key, found

    def ir_block(endpoint: Endpoint) -> str:
        memo_key, (block, operation) = entry(endpoint)
        if not block:
            block = indented_model_json(endpoint, _IR_INDENT, exclude_defaults=True)
            memo.used[memo_key] = (block, operation)
            memo.fresh += 1
        return block

    def operation_block(endpoint: Endpoint, types: Types) -> str:
        memo_key, (block, operation) = entry(endpoint)
        if not operation:  # endpoints without a path have none: asked for the callable ones only
            operation = indented_json(operation_object(endpoint, types), _OPENAPI_INDENT)
            memo.used[memo_key] = (block, operation)
        return operation

    return Documents(_ir_text(ir, ir_block), _openapi_text(ir, operation_block))


def _ordered(ir: IR) -> IR:
    return ir.model_copy(
        update={
            "endpoints": sorted(ir.endpoints, key=lambda e: e.operation_id),
            "types": dict(sorted(ir.types.items())),
        }
    )


def _ir_text(ir: IR, block: Callable[[Endpoint], str]) -> str:
    """`dump_ir(ir)`, with the endpoints' blocks spliced in."""
    from generator.ir.io import dump_ir

    ordered = _ordered(ir)
    if not ordered.endpoints:
        return dump_ir(ir)
    placeholders = _Placeholders()
    lead = {
        "ir_version": ir.ir_version,
        "generator": ir.generator,
        "endpoints": [placeholders.add(block(endpoint)) for endpoint in ordered.endpoints],
    }
    rest = ordered.model_copy(update={"endpoints": []})
    text = placeholders.splice(indented_model_json(rest, _IR_INDENT, lead=lead, exclude_defaults=True))
    return text + "\n" if text is not None else dump_ir(ir)


def _openapi_text(ir: IR, operation: Callable[[Endpoint, Types], str]) -> str:
    """`dump_openapi(to_openapi(ir))`, with the operation objects spliced in."""
    placeholders = _Placeholders()
    document = to_openapi(ir, operation=lambda endpoint, types: placeholders.add(operation(endpoint, types)))
    text = placeholders.splice(indented_json(document, _OPENAPI_INDENT))
    return text + "\n" if text is not None else dump_openapi(to_openapi(ir))


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

