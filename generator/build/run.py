"""`sdkgen build`: the main job from `[tool.sdkgen]` — scrape the pages, write the IR, the OpenAPI
document and the SDK — redoing only what changed since the last build.

1. Hash the pages whose stat changed. Same pages, same code, same settings, output untouched since
   the last build: stop there (without loading the scraper or the renderer).
2. Undo what a killed build left (`staging.recover`).
3. A few pages edited that each still read as the same operation to the rest of the API: patch the
   last build's output (patch.py) and stop there.
4. Otherwise a full build. Scrape only the pages the scrape cache does not hold (in worker processes
   when there are many), and assemble the IR.
5. Render the SDK, taking the groups and type modules whose inputs did not change from the last
   build (`render.units`). Meanwhile a forked worker writes the IR and the OpenAPI document from
   per-operation fragments (documents.py), then the two processes share the formatting
   and compile() checks of the modules. black runs only on the few statements the renderer cannot
   lay out itself (see `render.emit`), memoized.
6. Stage the new tree beside the output, unchanged files hard-linked (they keep their mtime), and
   swap it in atomically; then save the caches (cache.py) and the snapshot the next
   patch build starts from.

A failure (or a kill) at any point leaves the previous output intact. A page that fails to scrape
does not stop the build: it is left out and reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.build.cache import BuildCache
from generator.build.changes import outputs_untouched
from generator.build.full import full_build
from generator.build.keys import inputs_key as key_of_inputs
from generator.build.pages import find_page_files
from generator.build.patch import patch_build
from generator.build.report import BuildReport, Clock, report_from_state
from generator.build.staging import check_replaceable, recover
from generator.config import BuildConfig
from generator.errors import SdkgenError
from generator.fsutil import gc_paused

if TYPE_CHECKING:
    pass


def _check_inputs(config: BuildConfig) -> None:
    for item in config.inputs:
        if not item.exists():
            raise SdkgenError(f"{config.source}: [tool.sdkgen] input {item} does not exist")


def build(config: BuildConfig, *, jobs: int = 0, use_cache: bool = True) -> BuildReport:
    """Run the build; raises SdkgenError (output untouched) when nothing usable comes out.

    `use_cache=False` builds from scratch (and refreshes the cache for the next build).
    """
    _check_inputs(config)
    cache = BuildCache(config.cache, read=use_cache)
    clock = Clock()
    with cache.lock(), gc_paused():
        pages = cache.scan_pages(find_page_files(config.inputs))
        inputs_key = key_of_inputs(config, pages)
        state = cache.load_state()
        clock.lap("scan")
        # A run killed after it began to change the output deleted the state first, so leftovers
        # of one always mean a full build, which cleans them up.
        if state.get("inputs") == inputs_key and outputs_untouched(config, state):
            clock.lap("check")
            return report_from_state(config, state, len(pages), clock.timings)
        recover(config.output)  # before the check: the output may be a tree a killed run moved aside
        check_replaceable(config.output)

        patched = patch_build(config, cache, pages, inputs_key, state, clock)
        if patched is not None:
            return patched
        return full_build(config, cache, pages, (inputs_key, state), jobs, clock)
