"""What a post-documents step (steps.py) sees of the build in progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.config import BuildConfig

if TYPE_CHECKING:
    from generator.ir.model import IR, Endpoint


@dataclass
class PostDocuments:
    """What a post-documents step sees of the build in progress."""

    config: BuildConfig
    ir_bytes: bytes  # the new IR file (config.ir), as it will be written
    openapi_bytes: bytes  # the new OpenAPI document (config.openapi)
    files: dict[str, str | bytes]  # output-relative path -> content this build writes into config.output
    patched: bool  # a patch build (files: only those it rewrites)
    new_model: IR | None = None  # the new IR when the route has it as a model (the full build)
    changed: list[Endpoint] | None = None  # a patch build: the operations it re-read (the rest are as they were)
    # A patch build: the same operations as the last build's IR holds them, in the same order, and as the new
    # IR does (`changed` is as scraped, before what assembling the IR infers): what a diff compares.
    before_after: tuple[list[Endpoint], list[Endpoint]] | None = None
    docs: str = ""  # the docs snapshot read (`keys.docs_digest`): a deterministic id of the pages
    _previous: list[IR | None] = field(default_factory=list)

    def new_ir(self) -> IR:
        """The new IR as a model (parsed from `ir_bytes` when the route has none)."""
        if self.new_model is None:
            from generator.ir.model import IR

            self.new_model = IR.model_validate_json(self.ir_bytes)
        return self.new_model

    def previous_ir(self) -> IR | None:
        """The last build's IR (read from config.ir, which this build has not replaced yet), or None."""
        if not self._previous:
            from generator.build.update import previous_ir

            self._previous.append(previous_ir(self.config))
        return self._previous[0]
