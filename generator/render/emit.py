"""Rendering: the fragments templates receive, black formatting, and the compile() gate.

Templates receive names and source fragments already computed and escaped in Python (the Jinja
environment itself is in `generator.render.templating`).

Formatting: the templates and the fragments computed here (`call_lines`, `docstring`) are laid out
as black lays them out, so black only runs where that layout cannot be known in advance: on the
statements holding a line black would change (wider than the limit, a string black re-quotes, a
docstring black pads, an exponent black rewrites). Running black on whole files costs about a
minute for the real API; this costs a fraction of a second. `tests/build/test_black_stable.py`
checks that the result is byte for byte what black makes of the whole file. Inside a
`format_session` black's output per statement and the sources known to compile are memoized by
content hash (`sdkgen build` keeps them on disk), and compile checks can be collected to be run
elsewhere (in parallel) instead of at once.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from generator.errors import SdkgenError
from generator.render.escape import docstring_body, py_literal

if TYPE_CHECKING:
    import black

LINE_LENGTH = 120
# black itself is imported only when a statement needs it (most builds format none: see above), so
# the mode is described here by a constant as well, for the memo keys.
_MODE_KEY = "py311 line-length=120 string-normalization magic-trailing-comma"


@cache
def black_mode() -> black.Mode:
    """One fixed black mode: the same input always formats to the same bytes, whatever the user's config."""
    import black
    import black.mode

    return black.Mode(
        target_versions={black.mode.TargetVersion.PY311},
        line_length=LINE_LENGTH,
        string_normalization=True,
        magic_trailing_comma=True,
    )


def _black_format(source: str) -> str:
    """black.format_str in the fixed mode; raises ValueError (black's InvalidInput is one) for bad input."""
    import black

    return black.format_str(source, mode=black_mode())


def _str_width(line: str) -> int:
    """The width black measures (East Asian wide characters count two columns, combining marks none)."""
    if line.isascii():
        return len(line)
    from black.strings import str_width

    return int(str_width(line))


_DEFINITION = re.compile(r"^\s*(?:async\s+def|def|class)\s+([A-Za-z_][A-Za-z0-9_]*)|^([A-Za-z_][A-Za-z0-9_]*)\s*=")
_BLACK_POSITION = re.compile(r"(\d+):(\d+):")


class RenderError(SdkgenError):
    """Generated code that does not compile: names the file and the operation it belongs to."""


def docstring(lines: list[str], indent: int = 0) -> str:
    """A complete docstring literal for doc lines, continuation lines indented as black would."""
    return _docstring(tuple(lines), indent)


def _plain(text: str) -> bool:
    """Text the escaping functions return unchanged: printable, no backslash, no double quote."""
    return text.isprintable() and "\\" not in text and '"' not in text


@lru_cache(maxsize=8192)  # every operation's docstring is rendered twice: the sync and the async method
def _docstring(lines: tuple[str, ...], indent: int) -> str:
    # Most doc text needs no escaping: skip `docstring_body`'s character-by-character pass (a tested equivalence).
    escaped = list(lines) if all(map(_plain, lines)) else docstring_body(list(lines)).split("\n")
    if len(escaped) <= 1:
        return f'"""{escaped[0] if escaped else ""}"""'
    pad = " " * indent
    rest = [f"{pad}{line}" if line else "" for line in escaped[1:]]
    return '"""' + "\n".join([escaped[0], *rest]) + f'\n{pad}"""'


def call_lines(head: str, args: list[str], indent: int, limit: int = LINE_LENGTH) -> list[str]:
    """`head(args)` laid out as black lays out a call (so black has little left to do, which is faster)."""
    joined = ", ".join(args)
    if indent + len(head) + len(joined) + 2 <= limit:
        return [f"{head}({joined})"]
    if indent + 4 + len(joined) <= limit:
        return [f"{head}(", f"    {joined}", ")"]
    return [f"{head}(", *(f"    {arg}," for arg in args), ")"]


