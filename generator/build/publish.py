"""The last stage of both routes (full.py, patch.py): publish what a build made (staging.py)."""

from __future__ import annotations

from generator.build.cache import BuildCache
from generator.build.staging import WriteStats, patch_tree, place_documents, write_outside, write_tree
from generator.config import BuildConfig


def publish(
    config: BuildConfig, cache: BuildCache, tree: dict[str, str | bytes], documents: tuple[bytes, bytes], *, patch: bool
) -> tuple[WriteStats, list[str]]:
    """Both routes' last stage: the documents placed (into `tree` when they live in the output folder),
    the tree staged and swapped in (`patch`: only the files it holds are replaced), the documents that
    live elsewhere written; the stats and every file written. The cache's state is forgotten first: a
    build killed from here on must not look up to date."""
    outside = place_documents(config, tree, *documents)
    cache.forget_state()
    stats = patch_tree(tree, config.output) if patch else write_tree(dict(sorted(tree.items())), config.output)
    written = list(stats.written)
    for path, data in outside:
        if write_outside(path, data):
            written.append(str(path))
    return stats, written
