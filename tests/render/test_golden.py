"""The seed page's generated SDK, byte for byte (SDKGEN_UPDATE_GOLDEN=1 rewrites the golden files)."""

from __future__ import annotations

import os
import shutil

from generator.render import render_sdk
from generator.scrape import scrape_paths
from tests.conftest import DATA, ROOT

SEED = DATA / "CreateVmCdRom.txt"
GOLDEN = ROOT / "tests" / "golden" / "seed"
# Copied verbatim from templates/runtime/: not generated, so not part of the golden files.
_COPIED = ("zstack_sdk/_runtime/", "zstack_sdk/testing.py")
# Every golden file ends in .golden, so pytest, ruff and other tools never take them for the real thing.
_SUFFIX = ".golden"


def _generated() -> dict[str, str]:
    files = render_sdk(scrape_paths([SEED.relative_to(ROOT)]).ir).files
    return {path: text for path, text in files.items() if not path.startswith(_COPIED)}


def _golden() -> dict[str, str]:
    return {
        path.relative_to(GOLDEN).as_posix().removesuffix(_SUFFIX): path.read_text(encoding="utf-8")
        for path in sorted(GOLDEN.rglob("*"))
        if path.is_file()
    }


def test_seed_sdk_matches_golden_files() -> None:
    produced = _generated()
    if os.environ.get("SDKGEN_UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, text in produced.items():
            target = GOLDEN / (path + _SUFFIX)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    golden = _golden()
    assert sorted(produced) == sorted(golden)
    for path, text in produced.items():
        assert text == golden[path], f"{path} differs from tests/golden/seed/{path}"