def literal(value: Any) -> str:
    """`escape.py_literal`, without its character-by-character pass for plain strings (a tested equivalence)."""
    if isinstance(value, str) and _plain(value):
        return f'"{value}"'
    return py_literal(value)


def owner_at(source: str, lineno: int, owners: Mapping[str, str]) -> str | None:
    """The operation whose definition encloses `lineno`: the nearest class/def/assignment above it."""
    lines = source.splitlines()
    for index in range(min(lineno, len(lines)) - 1, -1, -1):
        match = _DEFINITION.match(lines[index])
        if match:
            name = match.group(1) or match.group(2)
            if name in owners:
                return owners[name]
    return None


def _failure(path: str, source: str, lineno: int | None, message: str, owners: Mapping[str, str]) -> RenderError:
    owner = owner_at(source, lineno, owners) if lineno else None
    where = f"{path}:{lineno}" if lineno else path
    about = f" (operation {owner})" if owner else ""
    return RenderError(f"{where}: generated code does not compile{about}: {message}")


# --- formatting -------------------------------------------------------------------------------

_LIMIT = LINE_LENGTH
BLACK_VERSION = importlib.metadata.version("black")
# Text black rewrites even in a short line: `\"` (black re-quotes the string with single quotes, or
# pads a docstring that ends in a quote), four quotes (a docstring that starts with one, padded too),
# and an exponent sign (`1e+16` -> `1e16`). A false alarm only costs a black run on one statement.
_BLACK_REWRITES = re.compile(r'\\"|""""|[0-9.]e\+')
_INDENT = "    "


def black_would_change(line: str) -> bool:
    """Whether black may lay out or rewrite `line` (given that the emitter writes black's layout)."""
    if len(line) > _LIMIT or _BLACK_REWRITES.search(line):
        return True
    if line.isascii():
        return False
    # black measures width, not len(): East Asian wide characters count two columns, combining marks
    # none. The emitter chose its layout by len(). Wider than len() only matters past the limit (both
    # then split the same way, black by width); narrower may mean black would join what was split.
    width = _str_width(line)
    return width > _LIMIT or width < len(line)


Splice = tuple[int, int, str]


@dataclass
class PendingModule:
    """A module whose formatting or compile() check a session put off, to be done elsewhere (in parallel):
    format it with `format_python` in a session without deferral; check it with `compile_error`
    and report a failure with `check_failure`."""

    path: str
    source: str
    digest: str
    owners: Mapping[str, str]


@dataclass
class FormatSession:
    """Memos of one build (loaded from and saved to the build cache by the caller)."""

    segments: dict[str, str] = field(default_factory=dict)  # segment key -> black's output
    # sha256 of a module's unformatted source -> its statements black lays out: (first, last line, segment key)
    modules: dict[str, list[Splice]] = field(default_factory=dict)
    compiled: set[str] = field(default_factory=set)  # sha256 of sources known to compile
    defer: Callable[[PendingModule], None] | None = None  # takes compile checks to run elsewhere
    # Takes modules to format elsewhere; format_python then returns the source unformatted, for the
    # caller to replace with the result. Modules the memos know are formatted at once.
    defer_format: Callable[[PendingModule], None] | None = None
    used_segments: set[str] = field(default_factory=set)  # the keys this build needed
    used_modules: set[str] = field(default_factory=set)
    black_runs: int = 0  # statements black actually formatted (cache misses)
    compile_runs: int = 0  # modules compile()d or handed to `defer` (the others were known to compile)


_SESSION: ContextVar[FormatSession | None] = ContextVar("sdkgen_format_session", default=None)


@contextmanager
def format_session(session: FormatSession) -> Iterator[FormatSession]:
    token = _SESSION.set(session)
    try:
        yield session
    finally:
        _SESSION.reset(token)


def source_digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


def keep_format_memo(digests: list[str]) -> None:
    """Mark the memo entries of modules reused as they were (not formatted again) as used, so the
    session keeps them for the build that renders those modules next."""
    session = _SESSION.get()
    if session is None:
        return
    for digest in digests:
        splices = session.modules.get(digest)
        if splices is not None:
            session.used_modules.add(digest)
            session.used_segments.update(key for _, _, key in splices)


