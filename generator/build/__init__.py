"""The build pipeline (`sdkgen build`; `build()` in run.py). One file per stage, in the order data flows;
the full build and the patch build are two routes through the same stages.

- run.py: the entry: scan the pages, stop when nothing changed, else the patch route, else the full one.
- pages.py: the page files and their hashes (PageFile); one page's scrape result (ScrapeEntry).
- changes.py: what changed since the last build (the state it left, the stat of every file it wrote).
- scrape.py: pages -> results, from the scrape cache or parsed (in worker processes when there are many).
- render.py: IR -> the SDK's files, unchanged units from the memo; a forked worker beside it writes the
  documents and shares black's formatting and the compile() checks of the modules (format/check).
- documents.py: the IR and OpenAPI files, spliced from per-operation fragments.
- steps.py (context.py: what a step sees; drift.py: the drift guard): post-document steps.
- publish.py, staging.py: stage the new tree beside the output and swap it in (or patch it in place).
- report.py: the BuildReport (`sdkgen build -v`) and the clock of the phases.

Routes: full.py runs every stage over the whole API and leaves a snapshot (snapshot.py) for patch.py,
which takes a few edited pages that stay the same operation to the rest of the API (patch_changes.py:
which ones, and their groups re-assembled; patch_render.py: their groups and fragments re-made).
workers.py: the worker-process plumbing. keys.py: every cache key rule (code fingerprints, the scrape
key, the output keys, when a pack is appended to); cache.py: the cache folder (lock, memos, state);
scrape_pack.py: the scrape results in it. update.py: `sdkgen update` (the diff with the last IR).
"""
