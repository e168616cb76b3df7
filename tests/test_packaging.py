"""What a wheel of sdkgen holds, checked without building one (tests/test_wheel_install.py builds and
installs one: slow). The packages and package data pyproject.toml lists must be every package of the
checkout and every file a command reads; the version has one source, the package metadata."""

from __future__ import annotations

import fnmatch
import importlib.metadata
import tomllib
from pathlib import Path

from click.testing import CliRunner

from generator import __version__
from generator.cli import main
from generator.ir.model import IR
from generator.resources import RUNTIME_FOLDER, SDK_FOLDER, data_files, template_names
from tests.conftest import ROOT

SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def _folder_of(package: str) -> Path:
    """Where setuptools takes `package` from, by the `package-dir` mapping."""
    mapping: dict[str, str] = SETUPTOOLS.get("package-dir", {})
    for prefix in sorted(mapping, key=len, reverse=True):
        if package == prefix or package.startswith(prefix + "."):
            rest = package[len(prefix) :].lstrip(".").split(".") if package != prefix else []
            return ROOT.joinpath(mapping[prefix], *filter(None, rest))
    return ROOT.joinpath(*package.split("."))


def test_every_package_of_the_checkout_is_listed() -> None:
    listed = set(SETUPTOOLS["packages"])
    on_disk = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "generator").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert on_disk <= listed, f"not in pyproject's packages (a wheel would lack them): {sorted(on_disk - listed)}"
    assert all(_folder_of(package).is_dir() for package in listed)


def test_every_template_and_runtime_file_is_package_data() -> None:
    templates = _folder_of("generator.templates")
    assert templates == ROOT / "templates"
    patterns: list[str] = SETUPTOOLS["package-data"]["generator.templates"]
    shipped = {
        path.relative_to(templates).as_posix()
        for path in templates.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path != templates / "__init__.py"
    }
    missing = {name for name in shipped if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)}
    assert not missing, f"files under templates/ a wheel would lack: {sorted(missing)}"
    read = {name for name, _ in data_files()}
    assert read == shipped  # what the commands read (and the cache fingerprints) is what ships
    assert {f"{SDK_FOLDER}/{name}" for name in template_names()} | {
        name for name in read if name.startswith(f"{RUNTIME_FOLDER}/")
    } == read


def test_the_version_has_one_source() -> None:
    metadata = importlib.metadata.version("sdkgen")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert __version__ == metadata == project
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and metadata in result.output
    assert IR().generator == f"sdkgen {metadata}"
