"""The CI recipe (docs/ci.md, examples/github/sdkgen-update.yml): the workflow parses, names only sdkgen
commands and options that exist, and its update -> commit -> diff -> pull request steps, run as GitHub
would run them (bash, $GITHUB_OUTPUT, step `if:`s), work against a loopback docs site in a git repo."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from generator.cli import main
from tests.conftest import ROOT
from tests.crawl.server import SiteState, sample_pages, serve

WORKFLOW = ROOT / "examples" / "github" / "sdkgen-update.yml"
CI_DOC = ROOT / "docs" / "ci.md"
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_CONDITION = re.compile(r"^steps\.([\w-]+)\.outputs\.([\w-]+) (==|!=) '([^']*)'$")
# Where a command starts in a shell line: at its start, or after a control operator or keyword.
_COMMAND = re.compile(r"(?:^|[;&|(]\s*|\b(?:if|then|do|!)\s+)(sdkgen\s[^;&|)#]*)")
_SHELL_WORDS = {">", ">>", "<", "2>", "2>&1", "|", "||", "&&", ";"}


def _workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _scripts() -> list[str]:
    return [step["run"] for job in _workflow()["jobs"].values() for step in job["steps"] if "run" in step]


def _doc_blocks() -> list[str]:
    fenced = r"^[ \t]*```[a-z]*\n(.*?)^[ \t]*```"  # code blocks, inside list items too
    return re.findall(fenced, CI_DOC.read_text(encoding="utf-8"), re.MULTILINE | re.DOTALL)


def sdkgen_commands(script: str) -> list[list[str]]:
    """The `sdkgen ...` command lines of a shell script, as words (up to a redirection or operator)."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        if line.strip().startswith("#"):
            continue
        for match in _COMMAND.finditer(line.strip()):
            words = shlex.split(match.group(1), comments=True)
            cut = next((i for i, word in enumerate(words) if word in _SHELL_WORDS or word.startswith(">")), None)
            commands.append(words[:cut])
    return commands


