"""The SDK's reference in Markdown: `api.md` (every group and method, Stainless' `api.md` shape) and one
page per group (`reference/<group>.md`: each method's signature, arguments, returned model, example).

A group's page is rendered with the group (a render unit of its own), `api.md` from the groups'
summaries with the other package-wide files, so an incremental build keeps both right. Every name,
type and escape is decided here; the templates only lay the values out. Page text goes through
`markdown_text` (no HTML, links or emphasis of its own), code through fences longer than its backticks.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

from generator.render.escape import code_fence, code_span, markdown_text, plain_text
from generator.render.operations import OperationPlan
from generator.render.plan import GroupPlan
from generator.render.templating import render
from generator.render.types import ClassDef, FieldDef
from generator.render.units import GroupSummary, OperationSummary

REFERENCE_DIR = "reference"  # beside README.md: reference/<group attr>.md
_EXAMPLE_WIDTH = 100


def reference_path(attr: str) -> str:
    return f"{REFERENCE_DIR}/{attr}.md"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _shown_type(fdef: FieldDef) -> str:
    """The annotation as a reader wants it: `str | None`, without the validation wrapper of lenient unions."""
    text = fdef.ann.text
    return text if fdef.required or text == "Any" else f"{text} | None"


def _description(lines: tuple[str, ...] | list[str]) -> str:
    return markdown_text(" ".join(lines)) or "No description on the page."


@dataclass(frozen=True)
class _Links:
    """Where the classes a group page mentions are defined, as links relative to the page."""

    package: str
    class_module: Mapping[str, str]  # exported class -> module below the package
    local_module: str  # the group's models module, which defines its anonymous classes too

    def module(self, cls: str) -> str:
        return self.class_module.get(cls, self.local_module)

    def link(self, cls: str) -> str:
        return f"[{code_span(cls)}](../{self.package}/{self.module(cls).replace('.', '/')}.py)"


def _signature(group: GroupPlan, op: OperationPlan) -> list[str]:
    head = f"client.{group.attr}.{op.method_name}("
    if not op.params:
        return [f"{head}) -> {op.response_class}"]
    lines = [head, "    *,"]
    for p in op.signature_params:
        default = "" if p.field.required else " = None"
        lines.append(f"    {p.argument}: {_shown_type(p.field)}{default},")
    return [*lines, f") -> {op.response_class}"]


def _example(group: GroupPlan, op: OperationPlan, links: _Links) -> list[str]:
    """The call with its required arguments (the generated test's values), and what they import."""
    required = [p for p in op.signature_params if p.field.required]
    imports = sorted({item for p in required for item in p.sample.imports if not item.startswith("class:")})
    lines = [f"import {module}" for module in imports]
    by_module: dict[str, list[str]] = {}
    for item in sorted({item for p in required for item in p.sample.imports if item.startswith("class:")}):
        cls = item.removeprefix("class:")
        by_module.setdefault(f"{links.package}.{links.module(cls)}", []).append(cls)
    lines += [f"from {module} import {', '.join(names)}" for module, names in sorted(by_module.items())]
    lines += [""] if lines else []
    call = f"result = client.{group.attr}.{op.method_name}("
    arguments = [f"{p.argument}={p.sample.source}" for p in required]
    if len(call) + len(", ".join(arguments)) + 1 <= _EXAMPLE_WIDTH:
        return [*lines, f"{call}{', '.join(arguments)})"]
    return [*lines, call, *(f"    {argument}," for argument in arguments), ")"]


def _returned(op: OperationPlan, classes: Mapping[str, ClassDef], links: _Links) -> dict[str, object]:
    cls = classes.get(op.response_class)
    fields = cls.fields if cls is not None else []
    mentioned = sorted({name for f in fields for name in f.ann.classes})
    return {
        "link": links.link(op.response_class),
        "fields": [
            {
                "name": code_span(f.attr),
                "type": code_span(_shown_type(f), in_table=True),
                "text": _description(f.description),
            }
            for f in fields
        ],
        "models": ", ".join(links.link(name) for name in mentioned),
    }


def _operation_view(
    group: GroupPlan, op: OperationPlan, classes: Mapping[str, ClassDef], links: _Links
) -> dict[str, object]:
    signature, example = _signature(group, op), _example(group, op, links)
    return {
        "method": op.method_name,
        "title": markdown_text(op.title) or markdown_text(op.operation_id),
        "http": code_span(f"{op.http_method} {op.path}"),
        "http_cell": code_span(f"{op.http_method} {op.path}", in_table=True),
        "operation_id": code_span(op.operation_id) if plain_text(op.title) != op.operation_id else "",
        "signature": signature,
        "signature_fence": code_fence("\n".join(signature)),
        "arguments": [
            {
                "name": code_span(p.argument),
                "type": code_span(_shown_type(p.field), in_table=True),
                "required": "yes" if p.field.required else "no",
                "text": _description(p.description),
            }
            for p in op.signature_params
        ],
        "returns": _returned(op, classes, links),
        "example": example,
        "example_fence": code_fence("\n".join(example)),
    }


def group_reference(group: GroupPlan, package: str, class_module: Mapping[str, str]) -> str:
    """`reference/<attr>.md`: the group's methods, each with all a caller needs to know."""
    links = _Links(package, class_module, group.models.module)
    classes = {cls.name: cls for cls in group.models.classes}
    return render(
        "reference_group.md.j2",
        title=markdown_text(group.name),
        attr=code_span(f"client.{group.attr}"),
        count=_plural(len(group.operations), "operation"),
        labels=", ".join(f'"{markdown_text(label)}"' for label in group.labels if label != group.name),
        api_link=f"[{code_span(group.api_class)}](../{package}/api/{group.attr}.py)",
        operations=[_operation_view(group, op, classes, links) for op in group.operations],
    )


def _index_line(group: GroupSummary, op: OperationSummary) -> str:
    """One method as Stainless lists it: `client.<group>.<method>(required, ...) -> Response`, linked."""
    required = [a.argument for a in op.arguments if a.required]
    optional = any(not a.required for a in op.arguments)
    shown = ["*", *required, *(["..."] if optional else [])] if op.arguments else []
    title = html.escape(plain_text(f"{op.http_method} {op.path}"), quote=True)
    target = f"{reference_path(group.attr)}#{op.method_name}"
    return (
        f'<code title="{title}">client.{group.attr}.<a href="{target}">{op.method_name}</a>'
        f"({', '.join(shown)}) -&gt; {op.response_class}</code>"
    )


def api_index(package: str, groups: list[GroupSummary]) -> str:
    """`api.md`: every group and method of the SDK, each linking to its group's page."""
    operations = sum(len(g.operations) for g in groups)
    views = [
        {
            "title": markdown_text(g.name),
            "attr": code_span(f"client.{g.attr}"),
            "attr_cell": code_span(f"client.{g.attr}", in_table=True),
            "page": reference_path(g.attr),
            "count": _plural(len(g.operations), "operation"),
            "operations": len(g.operations),
            "labels": ", ".join(f'"{markdown_text(label)}"' for label in g.labels if label != g.name),
            "methods": [_index_line(g, op) for op in g.operations],
        }
        for g in groups
    ]
    return render(
        "api.md.j2",
        distribution=package.replace("_", "-"),
        package=package,
        counts=f"{_plural(operations, 'operation')} in {_plural(len(groups), 'group')}",
        groups=views,
    )


__all__ = ["REFERENCE_DIR", "api_index", "group_reference", "reference_path"]
