"""`[tool.sdkgen]` in pyproject.toml: what `sdkgen build` reads, where it writes.

    [tool.sdkgen]
    input = ["input_docs"]          # folders (or files) of doc pages (the default)
    output = "generated"            # the SDK folder, replaced as a whole on every build (the default)
    package_name = "zstack_sdk"
    ir = "generated/api.json"       # where the IR is written (may be inside `output`)
    openapi = "generated/openapi.json"  # the OpenAPI 3.1 export (default: openapi.json beside the IR)
    cache = ".sdkgen-cache"         # what lets the next build redo only what changed (safe to delete)
    drift_max_share = 0.1           # refuse to publish when more than this share of the operations,
    drift_min_operations = 10       # and at least this many, disappear or lose all their parameters
                                    # or response fields at once (`--accept-drift` publishes anyway)
    sdk_version = "0.1.0"           # the generated package's first version (later ones follow the API diff)
    version_policy = "semver"       # or "zerover": before 1.0.0, breaking -> minor, additions -> patch
    templates = "my_templates"      # Jinja files used before the built-in ones, file by file (docs/templates.md)

Relative paths are relative to the folder holding pyproject.toml, not to the working folder.
"""

from __future__ import annotations

import keyword
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import SdkgenError
from generator.release import DEFAULT_POLICY, DEFAULT_SDK_VERSION, POLICIES, parse_version

DEFAULT_PACKAGE = "zstack_sdk"
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_KEYS = frozenset(
    {
        "input",
        "output",
        "package_name",
        "ir",
        "openapi",
        "cache",
        "drift_max_share",
        "drift_min_operations",
        "sdk_version",
        "version_policy",
        "templates",
    }
)
DEFAULT_DRIFT_SHARE = 0.1
DEFAULT_DRIFT_OPERATIONS = 10
DEFAULT_CACHE = ".sdkgen-cache"
DEFAULT_INPUT = "input_docs"
DEFAULT_OUTPUT = "generated"
_PACKAGE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class BuildConfig:
    source: Path  # the pyproject.toml it came from
    inputs: tuple[Path, ...]
    output: Path
    package_name: str
    ir: Path
    openapi: Path
    cache: Path
    drift_max_share: float = DEFAULT_DRIFT_SHARE
    drift_min_operations: int = DEFAULT_DRIFT_OPERATIONS
    sdk_version: str = DEFAULT_SDK_VERSION  # the first release's version (see generator/release.py)
    version_policy: str = DEFAULT_POLICY
    accept_drift: bool = False  # from the command line only: publish whatever the drift guard finds
    templates: Path | None = None  # a folder of template overrides, searched before the built-in templates

    @property
    def ir_inside_output(self) -> str | None:
        """The IR's path relative to `output` when it is written into the output folder, else None."""
        return self.inside_output(self.ir)

    @property
    def openapi_inside_output(self) -> str | None:
        return self.inside_output(self.openapi)

    def inside_output(self, path: Path) -> str | None:
        """`path` relative to `output` when it lies inside the output folder, else None."""
        try:
            return path.resolve().relative_to(self.output.resolve()).as_posix()
        except ValueError:
            return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SdkgenError(f"{path}: cannot read: {exc}") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        position = _TOML_POSITION.search(str(exc))
        where = f"{path}:{position.group(1)}" if position else str(path)
        raise SdkgenError(f"{where}: not valid TOML: {_TOML_POSITION.sub('', str(exc)).strip()}") from exc


