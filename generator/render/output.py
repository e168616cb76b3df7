"""Put a rendered tree on disk all at once (see `generator.build.staging`, where the code lives).

The file-system work needs none of the renderer, so it lives outside this package: `sdkgen build`
uses it without loading Jinja and black when it finds nothing to render.
"""

from __future__ import annotations

from generator.build.staging import (
    MARKER_FILE,
    MARKER_TEXT,
    PAUSE_ENV,
    WriteStats,
    check_replaceable,
    recover,
    write_tree,
)

__all__ = ["MARKER_FILE", "MARKER_TEXT", "PAUSE_ENV", "WriteStats", "check_replaceable", "recover", "write_tree"]
