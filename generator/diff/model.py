"""What `sdkgen diff` reports: one `Change` per difference, gathered in a `DiffReport`."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, JsonValue


class ChangeKind(StrEnum):
    """Every difference the differ can report; the order here is the order of a report."""

    OPERATION_ADDED = "operation_added"
    OPERATION_REMOVED = "operation_removed"
    OPERATION_RENAMED = "operation_renamed"
    METHOD_CHANGED = "method_changed"
    PATH_CHANGED = "path_changed"
    WRAPPER_CHANGED = "wrapper_changed"
    ASYNC_CHANGED = "async_changed"
    AUTH_CHANGED = "auth_changed"
    SINCE_CHANGED = "since_changed"
    PARAM_ADDED = "param_added"
    PARAM_REMOVED = "param_removed"
    PARAM_REQUIRED_CHANGED = "param_required_changed"
    PARAM_TYPE_CHANGED = "param_type_changed"
    PARAM_LOCATION_CHANGED = "param_location_changed"
    RESPONSE_FIELD_ADDED = "response_field_added"
    RESPONSE_FIELD_REMOVED = "response_field_removed"
    RESPONSE_FIELD_TYPE_CHANGED = "response_field_type_changed"
    DESCRIPTION_CHANGED = "description_changed"


KIND_ORDER: dict[ChangeKind, int] = {kind: index for index, kind in enumerate(ChangeKind)}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Change(_Model):
    """One difference in one operation.

    `path` locates it inside the operation: a parameter name (dotted for nested
    parameters), a response field's dotted path (`inventory.vmNics.ip`), or, for
    `description_changed`, the same prefixed with `request.` or `response.`; null
    for operation-level changes. `old`/`new` are the values on each side (null
    where a side has nothing).
    """

    operation: str
    kind: ChangeKind
    path: str | None = None
    breaking: bool
    old: JsonValue = None
    new: JsonValue = None


class VersionInfo(_Model):
    """One side of the comparison: what was read and how many operations it holds."""

    source: str
    operations: int


class DiffReport(_Model):
    old: VersionInfo
    new: VersionInfo
    changes: list[Change] = Field(default_factory=list)
    groups: dict[str, str] = Field(default_factory=dict)  # operation -> docs group (NEW side wins)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    def without_descriptions(self) -> DiffReport:
        kept = [c for c in self.changes if c.kind is not ChangeKind.DESCRIPTION_CHANGED]
        return self.model_copy(update={"changes": kept})

    def operation_counts(self) -> dict[str, int]:
        """Operations added, removed, renamed, and changed otherwise (each operation counted once)."""
        kinds_by_op: dict[str, set[ChangeKind]] = {}
        for change in self.changes:
            kinds_by_op.setdefault(change.operation, set()).add(change.kind)
        counts = {
            "added": sum(1 for kinds in kinds_by_op.values() if ChangeKind.OPERATION_ADDED in kinds),
            "removed": sum(1 for kinds in kinds_by_op.values() if ChangeKind.OPERATION_REMOVED in kinds),
            "renamed": sum(1 for kinds in kinds_by_op.values() if ChangeKind.OPERATION_RENAMED in kinds),
        }
        counts["changed"] = len(kinds_by_op) - sum(counts.values())
        return counts

    def summary(self) -> dict[str, JsonValue]:
        """Counts for the JSON/Markdown summaries; kinds in `ChangeKind` order, absent kinds left out."""
        by_kind: dict[str, JsonValue] = {}
        for kind in ChangeKind:
            count = sum(1 for c in self.changes if c.kind is kind)
            if count:
                by_kind[kind.value] = count
        operations = self.operation_counts()
        return {
            "operations_old": self.old.operations,
            "operations_new": self.new.operations,
            **{f"operations_{what}": count for what, count in operations.items()},
            "changes": len(self.changes),
            "breaking": len(self.breaking),
            "non_breaking": len(self.changes) - len(self.breaking),
            "by_kind": by_kind,
        }