def _line_of(path: Path, key: str) -> str:
    """`FILE:LINE` of `key = ...` inside [tool.sdkgen] (TOML parsers keep no positions)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return str(path)
    in_section = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped.replace(" ", "") == "[tool.sdkgen]"
            if in_section and not key:
                return f"{path}:{number}"
        elif in_section and re.match(rf"{re.escape(key)}\s*=", stripped):
            return f"{path}:{number}"
    return str(path)


def _string(path: Path, table: dict[str, Any], key: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise SdkgenError(f"{_line_of(path, key)}: [tool.sdkgen] {key} must be a non-empty string")
    return value


def _package_name(path: Path, table: dict[str, Any]) -> str:
    """The rule of `generator.render.check_package_name`, checked here so a bad name fails before any work."""
    name = _string(path, table, "package_name", DEFAULT_PACKAGE)
    if not _PACKAGE_NAME.match(name) or keyword.iskeyword(name) or name.startswith("__"):
        raise SdkgenError(
            f"{_line_of(path, 'package_name')}: [tool.sdkgen] invalid package name {name!r}: "
            "use lower-case letters, digits and underscores"
        )
    return name


def _share(path: Path, table: dict[str, Any]) -> float:
    value = table.get("drift_max_share", DEFAULT_DRIFT_SHARE)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise SdkgenError(
            f"{_line_of(path, 'drift_max_share')}: [tool.sdkgen] drift_max_share must be a number from 0 to 1"
        )
    return float(value)


def _count(path: Path, table: dict[str, Any]) -> int:
    value = table.get("drift_min_operations", DEFAULT_DRIFT_OPERATIONS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SdkgenError(
            f"{_line_of(path, 'drift_min_operations')}: [tool.sdkgen] drift_min_operations must be a whole number >= 1"
        )
    return value


def _sdk_version(path: Path, table: dict[str, Any]) -> str:
    value = table.get("sdk_version", DEFAULT_SDK_VERSION)
    if not isinstance(value, str) or parse_version(value) is None:
        raise SdkgenError(
            f"{_line_of(path, 'sdk_version')}: [tool.sdkgen] sdk_version must be a MAJOR.MINOR.PATCH version "
            f"such as {DEFAULT_SDK_VERSION!r}, not {value!r}"
        )
    return value


def _policy(path: Path, table: dict[str, Any]) -> str:
    value = table.get("version_policy", DEFAULT_POLICY)
    if value not in POLICIES:
        raise SdkgenError(
            f"{_line_of(path, 'version_policy')}: [tool.sdkgen] version_policy must be one of "
            f"{', '.join(repr(p) for p in POLICIES)}, not {value!r}"
        )
    return str(value)


def _inputs(path: Path, table: dict[str, Any]) -> list[str]:
    value = table.get("input", [DEFAULT_INPUT])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise SdkgenError(f"{_line_of(path, 'input')}: [tool.sdkgen] input must be a list of folders")
    return list(value)


def _templates(path: Path, table: dict[str, Any], base: Path) -> Path | None:
    if "templates" not in table:
        return None
    folder = base / _string(path, table, "templates")
    if not folder.is_dir():
        raise SdkgenError(f"{_line_of(path, 'templates')}: [tool.sdkgen] templates folder {folder} is not a folder")
    return folder


def load_config(path: Path) -> BuildConfig:
    """The build settings of `path` (a pyproject.toml); every problem is one FILE:LINE message."""
    data = _read_toml(path)
    tool = data.get("tool")
    table = tool.get("sdkgen") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise SdkgenError(f"{path}: no [tool.sdkgen] section")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise SdkgenError(f"{_line_of(path, unknown[0])}: [tool.sdkgen] has unknown key {unknown[0]!r}")
    base = path.resolve().parent
    output_setting = _string(path, table, "output", DEFAULT_OUTPUT)
    output = base / output_setting
    ir = base / _string(path, table, "ir", str(Path(output_setting) / "api.json"))
    openapi = base / _string(path, table, "openapi", str(ir.parent / "openapi.json"))
    config = BuildConfig(
        source=path,
        inputs=tuple(base / item for item in _inputs(path, table)),
        output=output,
        package_name=_package_name(path, table),
        ir=ir,
        openapi=openapi,
        cache=base / _string(path, table, "cache", DEFAULT_CACHE),
        drift_max_share=_share(path, table),
        drift_min_operations=_count(path, table),
        sdk_version=_sdk_version(path, table),
        version_policy=_policy(path, table),
        templates=_templates(path, table, base),
    )
    _check_paths(path, config)
    return config


def _check_paths(path: Path, config: BuildConfig) -> None:
    """Settings under which one output would overwrite another, an input or the cache are refused."""
    if config.ir.resolve() == config.openapi.resolve():
        raise SdkgenError(f"{_line_of(path, 'openapi')}: [tool.sdkgen] openapi and ir name the same file")
    output, cache = config.output.resolve(), config.cache.resolve()
    if _nested(cache, output):
        raise SdkgenError(f"{_line_of(path, 'cache')}: [tool.sdkgen] cache and output must not contain each other")
    for key, target in (("ir", config.ir), ("openapi", config.openapi)):
        if target.resolve().is_relative_to(cache):
            raise SdkgenError(f"{_line_of(path, key)}: [tool.sdkgen] {key} must not be inside the cache folder")
    for item in config.inputs:
        if item.resolve().is_relative_to(output):
            # The output folder is replaced as a whole on every build: it cannot hold the pages.
            raise SdkgenError(f"{_line_of(path, 'input')}: [tool.sdkgen] input {item} is inside output {config.output}")


def _nested(a: Path, b: Path) -> bool:
    return a.is_relative_to(b) or b.is_relative_to(a)