def format_python(path: str, source: str, owners: Mapping[str, str] | None = None) -> str:
    """black-formatted source, checked with compile(); RenderError names the operation at fault."""
    owners = owners or {}
    session = _SESSION.get()
    if session is None:
        formatted, _ = _format(path, source, owners)
        check_compiles_now(path, formatted, owners)
        return formatted
    digest = source_digest(source)
    session.used_modules.add(digest)
    splices = session.modules.get(digest)
    if splices is not None and all(key in session.segments for _, _, key in splices):
        formatted = _apply(source, [(first, last, session.segments[key]) for first, last, key in splices])
        session.used_segments.update(key for _, _, key in splices)
    elif session.defer_format is not None:
        session.defer_format(PendingModule(path, source, digest, owners))
        return source
    else:
        formatted, splices = _format(path, source, owners)
        session.modules[digest] = splices
    check_compiles(path, formatted, owners, digest if not splices else None)
    return formatted


def _format(path: str, source: str, owners: Mapping[str, str]) -> tuple[str, list[Splice]]:
    flagged = flagged_lines(source)
    if not flagged:
        return source, []
    return _format_statements(path, source, flagged, owners)


def _apply(source: str, replacements: list[tuple[int, int, str]]) -> str:
    """`source` with lines first..last (1-based, in order, not overlapping) replaced by the given text."""
    lines = _split_lines(source)
    out: list[str] = []
    done = 0
    for first, last, text in replacements:
        out += lines[done : first - 1]
        out.append(text)
        done = last
    out += lines[done:]
    return "".join(out)


