"""A few hundred mutation-fuzz cases in the default run (`python -m fuzz` runs 10,000: see
fuzz/README.md), and proof that the fuzz checks catch what they claim to."""

from __future__ import annotations

from pathlib import Path

import pytest

import fuzz.runner as runner
from fuzz.__main__ import DEFAULT_CORPUS, corpus_pages, main, run
from fuzz.mutators import MUTATORS
from generator.errors import SdkgenError
from generator.ir.model import IR, Diagnostic, Severity, Source

SMOKE_CASES = 300


@pytest.fixture(scope="module")
def bases() -> list[Path]:
    return corpus_pages(DEFAULT_CORPUS)


def test_corpus_pages_of_all_three_forms_are_fuzzed(bases: list[Path]) -> None:
    assert len(bases) == 3 * 1169
    assert {p.suffix for p in bases} == {".txt", ".html"}


def test_a_few_hundred_cases_keep_every_promise(bases: list[Path]) -> None:
    results, _ = run(
        20240601, range(SMOKE_CASES), bases, jobs=1, render_every=0, time_limit=10.0, memory_mb=0, progress=False
    )
    failures = [f"case {r.index} ({'+'.join(r.mutations)} on {r.base}): {r.problem}" for r in results if r.problem]
    assert not failures, "\n".join(failures[:5])
    outcomes = {r.outcome for r in results}
    assert outcomes == {"parsed", "refused"}, "the mutations both break pages and leave some readable"
    assert {m for r in results for m in r.mutations} == {m.name for m in MUTATORS}


def test_cases_are_reproducible_from_seed_and_index(bases: list[Path], tmp_path: Path) -> None:
    first = runner.run_case(5, 17, bases, tmp_path)
    again = runner.run_case(5, 17, bases, tmp_path)
    other = runner.run_case(6, 17, bases, tmp_path)
    assert (first.base, first.mutations, first.outcome) == (again.base, again.mutations, again.outcome)
    assert (first.base, first.mutations) != (other.base, other.mutations)


def test_an_escaping_exception_is_a_failure(bases: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, name: str | None = None) -> Diagnostic:
        raise KeyError("boom")

    monkeypatch.setattr(runner, "scrape_page_file", broken)
    result = runner.run_case(1, 1, bases, tmp_path)
    assert result.outcome == "failure" and result.problem and "KeyError: 'boom'" in result.problem


def test_a_refusal_without_file_line_message_is_a_failure() -> None:
    data = b"a\nb\n"
    good = Diagnostic(
        severity=Severity.ERROR, code="page-error", message="bad page", source=Source(file="p.txt", line=2)
    )
    assert runner.check_refusal(good, "p.txt", data) is None
    for bad in (
        good.model_copy(update={"message": "two\nlines"}),
        good.model_copy(update={"source": Source(file="other.txt", line=2)}),
        good.model_copy(update={"source": Source(file="p.txt", line=99)}),
    ):
        assert runner.check_refusal(bad, "p.txt", data) is not None


def test_render_check_compiles_and_confines_files() -> None:
    ir = IR()
    assert runner.check_render(ir, lambda _: {"pkg/ok.py": "x = 1\n"}) is None
    assert "does not compile" in (runner.check_render(ir, lambda _: {"pkg/bad.py": "def (:\n"}) or "")
    assert "refuses" in (runner.check_render(ir, lambda _: {"../escape.py": "x = 1\n"}) or "")

    def refuses(_: IR) -> dict[str, str]:
        raise SdkgenError("cannot render: reason")

    assert runner.check_render(ir, refuses) is None


def test_renderer_hook_finds_the_sdk_renderer_when_present() -> None:
    renderer = runner.load_renderer()
    try:
        import generator.render  # noqa: F401
    except ImportError:
        assert renderer is None
    else:
        assert renderer is not None


def test_command_line_replays_one_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--seed", "3", "--case", "8", "--case", "9", "-j", "1", "--render-every", "1", "-q"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("fuzz: 2 cases (seed 3)") and "0 failures" in out
