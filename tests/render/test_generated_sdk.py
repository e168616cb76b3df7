"""The SDK generated for a slice of the corpus passes mypy --strict, ruff, imports lazily and passes its
own generated tests against the fake server. The whole input_docs SDK is pip-installed in a slow test."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator.build.run import build
from generator.config import BuildConfig
from generator.render import render_sdk
from generator.render.output import write_tree
from generator.scrape import scrape_paths
from tests.conftest import CORPUS, ROOT

PACKAGE = "corpus_sdk"
# Every 12th page of the corpus, alphabetically: ~100 operations spread over most groups.
SLICE = sorted((CORPUS / "text").glob("*.txt"))[::12]


def _env(*paths: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in paths)
    env.pop("PYTEST_ADDOPTS", None)
    return env


def _start(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(list(args), cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _finish(process: subprocess.Popen[str], what: str, timeout: float = 300) -> str:
    output, _ = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"{what} failed:\n{output[-6000:]}"
    return output


@pytest.fixture(scope="module")
def corpus_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.chdir(ROOT)  # IR source paths relative to the repository, as the autouse fixture does per test
    ir = scrape_paths([p.relative_to(ROOT) for p in SLICE], jobs=1).ir
    assert len(ir.endpoints) >= 90
    out = tmp_path_factory.mktemp("sdk") / "generated"
    write_tree(render_sdk(ir, PACKAGE).files, out)
    return out


def test_generated_sdk_passes_strict_checks_and_its_own_tests(corpus_sdk: Path) -> None:
    env = _env(corpus_sdk)
    checks = {
        "mypy --strict": _start(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", PACKAGE, "tests"], corpus_sdk, env
        ),
        "ruff check": _start([sys.executable, "-m", "ruff", "check", "--no-cache", "."], corpus_sdk, env),
        "generated tests": _start([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests"], corpus_sdk, env),
    }
    results = {what: _finish(process, what) for what, process in checks.items()}
    passed = re.search(r"(\d+) passed", results["generated tests"])
    assert passed is not None and int(passed.group(1)) >= 90
    assert "failed" not in results["generated tests"]


def test_import_and_client_do_not_load_the_models(corpus_sdk: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        import {PACKAGE}
        assert not [m for m in sys.modules if m.startswith("{PACKAGE}.models") or m.startswith("{PACKAGE}.api.")]
        client = {PACKAGE}.Client("http://127.0.0.1:9/zstack")
        assert not [m for m in sys.modules if m.startswith("{PACKAGE}.models")]
        group = client.vm_instance
        groups = {{m for m in sys.modules if m.startswith("{PACKAGE}.models.") and m.count(".") == 2}}
        assert groups == {{"{PACKAGE}.models.vm_instance", "{PACKAGE}.models._base", "{PACKAGE}.models.types"}}, groups
        print(type(group).__name__)
        """)
    output = _finish(_start([sys.executable, "-c", script], corpus_sdk, _env(corpus_sdk)), "lazy import")
    assert output.strip() == "VmInstanceApi"


def test_readme_example_runs_against_the_fake_server(corpus_sdk: Path) -> None:
    readme = (corpus_sdk / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    code = example.group(1).replace('"http://mn.example.com:8080/zstack"', "fake.base_url")
    script = f"from {PACKAGE}.testing import FakeZStack\nwith FakeZStack() as fake:\n" + textwrap.indent(code, "    ")
    _finish(_start([sys.executable, "-c", script], corpus_sdk, _env(corpus_sdk)), "README example")


@pytest.mark.slow
def test_whole_input_docs_sdk_installs_with_pip_and_passes_its_tests(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if "slow" not in (request.config.option.markexpr or "") or "not slow" in request.config.option.markexpr:
        pytest.skip("slow (several minutes): run with -m slow")
    if importlib.util.find_spec("wheel") is None:  # setuptools < 70.1 builds wheels with the `wheel` package
        pytest.skip("an offline pip install of the SDK needs the `wheel` package in this interpreter")
    out = tmp_path / "generated"
    config = BuildConfig(
        source=ROOT / "pyproject.toml",
        inputs=(ROOT / "input_docs",),
        output=out,
        package_name="zstack_sdk",
        ir=out / "api.json",
        openapi=out / "openapi.json",
        cache=tmp_path / "cache",
    )
    report = build(config)
    assert report.operations > 1000 and not report.failed_pages
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "-q", str(out)]
    _finish(_start(pip, tmp_path), "pip install", timeout=900)
    # The tests run from a copy, so `zstack_sdk` can only come from the installed distribution.
    tests = tmp_path / "suite"
    subprocess.run(["cp", "-r", str(out / "tests"), str(tests)], check=True)
    (tests / "test_plugin.py").write_text(
        "def test_entry_point_plugin(zstack_client):\n    assert zstack_client.session_uuid\n", encoding="utf-8"
    )
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    run = [str(python), "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tests)]
    output = _finish(_start(run, tmp_path, env), "installed SDK tests", timeout=1800)
    assert "failed" not in output
    location = _finish(
        _start([str(python), "-c", "import zstack_sdk; print(zstack_sdk.__file__)"], tmp_path, env), "import"
    )
    assert str(venv) in location
