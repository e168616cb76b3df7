"""Post-documents steps: the seam between the documents (IR, OpenAPI) and staging.

Both routes (full.py and patch.py) call `run_post_document_steps` once the new IR and OpenAPI bytes
exist and before anything is staged: `generated/` (and `config.ir`) still hold the last build's
output, so a step can compare with it (`PostDocuments.previous_ir`), refuse to publish (raise
SdkgenError: nothing is written, the caches are not updated) or add or replace files of the tree
(`PostDocuments.files`, relative to the output folder; a patch build holds only the files it
rewrites there, the rest of the tree is the last build's as it is).

A step is a callable taking a `PostDocuments`; add it to `POST_DOCUMENT_STEPS` (they run in order).
The list is empty: with no step nothing is read or parsed here, so the builds cost what they did.
A build that changes nothing (up to date) runs no step. What a step reads besides the pages, the
code and the settings is not in the cache keys (keys.py): a step whose outcome depends on more must
add it to `keys.inputs_key` or it will not run when only that changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.config import BuildConfig

if TYPE_CHECKING:
    from generator.ir.model import IR


@dataclass
class PostDocuments:
    """What a post-documents step sees of the build in progress."""

    config: BuildConfig
    ir_bytes: bytes  # the new IR file (config.ir), as it will be written
    openapi_bytes: bytes  # the new OpenAPI document (config.openapi)
    files: dict[str, str | bytes]  # output-relative path -> content this build writes into config.output
    patched: bool  # a patch build (files: only those it rewrites)
    new_model: IR | None = None  # the new IR when the route has it as a model (the full build)
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


PostDocumentStep = Callable[[PostDocuments], None]

# The place for post-documents steps (the drift guard, the SDK version bump and CHANGELOG writer).
POST_DOCUMENT_STEPS: list[PostDocumentStep] = []


def run_post_document_steps(context: PostDocuments) -> None:
    """Run every step on the build in progress (nothing at all when there is none)."""
    for step in POST_DOCUMENT_STEPS:
        step(context)
