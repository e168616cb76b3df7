"""Post-documents steps: the seam between the documents (IR, OpenAPI) and staging.

Both routes (full.py and patch.py) call `run_post_document_steps` once the new IR and OpenAPI bytes
exist and before anything is staged: `generated/` (and `config.ir`) still hold the last build's
output, so a step can compare with it (`PostDocuments.previous_ir`), refuse to publish (raise
SdkgenError: nothing is written, the caches are not updated) or add or replace files of the tree
(`PostDocuments.files`, relative to the output folder; a patch build holds only the files it
rewrites there, the rest of the tree is the last build's as it is).

A step is a callable taking a `PostDocuments`; add it to `POST_DOCUMENT_STEPS` (they run in order).
A step reads only what it needs: the drift guard keeps a small record of each IR's operations in
the cache, so it does not parse the last IR (`PostDocuments.changed` tells it what a patch re-read).
A build that changes nothing (up to date) runs no step. What a step reads besides the pages, the
code and the settings is not in the cache keys (keys.py): a step whose outcome depends on more must
add it to `keys.inputs_key` or it will not run when only that changes.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.build.context import PostDocuments
from generator.build.drift import check_drift
from generator.build.versioning import apply_release

__all__ = ["POST_DOCUMENT_STEPS", "PostDocumentStep", "PostDocuments", "run_post_document_steps"]

PostDocumentStep = Callable[[PostDocuments], None]

# The post-documents steps, in order: the drift guard first (a refused build does no other work), then
# the release (the package's version and CHANGELOG.md).
POST_DOCUMENT_STEPS: list[PostDocumentStep] = [check_drift, apply_release]


def run_post_document_steps(context: PostDocuments) -> None:
    """Run every step on the build in progress (nothing at all when there is none)."""
    for step in POST_DOCUMENT_STEPS:
        step(context)
