"""The Jinja environment: the built-in templates (package data), and a user's overrides before them.

A folder of overrides (`[tool.sdkgen] templates`, `--templates DIR`) is searched first, file by
file: `README.md.j2` there replaces the built-in `README.md.j2`, every other template stays
built-in. Overrides are the user's files, not sdkgen's: while they are in use every template renders
in Jinja's SandboxedEnvironment (no attribute or call a template could use to reach Python
internals), and any failure of a template (syntax, an undefined name, a sandbox violation, an
exception inside an expression) becomes one `TEMPLATE_FILE:LINE: message` error raised before
anything is written. docs/templates.md lists the variables each template receives.

The environment has autoescaping off (the output is Python, not HTML) and StrictUndefined (a typo in
a template is an error, not an empty string). Page text never reaches a template as template source.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
import jinja2.exceptions
import jinja2.sandbox

from generator.errors import SdkgenError
from generator.render.emit import RenderError, docstring, literal
from generator.resources import TEMPLATE_SUFFIX, sdk_templates, template_names


class TemplateError(SdkgenError):
    """A template that cannot be rendered: `TEMPLATE_FILE:LINE: message`."""


@dataclass
class _InUse:
    overrides: Path | None = None
    bytecode: Path | None = None  # the build cache's folder of compiled templates
    # One environment per block of `templates_in_use`, made when first asked for: Jinja caches the
    # templates it loaded, and an override file added between two builds of one process must count.
    env: jinja2.Environment | None = None


_IN_USE = [_InUse()]  # a module global, not a ContextVar: forked workers inherit it either way


def check_overrides(folder: Path, where: str) -> Path:
    """`folder` as an override folder (resolved), or an error naming `where` it was set."""
    if not folder.is_dir():
        raise SdkgenError(f"{where}: templates folder {folder} does not exist or is not a folder")
    return folder.resolve()


@contextmanager
def templates_in_use(overrides: Path | None, bytecode: Path | None = None) -> Iterator[None]:
    """Render with the overrides in `overrides` (None: the built-in templates only) inside the block."""
    if overrides is not None:
        overrides = check_overrides(overrides, str(overrides))
    _IN_USE.append(_InUse(overrides, bytecode))
    try:
        yield
    except RenderError as exc:
        if overrides is None:
            raise
        raise RenderError(
            f"{exc} (made with the template overrides of {overrides}: {_overridden(overrides)})"
        ) from None
    finally:
        _IN_USE.pop()


def _overridden(folder: Path) -> str:
    """The built-in templates `folder` replaces, for an error that may come from one of them."""
    names = sorted(name for name in _names() if (folder / name).is_file())
    return ", ".join(names) if names else "none of the built-in templates"


def _builtin(name: str) -> tuple[str, str, Callable[[], bool]] | None:
    """(source, file name, up to date) of a built-in template; only the names the package ships."""
    if name not in _names():
        return None
    item = sdk_templates() / name
    return item.read_text(encoding="utf-8"), str(item), lambda: True


@cache
def _names() -> frozenset[str]:
    return frozenset(template_names())


def _environment(state: _InUse) -> jinja2.Environment:
    builtin = jinja2.FunctionLoader(_builtin)
    options: dict[str, Any] = {
        "autoescape": False,  # the output is Python/TOML/Markdown; every data value is escaped by a filter
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    env: jinja2.Environment
    if state.overrides is None:
        env = jinja2.Environment(loader=builtin, **options)
    else:
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(state.overrides)), builtin])
        env = jinja2.sandbox.SandboxedEnvironment(loader=loader, **options)
    env.filters["py"] = literal
    env.filters["docstring"] = docstring
    if state.bytecode is not None:
        # Compiling the templates costs a few hundredths of a second in every process that renders;
        # Jinja keys each by its source's hash. The sandbox's templates are kept apart.
        folder = state.bytecode / "sandbox" if state.overrides is not None else state.bytecode
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    return env


def environment() -> jinja2.Environment:
    state = _IN_USE[-1]
    if state.env is None:
        state.env = _environment(state)
    return state.env


def render(template: str, **context: Any) -> str:
    """`template` rendered with `context`; TemplateError (FILE:LINE) when a template fails."""
    try:
        return environment().get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or exc.name or template}:{exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except Exception as exc:
        where = _template_line(exc.__traceback__)
        if where is None and not isinstance(exc, jinja2.TemplateError):
            raise
        kind = "unsafe template code" if isinstance(exc, jinja2.exceptions.SecurityError) else "template error"
        message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        raise TemplateError(f"{where or template}: {kind}: {message}") from None


def _template_line(tb: TracebackType | None) -> str | None:
    """`FILE:LINE` of the innermost template frame (Jinja rewrites tracebacks to show template lines)."""
    found = None
    overrides = _IN_USE[-1].overrides
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        path = Path(filename)
        if filename.endswith(TEMPLATE_SUFFIX) or (overrides is not None and path.is_relative_to(overrides)):
            found = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
