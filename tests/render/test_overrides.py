"""Template overrides ([tool.sdkgen] templates, --templates): file by file before the built-in ones,
sandboxed, one TEMPLATE:LINE error before anything is written; docs/templates.md says what each gets."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.ir import load_ir
from generator.render import reference, sdk, templating
from generator.resources import sdk_templates, template_names
from tests.build.conftest import Project, make_project
from tests.conftest import ROOT

DOC = ROOT / "docs" / "templates.md"
SEED_IR = ROOT / "tests" / "golden" / "seed_ir.json"
_SECTION = re.compile(r"^### `([^`]+)`$", re.MULTILINE)
_VARIABLES = re.compile(r"^- ((?:`[a-z_]+`(?:, )?)+):", re.MULTILINE)


def _documented() -> dict[str, set[str]]:
    text = DOC.read_text(encoding="utf-8")
    heads = list(_SECTION.finditer(text))
    found: dict[str, set[str]] = {}
    for head, after in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : after.start() if after else len(text)]
        names = {name for line in _VARIABLES.findall(body) for name in re.findall(r"`([a-z_]+)`", line)}
        found[head.group(1)] = names
    return found


def _passed(monkeypatch: pytest.MonkeyPatch) -> dict[str, set[str]]:
    """The variables the renderer passes to each template, rendering the seed IR's SDK."""
    calls: dict[str, set[str]] = {}
    real = templating.render

    def recording(template: str, **context: Any) -> str:
        calls.setdefault(template, set()).update(context)
        return real(template, **context)

    for module in (sdk, reference):
        monkeypatch.setattr(module, "render", recording)
    sdk.render_sdk(load_ir(SEED_IR), "zstack_sdk")
    return calls


def test_the_documented_variables_are_what_each_template_receives(monkeypatch: pytest.MonkeyPatch) -> None:
    documented, passed = _documented(), _passed(monkeypatch)
    assert set(documented) == set(template_names()) == set(passed)  # every template, rendered and documented
    assert documented == passed


def _project(tmp_path: Path, overrides: dict[str, str], setting: bool = True) -> Project:
    folder = tmp_path / "project" / "my_templates"
    extra = 'templates = "my_templates"\n' if setting else ""
    project = make_project(tmp_path / "project", ["StartVmInstance", "QueryVmInstance"], extra=extra)
    folder.mkdir()
    for name, text in overrides.items():
        (folder / name).write_text(text, encoding="utf-8")
    return project


def _builtin(name: str) -> str:
    return (sdk_templates() / name).read_text(encoding="utf-8")


def _files(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


def test_a_readme_and_a_model_template_are_overridden_file_by_file(tmp_path: Path) -> None:
    plain = make_project(tmp_path / "plain", ["StartVmInstance", "QueryVmInstance"])
    plain.build()
    readme = "# {{ distribution }} (house edition)\n\n{{ counts }}; install `{{ package }}` from our index.\n"
    model = "# Reviewed by the platform team.\n" + _builtin("models_module.py.j2")
    project = _project(tmp_path, {"README.md.j2": readme, "models_module.py.j2": model})
    project.build()
    before, after = _files(plain.output), _files(project.output)
    assert (
        after["README.md"].decode()
        == "# acme (house edition)\n\n2 operations in 1 group; install `acme` from our index.\n"
    )
    changed = {path for path in after if after[path] != before.get(path)}
    models = {
        path
        for path in after
        if path.startswith("acme/models/") and not path.endswith(("__init__.py", "_base.py"))  # other templates
    }
    assert models and {"README.md", *models} <= changed
    assert all(after[path].startswith(b"# Reviewed by the platform team.\n") for path in models)
    # Everything else in the package is what the built-in templates make.
    assert {path for path in changed if path.startswith("acme/")} == models
    assert after["acme/client.py"] == before["acme/client.py"]


def test_editing_an_override_renders_again(tmp_path: Path) -> None:
    project = _project(tmp_path, {"README.md.j2": "first {{ package }}\n"})
    project.build()
    (project.root / "my_templates" / "README.md.j2").write_text("second {{ package }}\n", encoding="utf-8")
    project.build()
    assert (project.output / "README.md").read_text(encoding="utf-8") == "second acme\n"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("ok\n{% if %}\n", 2, "template syntax error"),
        ("ok\n\n{{ no_such_variable }}\n", 3, "template error: 'no_such_variable' is undefined"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", 1, "unsafe template code"),
        ("line\n{% include '../../../../etc/passwd' %}\n", 2, "template error"),
        ("{{ package.format.__globals__ }}\n", 1, "unsafe template code"),
    ],
    ids=["syntax", "undefined", "sandbox-escape", "include-outside", "globals"],
)
def test_a_broken_or_hostile_override_is_one_error_and_writes_nothing(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    project = _project(tmp_path, {})
    project.build()  # with an empty override folder: the file added below must count in this process too
    before = _files(project.output)
    template = project.root / "my_templates" / "README.md.j2"
    template.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(project.pyproject)])
    assert result.exit_code == 1, result.output
    assert f"{template}:{line}: {message}" in result.output, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert _files(project.output) == before


def test_the_command_line_option_and_generate(tmp_path: Path) -> None:
    project = _project(tmp_path, {"README.md.j2": "from the option: {{ package }}\n"}, setting=False)
    folder = project.root / "my_templates"
    result = CliRunner().invoke(main, ["build", "--config", str(project.pyproject), "--templates", str(folder)])
    assert result.exit_code == 0, result.output
    assert (project.output / "README.md").read_text(encoding="utf-8") == "from the option: acme\n"
    out = tmp_path / "sdk"
    result = CliRunner().invoke(
        main, ["generate", str(project.output / "api.json"), "-o", str(out), "--templates", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "README.md").read_text(encoding="utf-8") == "from the option: zstack_sdk\n"


def test_a_templates_setting_that_is_not_a_folder_names_its_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", ["StartVmInstance"], extra='templates = "missing"\n')
    result = CliRunner().invoke(main, ["build", "--config", str(project.pyproject)])
    assert result.exit_code == 1
    assert f"{project.pyproject}:6: [tool.sdkgen] templates folder" in result.output
    assert not project.output.exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_override_that_makes_invalid_python_names_the_file_and_the_override(tmp_path: Path, jobs: str) -> None:
    project = _project(tmp_path, {})
    project.build()
    before = _files(project.output)
    (project.root / "my_templates" / "models_module.py.j2").write_text("def (:\n{{ doc | docstring }}\n", "utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(project.pyproject), "-j", jobs])
    assert result.exit_code == 1, result.output
    message = result.output.strip()
    assert "generated code does not compile" in message and "acme/models/" in message
    assert f"made with the template overrides of {project.root / 'my_templates'}: models_module.py.j2" in message
    assert len(message.splitlines()) == 1 and _files(project.output) == before
