"""The whole SDK as names and class definitions: groups, modules, exports. No text is rendered here.

Name allocation order is fixed (API classes, named types, operation classes, then anonymous classes
module by module, all in sorted order), so the same IR always gives the same names.
"""

from __future__ import annotations

import ast
from collections.abc import Container
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from typing import Any

from generator.ir.model import IR, Endpoint, NamedType, ResponseField
from generator.render.escape import doc_lines
from generator.render.naming import (
    RESERVED_CLASSES,
    NameAllocator,
    bounded_module_name,
    canonical_groups,
    group_attrs,
    group_class,
    safe_attr,
    safe_class,
)
from generator.render.operations import OperationPlan, plan_operation
from generator.render.types import (
    ClassDef,
    ModuleModels,
    RequestTypes,
    ResponseTypes,
    TypeRegistry,
    named_type_class,
)

# Module names the package itself uses next to the group modules.
_PACKAGE_MODULES = frozenset({"types", "api", "models", "client", "testing", "fixtures", "tests"})
# Attributes of the runtime clients when templates/runtime/client.py is not there to be read.
_DEFAULT_CLIENT_ATTRS = frozenset(
    {"login", "logout", "close", "aclose", "session_uuid", "base_url", "validate_session"}
)


@dataclass
class GroupPlan:
    name: str  # as documented: "VM Instance Operations" (the spelling most of its pages use)
    attr: str  # client attribute and module name: "vm_instance"
    api_class: str
    async_class: str
    models: ModuleModels
    operations: list[OperationPlan] = field(default_factory=list)
    class_owner: dict[str, str] = field(default_factory=dict)  # model class -> the operation that made it
    labels: list[str] = field(default_factory=list)  # every documented spelling of its name, sorted

    @property
    def doc(self) -> list[str]:
        count = len(self.operations)
        return doc_lines(f"{self.name}: {count} operation{'s' if count != 1 else ''}.")


@dataclass
class SdkPlan:
    package: str
    groups: list[GroupPlan]
    type_modules: list[ModuleModels]
    class_module: dict[str, str]  # exported class -> module below the package ("models.types.error_code")
    defined_in: dict[str, str]  # every class, anonymous ones too -> its module

    @property
    def operations(self) -> list[OperationPlan]:
        return sorted((op for g in self.groups for op in g.operations), key=lambda op: op.operation_id)


