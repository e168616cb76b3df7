"""The data files sdkgen reads at run time: the Jinja templates and the SDK runtime, as package data.

The top-level `templates/` folder of the checkout is the package `generator.templates` (the
`package-dir` mapping in pyproject.toml), so the same files are found in a checkout, an editable
install, a wheel or a zip: every loader goes through `importlib.resources`, never through a path
computed from `__file__`.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

TEMPLATES_PACKAGE = "generator.templates"
SDK_FOLDER = "sdk"  # the Jinja templates of the generated package (`*.j2`)
RUNTIME_FOLDER = "runtime"  # modules copied verbatim into the generated package
TEMPLATE_SUFFIX = ".j2"
RUNTIME_SUFFIX = ".py"


def templates_root() -> Traversable:
    return files(TEMPLATES_PACKAGE)


def sdk_templates() -> Traversable:
    return templates_root() / SDK_FOLDER


def runtime_dir() -> Traversable:
    return templates_root() / RUNTIME_FOLDER


def runtime_file(name: str) -> Traversable:
    return runtime_dir() / name


def _listing(folder: Traversable, suffix: str) -> list[Traversable]:
    if not folder.is_dir():
        return []
    return sorted((item for item in folder.iterdir() if item.is_file() and item.name.endswith(suffix)), key=_name)


def _name(item: Traversable) -> str:
    return item.name


def template_names() -> list[str]:
    """The built-in templates, by the name `render()` asks for (`README.md.j2`)."""
    return [item.name for item in _listing(sdk_templates(), TEMPLATE_SUFFIX)]


def runtime_sources() -> list[tuple[str, str]]:
    """(file name, text) of every runtime module, sorted by name."""
    return [(item.name, item.read_text(encoding="utf-8")) for item in _listing(runtime_dir(), RUNTIME_SUFFIX)]


def data_files() -> list[tuple[str, bytes]]:
    """(`sdk/NAME` or `runtime/NAME`, bytes) of every file a command may read: what the cache fingerprints
    and what a wheel must hold."""
    found = [(f"{SDK_FOLDER}/{item.name}", item.read_bytes()) for item in _listing(sdk_templates(), TEMPLATE_SUFFIX)]
    found += [(f"{RUNTIME_FOLDER}/{item.name}", item.read_bytes()) for item in _listing(runtime_dir(), RUNTIME_SUFFIX)]
    return found
