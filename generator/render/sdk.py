"""Render the SDK: plan -> {relative path: file text}, every .py black-formatted and compile()-checked.

Nothing is written here; `generator.render.output` swaps the whole tree into place. Rendering the
same IR twice gives the same bytes: everything is sorted, nothing depends on time or environment.
"""

from __future__ import annotations

import ast
import html
import keyword
import re
from collections import ChainMap
from collections.abc import Container, Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from typing import Any

from generator.errors import UsageError
from generator.ir.model import IR
from generator.release import DEFAULT_SDK_VERSION
from generator.render.emit import (
    call_lines,
    check_compiles,
    format_python,
    keep_format_memo,
    source_digest,
)
from generator.render.escape import doc_lines, json_text, plain_text, py_str
from generator.render.imports import import_lines, import_statement, isort_key, relative_module
from generator.render.operations import OperationPlan
from generator.render.output import MARKER_FILE
from generator.render.plan import GroupPlan, SdkNames, name_sdk, plan_group, plan_type_module
from generator.render.reference import api_index, group_reference, reference_path
from generator.render.templating import render
from generator.render.types import ClassDef, ModuleModels
from generator.render.units import (
    GroupSummary,
    OperationSummary,
    RecordingNames,
    RenderMemo,
    UnitKeys,
    UnitRecord,
    summarize_group,
)
from generator.resources import runtime_file, runtime_sources

DEFAULT_PACKAGE = "zstack_sdk"
_PACKAGE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_RUNTIME_TESTING = "testing.py"
PACKAGE_UNIT = "package"  # the memo's name for the unit of package-wide files (groups: "group:<name>")


@dataclass(frozen=True)
class RenderedSdk:
    files: dict[str, str]  # relative path -> text, sorted by path
    operations: int
    groups: int
    types: int
    names: SdkNames | None = None  # every name it gave (what a patch build renders with)


def check_package_name(name: str) -> str:
    if not _PACKAGE_NAME.match(name) or keyword.iskeyword(name) or name.startswith("__"):
        raise UsageError(f"invalid package name {name!r}: use lower-case letters, digits and underscores")
    return name


# --- models ---------------------------------------------------------------------------------------


def field_lines(cls: ClassDef) -> list[str]:
    """Field declarations, one physical line each (relative to the class body)."""
    lines: list[str] = []
    for f in cls.fields:
        args = f.field_args
        if args:
            lines += call_lines(f"{f.attr}: {f.annotation} = Field", args, indent=4)
        else:
            lines.append(f"{f.attr}: {f.annotation}")
    return lines


def _rebuild_names(classes: list[ClassDef]) -> list[str]:
    """Model classes to rebuild at the end: all of them once any refers to a class defined later."""
    defined: set[str] = set()
    local = {c.name for c in classes}
    forward = False
    for cls in classes:
        if (cls.dependencies() & local) - defined - {cls.name}:
            forward = True
        defined.add(cls.name)
    return [c.name for c in classes if not c.is_enum] if forward else []


def render_models(module: ModuleModels, doc: list[str], class_module: Mapping[str, str]) -> str:
    names: set[str] = set()
    for cls in module.classes:
        names |= cls.dependencies() | cls.helpers() | {cls.base}
        if any(f.field_args or f.ann.lenient_union for f in cls.fields):
            names.add("Field")
    names -= set(module.class_names())
    views = [
        {"name": c.name, "base": c.base, "doc": c.doc, "members": c.members, "field_lines": field_lines(c)}
        for c in module.classes
    ]
    text = render(
        "models_module.py.j2",
        doc=doc,
        imports=import_lines(module.module, names, class_module),
        classes=views,
        rebuild=_rebuild_names(module.classes),
    )
    return text


# --- API groups -----------------------------------------------------------------------------------


def _operation_view(op: OperationPlan) -> dict[str, object]:
    arguments = []
    for p in op.signature_params:
        default = "" if p.field.required else " = None"
        arguments.append({"argument": f"{p.argument}: {p.field.annotation}{default}"})
    return {
        "operation_id": op.operation_id,
        "method_name": op.method_name,
        "spec_name": op.spec_name,
        "http_method": op.http_method,
        "path": op.path,
        "wrapper": op.wrapper,
        "is_query": op.is_query,
        "auth": op.auth,
        "request_class": op.request_class,
        "response_class": op.response_class,
        "params": op.params,
        "signature_params": arguments,
        "doc": op.doc,
        "call_lines": {
            prefix: call_lines(
                f"return {'await ' if prefix else ''}self._transport.call",
                [op.spec_name, "request" if op.request_class else "None", op.response_class],
                indent=8,
            )
            for prefix in ("", "async ")
        },
    }