_LONG_LINE = re.compile(rf"^[^\n]{{{_LIMIT + 1},}}", re.MULTILINE)
# Brackets the templates open and close on separate lines, with nothing in between (an operation
# without parameters): black joins them, `params=()`.
_EMPTY_SPLIT = re.compile(r"[(\[{]\n[ \t]*[)\]}]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def flagged_lines(source: str) -> list[int]:
    """The (1-based) lines of `source` that `black_would_change`, found by scanning the whole text at once."""
    starts = [m.start() for m in _LONG_LINE.finditer(source)]
    starts += [m.start() for m in _BLACK_REWRITES.finditer(source)]
    starts += [m.start() for m in _EMPTY_SPLIT.finditer(source)]
    if not source.isascii():
        starts += _non_ascii_lines_black_would_change(source)
    numbers: list[int] = []
    line, position = 1, 0
    for start in sorted(starts):
        line += source.count("\n", position, start)
        position = start
        if not numbers or numbers[-1] != line:
            numbers.append(line)
    return numbers


def _non_ascii_lines_black_would_change(source: str) -> list[int]:
    """Offsets in the lines holding non-ASCII text that black measures differently (one search per line)."""
    found: list[int] = []
    match = _NON_ASCII.search(source)
    while match is not None:
        start = source.rfind("\n", 0, match.start()) + 1
        end = source.find("\n", match.start())
        end = len(source) if end < 0 else end
        if black_would_change(source[start:end]):
            found.append(start)
        match = _NON_ASCII.search(source, end)
    return found


def _split_lines(source: str) -> list[str]:
    """Lines with their ends, split at "\n" only (the emitter escapes every other line break)."""
    lines = [line + "\n" for line in source.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def format_with_black(path: str, source: str, owners: Mapping[str, str] | None = None) -> str:
    """black on the whole file (the reference the fast path is tested against)."""
    try:
        return _black_format(source)
    except ValueError as exc:  # black.parsing.InvalidInput
        raise _black_failure(path, source, exc, owners or {}) from None


def _black_failure(path: str, source: str, exc: Exception, owners: Mapping[str, str]) -> RenderError:
    check_compiles_now(path, source, owners)  # a SyntaxError gives the better message
    position = _BLACK_POSITION.search(str(exc))
    return _failure(path, source, int(position.group(1)) if position else None, str(exc), owners)


@dataclass(frozen=True)
class _Statement:
    first: int  # 1-based line of the statement (its first decorator)
    last: int  # its last line, or the last line of its header when `header_only`
    depth: int  # indentation level
    leads_block: bool  # first statement of its block (black treats a leading string as a docstring)
    header_only: bool = False  # a def whose flagged lines are all in its signature: its body is not sent to black
    layout: str | None = None  # black's layout, known without running black (a long one-line import)
    docstring: bool = False  # a string leading its block, which black does not split however long


def _format_statements(
    path: str, source: str, flagged: list[int], owners: Mapping[str, str]
) -> tuple[str, list[Splice]]:
    """`source` with each statement that holds a flagged line replaced by black's layout of it."""
    try:
        tree = ast.parse(source, path)
    except SyntaxError as exc:
        raise _failure(path, source, exc.lineno, exc.msg or "invalid syntax", owners) from None
    except ValueError as exc:  # NUL bytes
        raise _failure(path, source, None, str(exc), owners) from None
    lines = _split_lines(source)
    statements = _outermost(s for number in flagged if (s := _innermost_statement(tree.body, number, 0, True)))
    replacements: list[tuple[int, int, str]] = []
    splices: list[Splice] = []
    session = _SESSION.get()
    for statement in statements:
        text = "".join(lines[statement.first - 1 : statement.last])
        layout = statement.layout
        if layout is None and statement.docstring and _long_docstring_only(text):
            layout = text
        if layout is not None and "#" not in text:  # a comment would be lost
            key, formatted = source_digest(f"layout\0{layout}"), layout
            if session is not None:
                session.segments[key] = formatted
                session.used_segments.add(key)
        else:
            key, formatted = _black_statement(path, source, text, statement, owners)
        replacements.append((statement.first, statement.last, formatted))
        splices.append((statement.first, statement.last, key))
    return _apply(source, replacements), splices


def _is_str_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _long_docstring_only(text: str) -> bool:
    """A docstring as `docstring()` writes it that is flagged only for being long: black leaves it as it is
    (it never splits a string; it would only move closing quotes that share a long last line, and ours
    stand on their own line when there are several)."""
    lines = text.rstrip("\n").split("\n")
    return (
        text.isascii()
        and _BLACK_REWRITES.search(text) is None
        and lines[0].lstrip().startswith('"""')
        and lines[-1].endswith('"""')
        and (len(lines) == 1 or lines[-1].strip() == '"""')
        and all(line == line.rstrip() for line in lines)
    )


def _start(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)])


