"""What a patch build (patch.py) starts from: the edited pages' results, whether each still reads as the
same operation to everything outside it (its `projection`), and the endpoints of their groups assembled
as the full build would assemble them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.build.cache import BuildCache
from generator.build.keys import entry_digest, scrape_key
from generator.build.pages import PageFile, ScrapeEntry
from generator.build.scrape import from_entry, store
from generator.build.snapshot import PageRecord, Snapshot

if TYPE_CHECKING:
    from collections.abc import Mapping

    from generator.ir.model import Endpoint, NamedType


def projection(endpoint: Endpoint) -> str:
    """What of an endpoint anything outside its own operation reads: ranking duplicates (operation id,
    layout, warnings, page), groups and paths, the OpenAPI path keys (method, path, body wrapper), the
    registry types and their inference (response fields, query flag). Not the response fields' lines:
    the registry records them only for the pages in `Snapshot.lined_files`."""
    wrapper = endpoint.body.wrapper if endpoint.body is not None else None
    parts = [
        endpoint.operation_id,
        endpoint.layout,
        len(endpoint.warnings),
        endpoint.source.file,
        endpoint.group,
        endpoint.path,
        endpoint.method,
        wrapper,
        endpoint.is_query,
        _without_lines(endpoint.response.model_dump(mode="json")),
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def response_lines(endpoint: Endpoint) -> list[int | None]:
    """The lines of the response fields and of what decided their element types, depth first."""
    lines: list[int | None] = []
    pending = list(reversed(endpoint.response.fields))
    while pending:
        node = pending.pop()
        lines.append(node.source.line if node.source is not None else None)
        evidence = node.element_source.source if node.element_source is not None else None
        lines.append(evidence.line if evidence is not None else None)
        pending.extend(reversed(node.children))
    return lines


def _without_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (v.get("file") if k == "source" and isinstance(v, dict) else _without_lines(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_without_lines(item) for item in value]
    return value


@dataclass
class PageChange:
    """An edited page a patch build takes."""

    page: PageFile
    old: PageRecord
    endpoint: Endpoint  # as scraped now
    entry: str  # digest of its JSON
    scraped: bool  # parsed by this build (not found in the scrape cache)


def patchable_changes(
    cache: BuildCache,
    pages: list[PageFile],
    changed: list[PageFile],
    snapshot: Snapshot,
    found: tuple[list[ScrapeEntry], list[int], list[tuple[str, str, str]]],
) -> list[PageChange] | None:
    """The changed pages' results (cached ones, `found`, and those scraped now, cached now), if each is
    still the same operation to everything else."""
    from generator.ir.model import Endpoint

    entries, missing, scraped = found
    kept = {scrape_key(page) for page in pages}
    store(changed, entries, missing, scraped, cache, kept)
    cache.scrapes.save(kept)
    result: list[PageChange] = []
    for index, (page, entry) in enumerate(zip(changed, entries, strict=True)):
        old = snapshot.pages[page.name]
        before = cache.scrapes.peek(scrape_key(PageFile(page.path, page.name, old.digest)))
        previous = from_entry(before) if before is not None and old.kind == "endpoint" and old.kept else None
        now = from_entry(entry)
        if not (isinstance(previous, Endpoint) and isinstance(now, Endpoint) and now.group):
            return None
        if projection(now) != projection(previous):
            return None
        if page.name in snapshot.lined_files and response_lines(now) != response_lines(previous):
            return None  # the registry records these lines (a type's sources, a conflict): the IR changes
        result.append(PageChange(page, old, now, entry_digest(entry), index in missing))
    return result


def assembled_groups(
    snapshot: Snapshot,
    changes: list[PageChange],
    fragments: Mapping[str, tuple[bytes, bytes]],
    types: dict[str, NamedType],
) -> tuple[dict[str, list[Endpoint]], dict[int, tuple[Endpoint, str]]] | None:
    """The endpoints of the changed groups as the full build would assemble them: the unchanged ones as
    the last build left them (their IR blocks), the changed ones as scraped now with the response the
    last build assembled for them (inferred element types: the same, as the projection is)."""
    from generator.ir.model import Endpoint

    page_of = {record.operation: name for name, record in snapshot.pages.items() if record.kept}
    changed = {change.endpoint.operation_id: change for change in changes}
    by_group: dict[str, list[Endpoint]] = {}
    digests: dict[int, tuple[Endpoint, str]] = {}
    group_of: dict[str, str] = snapshot.names.get("group_of", {})  # documented label -> SDK group
    if not all(change.endpoint.group in group_of for change in changes):
        return None
    for group in sorted({group_of[change.endpoint.group] for change in changes}):
        endpoints: list[Endpoint] = []
        for operation in snapshot.groups.get(group, []):
            fragment = fragments.get(snapshot.fragments.get(operation, ""))
            if fragment is None or operation not in page_of:
                return None
            previous = Endpoint.model_validate_json(fragment[0])
            change = changed.get(operation)
            if change is None:
                endpoint, digest = previous, snapshot.pages[page_of[operation]].entry
            else:
                endpoint, digest = with_inferences(change.endpoint, previous, types), change.entry
            endpoints.append(endpoint)
            digests[id(endpoint)] = (endpoint, digest)
        by_group[group] = endpoints
    if not all(operation in {e.operation_id for es in by_group.values() for e in es} for operation in changed):
        return None
    return by_group, digests


def with_inferences(scraped: Endpoint, assembled: Endpoint, types: dict[str, NamedType]) -> Endpoint:
    """`scraped` as assembling the IR leaves it: the element types the registry matched in `assembled`
    (the projections are equal, so the response fields are the same, lines aside; the evidence's line is
    the field's own), then what needs the registry (`link_elements`, run on the same types)."""
    from generator.scrape.elements import link_elements
    from generator.scrape.registry import REGISTRY_SHAPE

    endpoint = scraped.model_copy(deep=True)
    pending = list(zip(endpoint.response.fields, assembled.response.fields, strict=True))
    while pending:
        node, done = pending.pop()
        if done.element_source is not None and done.element_source.rule == REGISTRY_SHAPE:
            node.ref, node.element_type = done.ref, done.element_type
            node.element_type_inferred = done.element_type_inferred
            node.element_source = done.element_source.model_copy(update={"source": node.source})
        pending.extend(zip(node.children, done.children, strict=True))
    link_elements(endpoint, types)
    return endpoint

