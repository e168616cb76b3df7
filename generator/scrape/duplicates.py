"""Two pages that say they are one API. The same API in two renderings (its HTML and its text) is
normal: one is kept, the other noted. Two pages that disagree on what the API is (method, path,
parameters, body wrapper) are a doc bug or a misnamed file: the diagnostic names both files, the one
kept, and why, so a wrong page never silently replaces the right one."""

from __future__ import annotations

from collections.abc import Iterator

from generator.ir.model import Diagnostic, Endpoint
from generator.scrape.families import merge_families

_LAYOUT_RANK = {"html": 0, "bulleted": 1, "newer": 2, "flat": 3, "devguide-html": 4, "devguide-text": 5}
_RANKING = "HTML before bulleted text before the newer layout before flat text, then fewer warnings, then file name"


def resolve_duplicates(endpoints: list[Endpoint]) -> tuple[list[Endpoint], list[Diagnostic]]:
    """One endpoint per operation id. Within a family the best-ranked page is kept and the others noted;
    an API documented by both families is the explorer's page merged with the Dev Guide's (families.py)."""
    by_id: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        by_id.setdefault(endpoint.operation_id, []).append(endpoint)
    kept: list[Endpoint] = []
    notes: list[Diagnostic] = []
    for operation_id, group in sorted(by_id.items()):
        group.sort(key=lambda e: (_LAYOUT_RANK.get(e.layout, 9), len(e.warnings), e.source.file))
        explorer = [e for e in group if e.family == "explorer"]
        guide = [e for e in group if e.family != "explorer"]
        winner = (explorer or guide)[0]
        notes += [_note(operation_id, winner, other) for other in (explorer or guide)[1:]]
        if explorer and guide:
            notes += [_note(operation_id, guide[0], other) for other in guide[1:]]
            winner, disagreements = merge_families(winner, guide[0])
            notes += disagreements
        kept.append(winner)
    return kept, notes


def _note(operation_id: str, winner: Endpoint, other: Endpoint) -> Diagnostic:
    differences = list(shape_differences(winner, other))
    if not differences:
        return Diagnostic(
            code="duplicate-operation",
            message=f"{operation_id} is also documented here; using {winner.source.file}",
            source=other.source,
        )
    return Diagnostic(
        code="conflicting-duplicate",
        message=(
            f"{operation_id} is claimed by two pages that disagree ({'; '.join(differences)}): "
            f"using {winner.source.file}, leaving out {other.source.file} (pages are ranked {_RANKING}); "
            "one of them is stale or holds another API"
        ),
        source=other.source,
    )


def shape_differences(a: Endpoint, b: Endpoint) -> Iterator[str]:
    """What makes two pages different APIs to a client, in words, A's value first."""
    if (a.method, a.path) != (b.method, b.path):
        yield f"{a.method} {a.path or '?'} vs {b.method} {b.path or '?'}"
    wrapper_a, wrapper_b = _wrapper(a), _wrapper(b)
    if wrapper_a != wrapper_b:
        yield f"body wrapper {wrapper_a or 'none'} vs {wrapper_b or 'none'}"
    params_a, params_b = _params(a), _params(b)
    only_a, only_b = sorted(params_a.keys() - params_b.keys()), sorted(params_b.keys() - params_a.keys())
    if only_a:
        yield "parameters only in the first: " + ", ".join(only_a)
    if only_b:
        yield "parameters only in the second: " + ", ".join(only_b)
    required = sorted(name for name in params_a.keys() & params_b.keys() if params_a[name] != params_b[name])
    if required:
        yield "required differs for: " + ", ".join(required)


def _wrapper(endpoint: Endpoint) -> str | None:
    return endpoint.body.wrapper if endpoint.body is not None else None


def _params(endpoint: Endpoint) -> dict[str, bool]:
    return {param.name: param.required for param in endpoint.all_params()}
