"""`sdkgen diff` from an old release's Dev Guide to today's explorer pages shows API changes, not family
changes: the same APIs in the two families diff to nothing, and a real change still shows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from tests.conftest import CORPUS

EXPLORER = CORPUS / "text"
GUIDE = CORPUS / "devguide-text"


def _diff(old: Path, new: Path, *extra: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json", "--fail-on", "any", *extra])
    return result.exit_code, json.loads(result.stdout)


def test_every_api_diffs_to_nothing_between_the_families() -> None:
    # The whole DEV corpus, both ways: 1,169 operations, not a change among them (descriptions included).
    for old, new in ((GUIDE, EXPLORER), (EXPLORER, GUIDE)):
        code, report = _diff(old, new)
        assert report["changes"] == [], report["changes"][:3]  # type: ignore[index]
        assert code == 0


def test_an_api_change_between_the_families_still_shows(tmp_path: Path) -> None:
    names = ["StartVmInstance", "CreateVmCdRom", "QueryVmInstance"]
    old, new = tmp_path / "guide", tmp_path / "explorer"
    old.mkdir()
    new.mkdir()
    for name in names:
        shutil.copy(GUIDE / f"{name}.txt", old)
        shutil.copy(EXPLORER / f"{name}.txt", new)
    page = new / "StartVmInstance.txt"
    text = page.read_text(encoding="utf-8")
    assert "  • hostUuid" in text
    page.write_text(text.replace("  • hostUuid", "  • targetHostUuid", 1), encoding="utf-8")
    code, report = _diff(old, new)
    assert code == 1
    changes = report["changes"]
    assert isinstance(changes, list) and {c["operation"] for c in changes} == {"StartVmInstance"}
    assert any(c["breaking"] for c in changes)  # hostUuid went: a caller's argument is gone