def render_api(group: GroupPlan, class_module: Mapping[str, str]) -> str:
    module = f"api.{group.attr}"
    names: set[str] = {"TYPE_CHECKING", "OperationSpec", "ParamSpec"}
    for op in group.operations:
        names.add(op.response_class)
        if op.request_class:
            names.add(op.request_class)
        for p in op.params:
            names |= set(p.field.ann.classes) | set(p.field.ann.helpers)
    text = render(
        "api_group.py.j2",
        doc=doc_lines(f"{group.name} (generated by sdkgen; do not edit)."),
        imports=import_lines(module, names, class_module),
        group=group,
        operations=[_operation_view(op) for op in group.operations],
        classes=[(group.api_class, "SyncTransport", ""), (group.async_class, "AsyncTransport", "async ")],
    )
    return text


def owners_of(group: GroupPlan) -> dict[str, str]:
    """Definitions in a group's modules -> the operation they belong to (for compile error messages)."""
    owners: dict[str, str] = dict(group.class_owner)
    for op in group.operations:
        owners[op.method_name] = op.operation_id
        owners[op.spec_name] = op.operation_id
        owners[op.response_class] = op.operation_id
        if op.request_class:
            owners[op.request_class] = op.operation_id
    return owners


# --- package files --------------------------------------------------------------------------------


