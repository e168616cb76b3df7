"""The IR and OpenAPI files spliced from per-operation fragments: the same bytes as written whole."""

from __future__ import annotations

import pytest

import generator.build.documents as documents_module
from generator.build.documents import DocumentMemo, write_documents
from generator.ir.io import dump_ir
from generator.ir.model import IR
from generator.openapi import dump_openapi, to_openapi
from generator.scrape import scrape_paths
from tests.conftest import ROOT
from tests.render.builders import endpoint, error_code_type, error_field, field, ir_of, param


@pytest.fixture(scope="module")
def corpus_ir() -> IR:
    return scrape_paths(sorted((ROOT / "input_docs" / "pages").glob("*.html"))[::25]).ir


def _whole(ir: IR) -> tuple[str, str]:
    return dump_ir(ir), dump_openapi(to_openapi(ir))


def _spliced(ir: IR, memo: DocumentMemo | None = None) -> tuple[str, str]:
    written = write_documents(ir, memo)
    return written.ir, written.openapi


def test_real_pages_give_the_bytes_of_the_whole_document_writers(corpus_ir: IR) -> None:
    assert _spliced(corpus_ir) == _whole(corpus_ir)
    written = write_documents(corpus_ir)
    assert written.ir_skeleton is not None and written.openapi_skeleton is not None  # spliced, not written whole


@pytest.mark.parametrize(
    "ir",
    [
        IR(),
        ir_of(endpoint("Uncallable", path="")),  # no path: in the IR, not in OpenAPI
        ir_of(
            endpoint("A", params=[param("n", description='quote " backslash \\ nul \x00 tab \t é 中')]),
            endpoint("B", method="GET", fields=[field("x", description="\u2028 line separator")]),
            types=[error_code_type()],
        ),
        ir_of(endpoint("Floats", example={"tiny": 1e-7, "nan": float("nan"), "big": 10**30})),
    ],
    ids=["empty", "uncallable", "odd-text", "floats"],
)
def test_edge_cases_give_the_bytes_of_the_whole_document_writers(ir: IR) -> None:
    assert _spliced(ir) == _whole(ir)


def test_a_memo_reuses_every_unchanged_fragment(corpus_ir: IR) -> None:
    memo = DocumentMemo()
    first = _spliced(corpus_ir, memo)
    assert memo.fresh == len(corpus_ir.endpoints)
    again = DocumentMemo.from_bytes(memo.to_bytes())
    assert _spliced(corpus_ir, again) == first and again.fresh == 0
    edited = corpus_ir.model_copy(deep=True)
    edited.endpoints[2].title += " (edited)"
    after = DocumentMemo.from_bytes(memo.to_bytes())
    assert _spliced(edited, after) == _whole(edited)
    assert after.fresh == 1


def test_packs_take_appended_segments_and_survive_a_cut_short_one(corpus_ir: IR) -> None:
    memo = DocumentMemo()
    _spliced(corpus_ir, memo)
    pack = memo.to_bytes()
    edited = corpus_ir.model_copy(deep=True)
    edited.endpoints[0].title += " (edited)"
    later = DocumentMemo.from_bytes(pack)
    _spliced(edited, later)
    appendix = later.appendix()
    assert appendix  # one changed entry: appended, not rewritten
    grown = DocumentMemo.from_bytes(pack + appendix)
    assert grown.stored == len(memo.used) + 1
    assert _spliced(edited, grown) == _whole(edited) and grown.fresh == 0
    cut = DocumentMemo.from_bytes(pack + appendix[:-5])
    assert cut.found == DocumentMemo.from_bytes(pack).found  # the cut segment is left out, the rest kept
    assert DocumentMemo.from_bytes(b"not a pack").found == {}


def test_a_mostly_stale_pack_is_written_whole(corpus_ir: IR) -> None:
    memo = DocumentMemo()
    _spliced(corpus_ir, memo)
    smaller = corpus_ir.model_copy(update={"endpoints": corpus_ir.endpoints[:3]})
    later = DocumentMemo.from_bytes(memo.to_bytes())
    _spliced(smaller, later)
    assert later.appendix() is None


def test_page_text_that_looks_like_a_placeholder_falls_back_to_the_whole_document(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(documents_module.secrets, "token_hex", lambda n: "0123456789abcdef")
    lookalike = "\x000123456789abcdef 0\x00"  # what the first placeholder is, as page text
    shared = error_code_type()
    shared.fields[0].description = lookalike  # the IR's types section is written around the fragments
    ir = ir_of(endpoint("A", group=lookalike, fields=[error_field()]), endpoint("B"), types=[shared])
    assert lookalike in to_openapi(ir)["tags"][0]["name"]  # and so are OpenAPI's tags
    assert _spliced(ir) == _whole(ir)