def _blocks(node: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists nested in a compound statement (bodies, else/finally, handlers, cases)."""
    blocks = [getattr(node, name, None) for name in ("body", "orelse", "finalbody")]
    blocks += [handler.body for handler in getattr(node, "handlers", [])]
    blocks += [case.body for case in getattr(node, "cases", [])]
    return [block for block in blocks if isinstance(block, list) and block and isinstance(block[0], ast.stmt)]


def _innermost_statement(body: list[ast.stmt], number: int, depth: int, first_in_block: bool) -> _Statement | None:
    """The smallest statement holding line `number` (None for a comment or blank line between them)."""
    for index, node in enumerate(body):
        last = node.end_lineno or node.lineno
        if not _start(node) <= number <= last:
            continue
        for block in _blocks(node):
            inner = _innermost_statement(block, number, depth + 1, True)
            if inner is not None:
                return inner
        leads = index == 0 and first_in_block
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and number < _start(node.body[0]):
            return _Statement(_start(node), _start(node.body[0]) - 1, depth, leads, header_only=True)
        layout = _import_layout(node, depth) if isinstance(node, ast.ImportFrom) and node.lineno == last else None
        docstring = leads and isinstance(node, ast.Expr) and _is_str_constant(node.value)
        return _Statement(_start(node), last, depth, leads, layout=layout, docstring=docstring)
    return None


def _import_layout(node: ast.ImportFrom, depth: int) -> str | None:
    """black's layout of a one-line `from m import a, b` (they are long in lazy `__init__` modules, and
    black is slowest on them): as it is when it fits, else one name per line with a trailing comma."""
    names = [f"{a.name} as {a.asname}" if a.asname else a.name for a in node.names]
    if "*" in names:
        return None
    indent = _INDENT * depth
    head = f"{indent}from {'.' * node.level}{node.module or ''} import"
    line = f"{head} {', '.join(names)}"
    if _str_width(line) <= _LIMIT:
        return line + "\n"
    return f"{head} (\n" + "".join(f"{indent}{_INDENT}{name},\n" for name in names) + f"{indent})\n"


def _outermost(statements: Iterator[_Statement] | list[_Statement]) -> list[_Statement]:
    """Sorted, with statements nested in another flagged one dropped (formatting the outer one covers them)."""
    kept: list[_Statement] = []
    for statement in sorted(set(statements), key=lambda s: (s.first, -s.last)):
        if kept and statement.first <= kept[-1].last:
            continue
        kept.append(statement)
    return kept


def _black_statement(
    path: str, source: str, text: str, statement: _Statement, owners: Mapping[str, str]
) -> tuple[str, str]:
    """black's layout of one statement, formatted inside dummy blocks that give it its real depth."""
    session = _SESSION.get()
    context = (statement.depth, statement.leads_block, statement.header_only)  # not the position: text may move
    key = source_digest(f"{BLACK_VERSION}\0{_MODE_KEY}\0{context}\0{text}")
    if session is not None:
        session.used_segments.add(key)
        cached = session.segments.get(key)
        if cached is not None:
            return key, cached
    wrapper = "".join(f"{_INDENT * level}class _:\n" for level in range(statement.depth))
    if statement.depth and not statement.leads_block:
        wrapper += f"{_INDENT * statement.depth}pass\n"  # so a string statement is not taken for a docstring
    body = f"{_INDENT * (statement.depth + 1)}pass\n" if statement.header_only else ""
    try:
        formatted = _black_format(wrapper + text + body)
    except ValueError as exc:  # black.parsing.InvalidInput
        raise _black_failure(path, source, exc, owners) from None
    result = _extract(formatted, statement)
    if session is not None:
        session.segments[key] = result
        session.black_runs += 1
    return key, result


def _extract(formatted: str, statement: _Statement) -> str:
    """The lines of the wrapped statement (or of its header) in black's output of the wrapper."""
    body = ast.parse(formatted).body
    for _ in range(statement.depth):
        body = body[0].body  # type: ignore[attr-defined]  # the dummy classes
    node = body[-1]
    last = _start(node.body[0]) - 1 if statement.header_only else node.end_lineno or node.lineno  # type: ignore[attr-defined]
    return "".join(_split_lines(formatted)[_start(node) - 1 : last])


# --- the compile() gate ------------------------------------------------------------------------


def check_compiles(path: str, source: str, owners: Mapping[str, str] | None = None, digest: str | None = None) -> None:
    """compile() `source` (or, in a session, skip it when known to compile, or put it off)."""
    session = _SESSION.get()
    if session is None:
        check_compiles_now(path, source, owners)
        return
    digest = digest or source_digest(source)
    if digest in session.compiled:
        return
    session.compile_runs += 1
    if session.defer is not None:
        session.defer(PendingModule(path, source, digest, owners or {}))
        return
    check_compiles_now(path, source, owners)
    session.compiled.add(digest)


def check_compiles_now(path: str, source: str, owners: Mapping[str, str] | None = None) -> None:
    error = compile_error(path, source)
    if error is not None:
        raise _failure(path, source, error[0], error[1], owners or {})


def compile_error(path: str, source: str) -> tuple[int | None, str] | None:
    """(line, message) when `source` does not compile, else None. Picklable, for worker processes."""
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return exc.lineno, exc.msg
    except ValueError as exc:  # NUL bytes in source
        return None, str(exc)
    return None


def check_failure(check: PendingModule, error: tuple[int | None, str]) -> RenderError:
    """The RenderError of a put-off check that failed (naming the operation, as an immediate check would)."""
    return _failure(check.path, check.source, error[0], error[1], check.owners)