def client_attributes(runtime_client: Traversable) -> frozenset[str]:
    """Every method and attribute name of the runtime's base clients: group attributes must avoid them."""
    try:
        tree = ast.parse(runtime_client.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return _DEFAULT_CLIENT_ATTRS
    names: set[str] = set(_DEFAULT_CLIENT_ATTRS)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            names.add(node.attr)
    return frozenset(names)


def _type_refs(fields: list[ResponseField], types: dict[str, NamedType]) -> set[str]:
    """Registry types a type's fields may refer to (an over-approximation is harmless)."""
    found: set[str] = set()
    for rf in fields:
        for candidate in (rf.ref, rf.element_type, rf.type):
            if candidate and candidate in types:
                found.add(candidate)
        found |= _type_refs(rf.children, types)
    return found


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's SCCs (iterative), each sorted; mutually recursive types must share one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, pending = work[-1]
            if pending:
                nxt = pending.pop(0)
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, sorted(graph.get(nxt, ()))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(sorted(component))
    return sorted(result)


def _enum_values(types: dict[str, NamedType]) -> dict[str, list[str]]:
    return {name: list(t.enum_values) for name, t in types.items() if t.kind == "enum"}


@dataclass
class SdkNames:
    """Every name the whole SDK agrees on, decided before any module is planned (cheap: no classes yet).

    Groups and type modules are planned from it one by one (`plan_group`, `plan_type_module`), so a
    build can plan only the ones whose inputs changed (`generator.render.units`).
    """

    package: str
    by_group: dict[str, list[Endpoint]]  # SDK group (see canonical_groups) -> its endpoints, in planning order
    group_attrs: dict[str, str]
    api_classes: dict[str, str]
    async_classes: dict[str, str]
    op_names: dict[int, tuple[str, str]]  # id(endpoint) -> (request class, response class)
    taken: frozenset[str]  # exported class names: anonymous classes avoid them
    graph: dict[str, set[str]]  # registry type -> the registry types its fields refer to
    components: list[list[str]]  # strongly connected registry types: one module each
    registry: TypeRegistry
    enum_values: dict[str, list[str]]
    group_of: dict[str, str] = field(default_factory=dict)  # every documented group label -> its SDK group

    @property
    def group_names(self) -> list[str]:
        return sorted(self.by_group)

    def type_class_module(self) -> dict[str, str]:
        return {self.registry.class_of[name]: self.registry.module_of[name] for name in self.registry.types}

    def to_json(self) -> dict[str, Any]:
        """Every decided name, by operation id and type name (the endpoints and types themselves are not in it)."""
        return {
            "package": self.package,
            "groups": {g: [self.group_attrs[g], self.api_classes[g], self.async_classes[g]] for g in self.by_group},
            "group_of": self.group_of,
            "operations": {
                e.operation_id: list(self.op_names[id(e)]) for endpoints in self.by_group.values() for e in endpoints
            },
            "taken": sorted(self.taken),
            "graph": {name: sorted(refs) for name, refs in self.graph.items()},
            "components": self.components,
            "class_of": self.registry.class_of,
            "module_of": self.registry.module_of,
        }

    @staticmethod
    def from_json(data: dict[str, Any], types: dict[str, NamedType], by_group: dict[str, list[Endpoint]]) -> SdkNames:
        """The names `to_json` gave, for the groups in `by_group` (endpoints in planning order)."""
        groups = {g: data["groups"][g] for g in by_group}
        op_names = {id(e): (data["operations"][e.operation_id][0], data["operations"][e.operation_id][1])
                    for endpoints in by_group.values() for e in endpoints}  # fmt: skip
        return SdkNames(
            package=data["package"],
            by_group=by_group,
            group_attrs={g: names[0] for g, names in groups.items()},
            api_classes={g: names[1] for g, names in groups.items()},
            async_classes={g: names[2] for g, names in groups.items()},
            op_names=op_names,
            taken=frozenset(data["taken"]),
            graph={name: set(refs) for name, refs in data["graph"].items()},
            components=data["components"],
            registry=TypeRegistry(class_of=data["class_of"], module_of=data["module_of"], types=types),
            enum_values=_enum_values(types),
            group_of=dict(data["group_of"]),
        )


def name_sdk(ir: IR, package: str, runtime_client: Traversable) -> SdkNames:
    endpoints = sorted(ir.endpoints, key=lambda e: (e.operation_id, e.source.file))
    exported = NameAllocator(RESERVED_CLASSES)

    counts: dict[str, int] = {}
    for endpoint in endpoints:
        counts[endpoint.group] = counts.get(endpoint.group, 0) + 1
    group_of = canonical_groups(counts)  # from the whole IR: a patch build keeps these names
    by_group: dict[str, list[Endpoint]] = {}
    for endpoint in endpoints:
        by_group.setdefault(group_of[endpoint.group], []).append(endpoint)
    group_names = sorted(by_group)
    attrs = group_attrs(group_names, _PACKAGE_MODULES | client_attributes(runtime_client))
    api_classes = {g: exported.claim(group_class(g)) for g in group_names}
    async_classes = {g: exported.claim("Async" + api_classes[g]) for g in group_names}

    types = dict(sorted(ir.types.items()))
    class_of = {name: exported.claim(safe_class(name, fallback="Type")) for name in types}
    op_names: dict[int, tuple[str, str]] = {}
    for endpoint in endpoints:
        stem = safe_class(endpoint.operation_id, fallback="Operation")
        op_names[id(endpoint)] = (exported.claim(stem + "Request"), exported.claim(stem + "Response"))

    all_exported = set(class_of.values()) | {n for pair in op_names.values() for n in pair}
    all_exported |= set(api_classes.values()) | set(async_classes.values())

    # Named types: one module per strongly connected component of the reference graph.
    graph = {name: _type_refs(t.fields, types) for name, t in types.items()}
    type_module_names = NameAllocator()
    module_of: dict[str, str] = {}
    components = strongly_connected(graph)
    for component in components:
        module_name = "models.types." + type_module_names.claim(
            bounded_module_name(safe_attr(component[0], fallback="type"))
        )
        for name in component:
            module_of[name] = module_name
    return SdkNames(
        package=package,
        by_group=by_group,
        group_attrs=attrs,
        api_classes=api_classes,
        async_classes=async_classes,
        op_names=op_names,
        taken=frozenset(all_exported | RESERVED_CLASSES),
        graph=graph,
        components=components,
        registry=TypeRegistry(class_of=class_of, module_of=module_of, types=types),
        enum_values=_enum_values(types),
        group_of=group_of,
    )


def plan_type_module(names: SdkNames, component: list[str], taken: Container[str]) -> ModuleModels:
    """The module of one strongly connected set of registry types; anonymous classes avoid `taken`."""
    registry = names.registry
    type_module = ModuleModels(registry.module_of[component[0]], taken)
    type_responses = ResponseTypes(registry, type_module)
    for name in component:
        type_module.add(named_type_class(registry.types[name], registry.class_of[name], type_responses))
    return type_module


def plan_group(names: SdkNames, g: str, taken: Container[str]) -> GroupPlan:
    """One docs group: its operations and the models module they share; anonymous classes avoid `taken`."""
    module = ModuleModels(f"models.{names.group_attrs[g]}", taken)
    group = GroupPlan(g, names.group_attrs[g], names.api_classes[g], names.async_classes[g], module)
    group.labels = sorted(label for label, sdk_group in names.group_of.items() if sdk_group == g) or [g]
    methods = NameAllocator()
    requests, responses = RequestTypes(names.registry, module), ResponseTypes(names.registry, module)
    for endpoint in names.by_group[g]:
        first_class = len(module.classes)
        request_class, response_class = names.op_names[id(endpoint)]
        op = plan_operation(
            endpoint,
            method_name=methods.claim(safe_attr(endpoint.operation_id, fallback="operation")),
            request_class=request_class,
            response_class=response_class,
            requests=requests,
            responses=responses,
            enum_values=names.enum_values,
        )
        group.operations.append(op)
        group.class_owner.update({cls.name: op.operation_id for cls in module.classes[first_class:]})
    return group


def plan_sdk(ir: IR, package: str, runtime_client: Traversable) -> SdkPlan:
    """The whole plan at once (the renderer plans module by module instead, see `render.units`)."""
    names = name_sdk(ir, package, runtime_client)
    type_modules = [plan_type_module(names, component, names.taken) for component in names.components]
    groups = [plan_group(names, g, names.taken) for g in names.group_names]
    class_module = names.type_class_module()
    for group in groups:
        for op in group.operations:
            if op.request_class:
                class_module[op.request_class] = group.models.module
            class_module[op.response_class] = group.models.module
    for group in groups:
        class_module[group.api_class] = f"api.{group.attr}"
        class_module[group.async_class] = f"api.{group.attr}"
    defined_in = {cls.name: m.module for m in [*type_modules, *(g.models for g in groups)] for cls in m.classes}
    defined_in.update(class_module)
    return SdkPlan(package, groups, type_modules, class_module, defined_in)


__all__ = [
    "ClassDef",
    "GroupPlan",
    "SdkNames",
    "SdkPlan",
    "name_sdk",
    "plan_group",
    "plan_sdk",
    "plan_type_module",
    "strongly_connected",
]
