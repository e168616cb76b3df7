"""The registry: one description per named type, with everything any page says of it, whatever the order
of the pages; a diagnostic where two pages disagree."""

from __future__ import annotations

import random

from generator.ir.model import Endpoint, Kind, Response, ResponseField, Source
from generator.scrape import assemble_ir
from generator.scrape.registry import build_types
from tests.scrape.test_corpus import NAMES, scraped


def _field(name: str, type_name: str = "String", kind: Kind = Kind.STRING, **extra: object) -> ResponseField:
    return ResponseField(name=name, type=type_name, kind=kind, **extra)  # type: ignore[arg-type]


def _page(operation: str, *fields: ResponseField) -> Endpoint:
    pending, line = list(fields), 20
    while pending:
        node = pending.pop(0)
        node.source, line = Source(file=f"{operation}.html", line=line), line + 1
        pending[:0] = node.children
    return Endpoint(
        operation_id=operation,
        title=operation,
        group="Image Operations",
        method="GET",
        path=f"/zstack/v1/{operation.lower()}",
        response=Response(block="tree", fields=list(fields)),
        source=Source(file=f"{operation}.html"),
    )


def _image(*fields: ResponseField) -> ResponseField:
    return _field("inventory", "ImageInventory", Kind.OBJECT, ref="ImageInventory", children=list(fields))


def _refs(*children: ResponseField) -> ResponseField:
    return _field("backupStorageRefs", "List", Kind.LIST, children=list(children))


def test_fields_children_and_element_types_come_from_whichever_page_shows_them() -> None:
    pages = [
        _page("AddImage", _image(_field("uuid"), _refs())),  # backupStorageRefs without its fields
        _page("RecoverImage", _image(_field("uuid"), _refs(_field("imageUuid"), _field("installPath")))),
        _page("SyncImage", _image(_field("name"), _field("tags", "List", Kind.LIST, element_type="String"))),
        _page("UpdateImage", _image(_field("tags", "List", Kind.LIST), _refs(_field("status")))),
    ]
    types, notes = build_types(pages)
    image = types["ImageInventory"]
    assert [f.name for f in image.fields] == ["uuid", "backupStorageRefs", "name", "tags"]
    refs = image.fields[1]
    assert [c.name for c in refs.children] == ["imageUuid", "installPath", "status"]
    assert image.fields[3].element_type == "String"
    assert image.used_by == ["AddImage", "RecoverImage", "SyncImage", "UpdateImage"]
    assert notes == []


def test_two_pages_that_disagree_on_a_fields_type_give_a_diagnostic() -> None:
    pages = [
        _page("AddImage", _image(_field("size", "Long", Kind.INTEGER))),
        _page("RecoverImage", _image(_field("size", "String"), _field("tags", "List", Kind.LIST, element_type="Long"))),
        _page("SyncImage", _image(_field("tags", "List", Kind.LIST, element_type="String"))),
    ]
    types, notes = build_types(pages)
    assert types["ImageInventory"].fields[0].type == "Long"  # the first page, by operation id
    assert [n.code for n in notes] == ["type-conflict", "type-conflict"]
    assert (
        "ImageInventory.size is Long (integer) on AddImage.html but String (string) on RecoverImage" in notes[0].message
    )
    assert notes[0].source == Source(file="RecoverImage.html", line=21)
    assert "the elements of ImageInventory.tags are Long on AddImage.html but String on SyncImage" in notes[1].message


def test_an_enum_stays_an_enum_whatever_page_comes_first_and_keeps_the_fields_a_page_shows() -> None:
    def state(*children: ResponseField, kind: Kind = Kind.OBJECT) -> ResponseField:
        return _field("state", "LongJobState", kind, ref="LongJobState", children=list(children))

    as_object = _page("AJob", state(_field("name"), _field("ordinal", "int", Kind.INTEGER)))
    as_enum = _page("BJob", state(kind=Kind.ENUM))
    as_enum.response.fields[0].enum_values = ["Running", "Failed"]
    for pages in ([as_object, as_enum], [as_enum, as_object]):
        types, notes = build_types([p.model_copy(deep=True) for p in pages])
        named = types["LongJobState"]
        assert (named.kind, named.enum_values, [f.name for f in named.fields]) == (
            "enum",
            ["Running", "Failed"],
            ["name", "ordinal"],
        )
        assert [n.message for n in notes] == [
            "type LongJobState is an enum on BJob.html but an object on AJob; keeping the enum "
            "(and the fields that page shows)"
        ]


def _corpus_results(count: int) -> list[Endpoint]:
    html = scraped("html")
    chosen = [n for i, n in enumerate(NAMES) if "Image" in n or "LongJob" in n or "Task" in n or i % 12 == 0][:count]
    return [html[n] for n in chosen if isinstance(html[n], Endpoint)]  # type: ignore[misc]


def test_the_ir_does_not_depend_on_the_order_of_the_pages() -> None:
    results = _corpus_results(120)
    assert len(results) > 60
    expected = assemble_ir([r.model_copy(deep=True) for r in results]).ir.model_dump_json()
    rng = random.Random(13)
    for _ in range(3):
        shuffled = [r.model_copy(deep=True) for r in results]
        rng.shuffle(shuffled)
        assert assemble_ir(shuffled).ir.model_dump_json() == expected