def runtime_exports(runtime_init: Traversable) -> list[str]:
    """The runtime's `__all__`, re-exported lazily from the package root."""
    try:
        tree = ast.parse(runtime_init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            value = ast.literal_eval(node.value)
            if isinstance(value, list | tuple):
                return sorted(str(v) for v in value)
    return []


def _lazy_init(doc: list[str], module: str, exports: dict[str, str], extra_lines: list[str] | None = None) -> str:
    """A package `__init__` exporting `exports` (name -> module below the package) on first access."""
    source = f"{module}.__init__" if module else "__init__"
    relative = {name: relative_module(source, target) for name, target in exports.items()}
    by_module: dict[str, list[str]] = {}
    for name, target in relative.items():
        by_module.setdefault(target, []).append(name)
    type_imports = [
        (target, sorted(names, key=isort_key))
        for target, names in sorted(
            by_module.items(), key=lambda kv: (-(len(kv[0]) - len(kv[0].lstrip("."))), kv[0].lstrip("."))
        )
    ]
    return render(
        "lazy_init.py.j2",
        doc=doc,
        type_imports=type_imports,
        exports=sorted(relative.items()),
        extra_lines=extra_lines or [],
    )


def _runtime_files(package: str) -> dict[str, str]:
    """templates/runtime/*.py copied verbatim: `_runtime/` plus `testing.py` at the package root."""
    files: dict[str, str] = {}
    for name, text in runtime_sources():
        files[f"{package}/testing.py" if name == _RUNTIME_TESTING else f"{package}/_runtime/{name}"] = text
    return files


def fixture_file(op: OperationPlan) -> str:
    """`<Name>.json`: the operation id when it is a safe file name, else its class-name stem."""
    stem = op.response_class.removesuffix("Response")
    return f"{stem}.json"


def _pyproject(package: str) -> str:
    # `sdkgen build` sets the version of each build (generator/build/versioning.py); `generate` keeps this one.
    return render(
        "pyproject.toml.j2", package=package, distribution=package.replace("_", "-"), version=DEFAULT_SDK_VERSION
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


_README_QUERIES = ("QueryVmInstance",)
_README_ACTIONS = ("StartVmInstance", "CreateVmCdRom")


def _readme_action_rank(call: tuple[GroupSummary, OperationSummary]) -> tuple[bool, int, str]:
    """The README's example call: a well-known one, else the one with fewest required arguments."""
    op = call[1]
    return op.operation_id not in _README_ACTIONS, op.required_count or 99, op.operation_id


def _readme(package: str, groups: list[GroupSummary]) -> str:
    rows = [(g.attr, reference_path(g.attr), ", ".join(_markdown_cell(label) for label in g.labels or [g.name]),
             len(g.operations)) for g in groups]  # fmt: skip
    calls = [(g, op) for g in groups for op in g.operations]
    queries = sorted(calls, key=lambda c: (c[1].operation_id not in _README_QUERIES, c[1].operation_id))
    query = next(({"group": g.attr, "method": op.method_name} for g, op in queries if op.is_query), None)
    actions = [(g, op) for g, op in calls if not op.is_query and op.http_method != "GET"] or calls
    action = None
    if actions:
        group, op = min(actions, key=_readme_action_rank)
        arguments = ", ".join(f"{a.argument}={a.sample}" for a in op.arguments if a.required)
        action = {"group": group.attr, "method": op.method_name, "arguments": arguments}
    counts = f"{_plural(len(calls), 'operation')} in {_plural(len(groups), 'group')}"
    return render(
        "README.md.j2",
        package=package,
        distribution=package.replace("_", "-"),
        groups=rows,
        counts=counts,
        query=query,
        action=action,
    )


def _markdown_cell(text: str) -> str:
    """Doc text inside a Markdown table cell: one line, no HTML, no cell breaks."""
    return html.escape(plain_text(text), quote=False).replace("|", "\\|")


def _test_module(package: str, groups: list[GroupSummary], defined_in: Mapping[str, str]) -> str:
    """`tests/test_operations.py`: every operation called once through the client."""
    ops = []
    stdlib: set[str] = set()
    classes: set[str] = set()
    for group in groups:
        for op in group.operations:
            for argument in op.arguments:
                for item in argument.imports:
                    if item.startswith("class:"):
                        classes.add(item.removeprefix("class:"))
                    else:
                        stdlib.add(item)
            classes.add(op.response_class)
            ops.append(
                {
                    "test_name": f"test_{group.attr}_{op.method_name}",
                    "group": group.attr,
                    "method": op.method_name,
                    "kwargs": [(a.argument, a.sample) for a in op.arguments],
                    "response_class": op.response_class,
                    "fixture": op.fixture_file,
                }
            )
    by_module: dict[str, list[str]] = {}
    for cls in classes:
        by_module.setdefault(f"{package}.{defined_in[cls]}", []).append(cls)
    testing = ["DEFAULT_ACCOUNT", "DEFAULT_PASSWORD", "FakeZStack"]
    first_party = [(package, ["AsyncClient", "Client"]), *by_module.items(), (f"{package}.testing", testing)]
    imports = [f"import {module}" for module in sorted(stdlib | {"asyncio"})]
    imports += [""] if imports else []
    for module, names in sorted(first_party):
        imports += import_statement(module, sorted(names, key=isort_key))
    imports += ["", "from .support import check_call"]
    return render(
        "test_operations.py.j2",
        doc=[
            "Every operation called once through `Client` against the fake server (generated by sdkgen).",
            "",
            "Each test checks that the request went out as the docs describe it (path, query string, body",
            "under its wrapper key) and that the documented response example parses into the response model",
            "without losing a value.",
        ],
        imports=imports,
        operations=ops,
        async_op=min(ops, key=lambda op: str(op["test_name"])) if ops else None,
    )


def _tests(package: str, groups: list[GroupSummary], defined_in: Mapping[str, str]) -> dict[str, str]:
    """The generated tests' modules (unformatted)."""
    return {
        "tests/__init__.py": "",
        "tests/conftest.py": render("tests_conftest.py.j2", package=package),
        "tests/support.py": render("tests_support.py.j2", package=package),
        "tests/test_operations.py": _test_module(package, groups, defined_in),
    }


def _client(groups: list[GroupSummary]) -> str:
    type_imports: list[str] = []
    for group in sorted(groups, key=lambda g: g.attr):
        names = sorted([group.api_class, group.async_class], key=isort_key)
        type_imports += import_statement(f".api.{group.attr}", names, indent=4)
    return render("client.py.j2", groups=groups, type_imports=type_imports)


# --- units: rendered, or reused from the memo --------------------------------------------------------


class _Units:
    """Renders the group and type modules, each unless the memo holds it (see `render.units`)."""

    def __init__(self, names: SdkNames, memo: RenderMemo | None, context: str) -> None:
        self.names = names
        self.memo = memo
        self.keys = UnitKeys(names, context, memo.endpoint_digests) if memo is not None else None
        self.type_classes = names.type_class_module()

    def _taken(self) -> RecordingNames | frozenset[str]:
        return RecordingNames(self.names.taken) if self.memo is not None else self.names.taken

    def _name(self, unit: str, key: str | None) -> None:
        if self.memo is not None and key is not None:
            self.memo.keys[unit] = key

    def _reuse(self, key: str | None) -> UnitRecord | None:
        if self.memo is None or key is None:
            return None
        record = self.memo.lookup(key, self.names.taken)
        if record is not None:
            keep_format_memo(record.sources)
        return record

    def _keep(self, key: str | None, files: dict[str, str], taken: Container[str], sources: list[str],
              summary: GroupSummary | None = None) -> None:  # fmt: skip
        if self.memo is not None and key is not None:
            asked = dict(taken.asked) if isinstance(taken, RecordingNames) else {}
            self.memo.keep(key, UnitRecord(dict(files), asked, sources, summary.to_json() if summary else None))

    def package_files(self, summaries: list[GroupSummary | dict[str, Any]]) -> dict[str, str]:
        """README, client, lazy `__init__`s and generated tests: they follow from the groups' summaries
        (each as a GroupSummary, or as the memo holds it)."""
        key = None
        if self.keys is not None:
            key = self.keys.package_files([s if isinstance(s, dict) else s.to_json() for s in summaries])
            self._name(PACKAGE_UNIT, key)
        record = self._reuse(key)
        if record is not None:
            return record.files
        groups = [s if isinstance(s, GroupSummary) else GroupSummary.from_json(s) for s in summaries]
        pkg = self.names.package
        class_module = dict(self.type_classes)
        defined_in: dict[str, str] = {}
        for group in groups:
            class_module.update(_group_classes(group))
            defined_in.update(dict.fromkeys(group.defined, group.module))
        for group in groups:
            class_module[group.api_class] = class_module[group.async_class] = f"api.{group.attr}"
        defined_in.update(class_module)
        sources = {
            **_package_inits(pkg, class_module, sum(len(g.operations) for g in groups)),
            f"{pkg}/client.py": _client(groups),
            **_tests(pkg, groups, defined_in),
        }
        owners = {f"test_{g.attr}_{op.method_name}": op.operation_id for g in groups for op in g.operations}
        files = {path: format_python(path, source, owners) if source else source for path, source in sources.items()}
        files["README.md"] = _readme(pkg, groups)
        files["api.md"] = api_index(pkg, groups)
        self._keep(key, files, self.names.taken, [source_digest(source) for source in sources.values() if source])
        return files

    def type_module(self, component: list[str]) -> dict[str, str]:
        key = self.keys.type_module(component) if self.keys is not None else None
        record = self._reuse(key)
        if record is not None:
            return record.files
        taken = self._taken()
        module = plan_type_module(self.names, component, taken)
        path = f"{self.names.package}/{module.module.replace('.', '/')}.py"
        class_names = ", ".join(c.name for c in module.classes)
        doc = [f"Shared type{'s' if len(module.classes) > 1 else ''} {class_names} (generated by sdkgen; do not edit)."]
        source = render_models(module, doc, self.type_classes)
        files = {path: format_python(path, source)}
        self._keep(key, files, taken, [source_digest(source)])
        return files

    def group(self, g: str) -> tuple[dict[str, str], GroupSummary | dict[str, Any]]:
        """The group's files, and its summary (as the memo holds it, when the group was reused)."""
        key = self.keys.group(g) if self.keys is not None else None
        self._name(f"group:{g}", key)
        record = self._reuse(key)
        if record is not None and record.summary is not None:
            return record.files, record.summary
        taken = self._taken()
        group = plan_group(self.names, g, taken)
        summary = summarize_group(group)
        class_module = ChainMap(_group_classes(summary), self.type_classes)
        owners = owners_of(group)
        pkg = self.names.package
        models_path, api_path = f"{pkg}/models/{group.attr}.py", f"{pkg}/api/{group.attr}.py"
        doc = doc_lines(f"Models of {group.name} (generated by sdkgen; do not edit).")
        sources = {
            models_path: render_models(group.models, doc, class_module),
            api_path: render_api(group, class_module),
        }
        files = {path: format_python(path, source, owners) for path, source in sources.items()}
        for op in group.operations:
            files[f"{pkg}/fixtures/{fixture_file(op)}"] = json_text(op.fixture)
        files[reference_path(group.attr)] = group_reference(group, pkg, class_module)
        self._keep(key, files, taken, [source_digest(source) for source in sources.values()], summary)
        return files, summary


def _group_classes(group: GroupSummary) -> dict[str, str]:
    """The exported classes a group's modules define -> their module below the package."""
    classes: dict[str, str] = {}
    for op in group.operations:
        if op.request_class:
            classes[op.request_class] = group.module
        classes[op.response_class] = group.module
    return classes


def render_sdk(
    ir: IR, package: str = DEFAULT_PACKAGE, *, memo: RenderMemo | None = None, context: str = ""
) -> RenderedSdk:
    """Every file of the SDK package folder, formatted and compile-checked, keyed by relative path.

    With a `memo` (the previous build's units), unchanged groups and type modules are taken from it
    instead of being planned and rendered; `context` must then change whenever the generator does.
    """
    check_package_name(package)
    names = name_sdk(ir, package, runtime_file("client.py"))
    units = _Units(names, memo, f"{context}\0{package}")
    files: dict[str, str] = {}
    pkg = package
    files.update(_runtime_files(pkg))
    for path, text in list(files.items()):
        check_compiles(path, text)  # copied verbatim, but it must compile too
    files[MARKER_FILE] = "This folder is generated by sdkgen and replaced on every run; do not edit.\n"
    files["pyproject.toml"] = _pyproject(pkg)
    files[f"{pkg}/py.typed"] = ""
    files[f"{pkg}/models/_base.py"] = format_python(f"{pkg}/models/_base.py", render("models_base.py.j2"))
    for component in names.components:
        files.update(units.type_module(component))
    files[f"{pkg}/models/types/__init__.py"] = '"""Types shared by several operations (one module per type)."""\n'
    summaries: list[GroupSummary | dict[str, Any]] = []
    for g in names.group_names:
        group_files, summary = units.group(g)
        files.update(group_files)
        summaries.append(summary)
    files.update(units.package_files(summaries))
    return RenderedSdk(
        files=dict(sorted(files.items())),
        operations=len(names.op_names),
        groups=len(summaries),
        types=len(ir.types),
        names=names,
    )


def render_groups(names: SdkNames, others: dict[str, dict[str, Any]], memo: RenderMemo, context: str) -> dict[str, str]:
    """The files of the groups in `names.by_group`, and the package files (`others`: the summaries of
    the other groups, as the memo holds them), with names decided by an earlier `render_sdk`: what a
    build that patches the previous one renders (see generator/patch.py)."""
    units = _Units(names, memo, f"{context}\0{names.package}")
    files: dict[str, str] = {}
    summaries: dict[str, GroupSummary | dict[str, Any]] = dict(others)
    for g in names.group_names:
        group_files, summaries[g] = units.group(g)
        files.update(group_files)
    files.update(units.package_files([summaries[g] for g in sorted(summaries)]))
    return files


def _package_inits(pkg: str, class_module: dict[str, str], operations: int) -> dict[str, str]:
    """The lazy `__init__` modules of the package, `models` and `api` (unformatted)."""
    model_exports = {name: module for name, module in class_module.items() if module.startswith("models.")}
    api_exports = {name: module for name, module in class_module.items() if module.startswith("api.")}
    root_exports = {"AsyncClient": "client", "Client": "client"}
    root_exports.update({name: "_runtime" for name in runtime_exports(runtime_file("__init__.py"))})
    inits = {
        f"{pkg}/__init__.py": _lazy_init(
            [
                f"Typed Python client for the ZStack Cloud REST API ({operations} operations).",
                "",
                "Generated by sdkgen; do not edit. `from " + pkg + " import Client` is cheap: API groups and",
                "their models are imported on first use.",
            ],
            "",
            root_exports,
            [f"__version__ = {py_str(DEFAULT_SDK_VERSION)}"],
        ),
        f"{pkg}/models/__init__.py": _lazy_init(
            ["Request, response and shared models, imported on first access (generated by sdkgen)."],
            "models",
            model_exports,
        ),
        f"{pkg}/api/__init__.py": _lazy_init(
            ["One class per docs group (sync and async), imported on first access (generated by sdkgen)."],
            "api",
            api_exports,
        ),
    }
    return inits


__all__ = [
    "DEFAULT_PACKAGE",
    "MARKER_FILE",
    "PACKAGE_UNIT",
    "RenderedSdk",
    "check_package_name",
    "render_groups",
    "render_sdk",
]
