"""The post-documents seam (generator/build/steps.py): both routes run the steps between the documents
and staging, with the previous and the new IR; a step can refuse (nothing written) or add a file."""

from __future__ import annotations

import pytest

from generator.build import steps
from generator.build.steps import PostDocuments
from generator.errors import SdkgenError
from tests.build.conftest import Project, edit


def test_steps_see_both_irs_add_files_and_can_refuse(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[bool, int, int | None]] = []

    def record(context: PostDocuments) -> None:
        previous = context.previous_ir()
        seen.append(
            (context.patched, len(context.new_ir().endpoints), None if previous is None else len(previous.endpoints))
        )
        context.files["STEP.txt"] = f"patched={context.patched}\n"

    monkeypatch.setattr(steps, "POST_DOCUMENT_STEPS", [record])
    first = project.build()
    assert seen == [(False, first.operations, None)]  # a first build: no previous IR
    assert (project.output / "STEP.txt").read_text(encoding="utf-8") == "patched=False\n"
    assert project.build().up_to_date and len(seen) == 1  # nothing changed: no step runs

    edit(project.page("StartVmInstance"))
    assert project.build().patched
    assert seen[-1] == (True, first.operations, first.operations)
    assert (project.output / "STEP.txt").read_text(encoding="utf-8") == "patched=True\n"

    def refuse(context: PostDocuments) -> None:
        raise SdkgenError("drift: refused")

    before = project.snapshot()
    monkeypatch.setattr(steps, "POST_DOCUMENT_STEPS", [refuse])
    edit(project.page("StartVmInstance"), "edited for the test", "edited again")
    with pytest.raises(SdkgenError, match="drift: refused"):
        project.build()
    assert project.snapshot() == before  # refused before staging: the output is as it was