def unknown_words(words: list[str]) -> list[str]:
    """What in an `sdkgen` command line is not a command, an option or a choice of the click group."""
    if len(words) < 2 or words[1].startswith("-"):
        return [w for w in words[1:] if w not in {"--version", "--help"}]
    command = main.commands.get(words[1])
    if command is None:
        return [words[1]]
    options = {opt: param for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    found = []
    rest = iter(words[2:])
    for word in rest:
        if not word.startswith("-") or word == "-":
            continue
        name, _, inline = word.partition("=")
        param = options.get(name)
        if param is None and name != "--help":
            found.append(word)
        elif isinstance(param, click.Option) and not param.is_flag:
            value = inline or next(rest, "")
            if isinstance(param.type, click.Choice) and "$" not in value and value not in param.type.choices:
                found.append(f"{name} {value}")
    return found


def test_the_workflow_parses_and_runs_the_loop_on_a_schedule_with_a_gate() -> None:
    data = _workflow()
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers and "pull_request" in triggers
    assert set(data["jobs"]) == {"update", "gate"}
    commands = [words[:2] for script in _scripts() for words in sdkgen_commands(script)]
    assert ["sdkgen", "update"] in commands and ["sdkgen", "diff"] in commands
    gate = [words for words in sdkgen_commands(_steps("gate")["gate"]["run"]) if words[1] == "diff"]
    assert gate and all("--fail-on" in words and words[words.index("--fail-on") + 1] == "breaking" for words in gate)


def test_every_sdkgen_command_line_in_the_recipe_exists() -> None:
    lines = [words for script in [*_scripts(), *_doc_blocks()] for words in sdkgen_commands(script)]
    assert len(lines) >= 8
    assert {words[1] for words in lines} >= {"update", "diff", "build", "changelog"}
    wrong = {shlex.join(words): unknown_words(words) for words in lines if unknown_words(words)}
    assert not wrong


@pytest.mark.parametrize(
    ("line", "unknown"),
    [
        ("sdkgen upgrade URL", ["upgrade"]),
        ('sdkgen diff a b --fail-on breaking --format md -o "$OUT"', ["--format md"]),
        ("sdkgen update URL --label breaking > out.md", ["--label"]),
        ("sdkgen diff a b --fail-on=breaking --no-descriptions", []),
    ],
)
def test_the_check_catches_a_command_or_option_that_does_not_exist(line: str, unknown: list[str]) -> None:
    [words] = sdkgen_commands(line)
    assert unknown_words(words) == unknown


# --- the loop, run ------------------------------------------------------------------------------------


def _steps(job: str) -> dict[str, dict[str, Any]]:
    """The job's steps that the recipe runs itself (those with an id; the others set up tools)."""
    return {step["id"]: step for step in _workflow()["jobs"][job]["steps"] if "id" in step}


class Runner:
    """Runs a job's steps as GitHub Actions would: bash -eo pipefail, `${{ }}` expressions in `env:`
    evaluated (only the few this recipe uses: an unknown one fails the test), `if:` on step outputs."""

    def __init__(self, root: Path, contexts: dict[str, str]) -> None:
        self.root, self.repo, self.contexts = root, root / "repo", contexts
        self.temp = root / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.bin = root / "bin"
        self.bin.mkdir(exist_ok=True)
        _script(self.bin / "sdkgen", f'exec {shlex.quote(sys.executable)} -m generator "$@"')
        _script(self.bin / "python", f'exec {shlex.quote(sys.executable)} "$@"')
        # `gh` records what it was asked; no pull request exists yet (`gh pr view` fails).
        _script(self.bin / "gh", 'echo "$*" >> "$GH_LOG"; [ "$1 $2" != "pr view" ]')
        self.gh_log = root / "gh.log"

    def run_job(self, job: str) -> tuple[dict[str, dict[str, str]], list[str]]:
        """Every step of the job in order: each step's outputs (by id), and the steps skipped by their `if:`."""
        outputs: dict[str, dict[str, str]] = {}
        skipped: list[str] = []
        workflow_env = {key: str(value) for key, value in _workflow().get("env", {}).items()}
        for step_id, step in _steps(job).items():
            if "if" in step and not self._condition(step["if"], outputs):
                skipped.append(step_id)
                continue
            output_file = self.temp / f"output-{step_id}"
            output_file.write_text("", encoding="utf-8")
            env = {**os.environ, **workflow_env}
            env.update({key: self._evaluate(str(value), outputs) for key, value in step.get("env", {}).items()})
            env.update(
                PATH=f"{self.bin}{os.pathsep}{env['PATH']}",
                PYTHONPATH=str(ROOT),
                RUNNER_TEMP=str(self.temp),
                GITHUB_OUTPUT=str(output_file),
                GITHUB_STEP_SUMMARY=str(self.temp / "summary.md"),
                GH_LOG=str(self.gh_log),
            )
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=self.repo,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if result.returncode != 0:
                raise StepFailed(step_id, result)
            pairs = [line.partition("=") for line in output_file.read_text(encoding="utf-8").splitlines()]
            outputs[step_id] = {key: value for key, _, value in pairs}
        return outputs, skipped

    def _evaluate(self, text: str, outputs: dict[str, dict[str, str]]) -> str:
        def value(match: re.Match[str]) -> str:
            expression = match.group(1)
            step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
            if step is not None:
                return outputs.get(step.group(1), {}).get(step.group(2), "")
            if expression not in self.contexts:
                pytest.fail(f"the recipe uses an expression this test does not know: {expression}")
            return self.contexts[expression]

        return _EXPRESSION.sub(value, text)

    @staticmethod
    def _condition(condition: str, outputs: dict[str, dict[str, str]]) -> bool:
        match = _CONDITION.match(condition.strip())
        assert match is not None, f"the recipe uses a condition this test does not know: {condition}"
        step, name, operator, expected = match.groups()
        return (outputs.get(step, {}).get(name, "") == expected) == (operator == "==")

    def gh_calls(self) -> list[str]:
        return self.gh_log.read_text(encoding="utf-8").splitlines() if self.gh_log.exists() else []


class StepFailed(Exception):
    def __init__(self, step: str, result: subprocess.CompletedProcess[str]) -> None:
        super().__init__(f"step {step} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        self.step, self.result = step, result


def _script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    result = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


@pytest.fixture
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("_no_proxy")
def test_update_commit_diff_and_pull_request_against_the_loopback_docs_site(tmp_path: Path) -> None:
    origin, repo = tmp_path / "origin.git", tmp_path / "repo"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "pyproject.toml").write_text(
        '[tool.sdkgen]\ninput = ["input_docs"]\noutput = "generated"\npackage_name = "acme"\n'
        'ir = "generated/api.json"\n',
        encoding="utf-8",
    )
    _git(repo, "add", "pyproject.toml")
    _git(repo, "commit", "-q", "-m", "sdkgen settings")
    _git(repo, "remote", "add", "origin", str(origin))
    _git(repo, "push", "-q", "origin", "main")
    pages = sample_pages(4)
    with serve(SiteState(pages=dict(pages))) as site:
        contexts = {
            "vars.SDKGEN_DOCS_URL": site.explorer_url,
            "secrets.SDKGEN_PR_TOKEN || github.token": "token",
            "github.ref_name": "main",
        }
        runner = Runner(tmp_path, contexts)

        # The first run: the first release, a pull request with the Markdown diff, not breaking.
        outputs, _ = runner.run_job("update")
        assert outputs["commit"] == {"changed": "true", "version": "0.1.0"}
        assert outputs["diff"] == {"breaking": "0"}  # the base has no SDK yet
        assert _git(repo, "log", "-1", "--format=%s", "sdkgen/update") == "SDK 0.1.0 from the docs"
        assert _git(repo, "show", "--stat", "--format=", "HEAD").count("generated/") > 10
        assert _git(origin, "rev-parse", "sdkgen/update") == _git(repo, "rev-parse", "HEAD")
        [create] = [call for call in runner.gh_calls() if call.startswith("pr create")]
        assert "--base main --head sdkgen/update --title SDK 0.1.0 from the docs" in create
        assert create.endswith("--label sdk-update")
        body = (tmp_path / "runner-temp" / "body.md").read_text(encoding="utf-8")
        assert "## API changes" in body and "0 -> 4 operations: 4 added" in body
        assert "CHANGELOG.md has the entry of 0.1.0" in body
        _merge(repo)

        # Nothing changed on the site: no commit, no pull request.
        calls = len(runner.gh_calls())
        outputs, skipped = runner.run_job("update")
        assert outputs["commit"] == {"changed": "false"} and skipped == ["diff", "pr"]
        assert len(runner.gh_calls()) == calls and _git(repo, "status", "--porcelain", "--", "generated") == ""

        # A page removed: an operation gone, a major release, the pull request labelled breaking.
        removed = sorted(pages)[0]
        with site.state.lock:
            del site.state.pages[removed]
        outputs, _ = runner.run_job("update")
    assert outputs["commit"] == {"changed": "true", "version": "1.0.0"}
    assert int(outputs["diff"]["breaking"]) >= 1
    create = [call for call in runner.gh_calls() if call.startswith("pr create")][-1]
    assert "(breaking)" in create and create.endswith("--label sdk-update,breaking")
    body = (tmp_path / "runner-temp" / "body.md").read_text(encoding="utf-8")
    assert "### Breaking changes" in body and removed in body
    changelog = (repo / "generated" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 1.0.0") < changelog.index("## 0.1.0")

    # The gate on that pull request: breaking, so it fails until the breaking-approved label is added.
    gate = {"github.event.pull_request.base.sha": _git(repo, "rev-parse", "main")}
    with pytest.raises(StepFailed) as refused:
        Runner(tmp_path, {**gate, **_labels("sdk-update,breaking")}).run_job("gate")
    assert "::error::This pull request breaks callers" in refused.value.result.stdout
    summary = (tmp_path / "runner-temp" / "summary.md").read_text(encoding="utf-8")
    assert "### Breaking changes" in summary
    Runner(tmp_path, {**gate, **_labels("breaking,breaking-approved")}).run_job("gate")
    # ... and passes a pull request that breaks nothing (the base is the branch itself here).
    Runner(tmp_path, {**_labels(""), "github.event.pull_request.base.sha": _git(repo, "rev-parse", "HEAD")}).run_job("gate")


def _labels(names: str) -> dict[str, str]:
    return {"join(github.event.pull_request.labels.*.name, ',')": names}


def _merge(repo: Path) -> None:
    """The pull request merged: main fast-forwarded to the update branch."""
    _git(repo, "checkout", "-q", "main")
    _git(repo, "merge", "-q", "--ff-only", "sdkgen/update")
    _git(repo, "push", "-q", "origin", "main")


def test_sdkgen_commands_are_read_from_shell_lines() -> None:
    script = 'if sdkgen diff a b --fail-on breaking; then\n  x=$(sdkgen changelog a b --bump-only)\nfi\n# sdkgen no\n'
    assert sdkgen_commands(script) == [
        ["sdkgen", "diff", "a", "b", "--fail-on", "breaking"],
        ["sdkgen", "changelog", "a", "b", "--bump-only"],
    ]
    assert json.dumps(sdkgen_commands('git config user.name "sdkgen"')) == "[]"
