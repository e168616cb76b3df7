"""Render the units of a full build, with a forked worker beside the renderer that writes the documents
(IR, OpenAPI: documents.py) and shares the formatting and compile() checks of the modules."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.keys import render_context
from generator.build.report import Clock
from generator.build.workers import can_fork, put, take, worker_count, worker_errors
from generator.config import BuildConfig
from generator.errors import SdkgenError
from generator.fsutil import gc_paused

if TYPE_CHECKING:
    from generator.ir.model import IR
    from generator.render import RenderedSdk
    from generator.render.emit import FormatSession, PendingModule
    from generator.render.units import EndpointDigests, RenderMemo


_CHECK_BATCH_BYTES = 1 << 20  # compile checks go to the worker in batches of about this much source


_FORMAT_CHUNKS = 16  # modules left to format are shared with the worker in this many pieces


# What the worker inherits by fork (never pickled): the IR, black's output known before rendering,
# and for the documents' fragments (documents.py) the endpoint digests and the memo's file.
_SIDE_IR: IR | None = None


_SIDE_SEGMENTS: dict[str, str] = {}


_SIDE_DOCUMENTS: tuple[EndpointDigests, Path | None] = ({}, None)


_IR_FILE, _OPENAPI_FILE, FRAGMENTS_FILE = "api.json", "openapi.json", "documents.pack"
SKELETONS_FILE = "skeletons"


# A module's formatting: (text, its splices, black's output for them, statements black formatted).
_Formatted = tuple[str, list[tuple[int, int, str]], dict[str, str], int]


_CompileErrors = list[tuple[int, tuple[int | None, str]]]


def documents_job(scratch: str, in_worker: bool) -> tuple[bytes, bytes]:
    """The IR and OpenAPI files for `_SIDE_IR` (in the worker: written to `scratch`, nothing returned),
    from the fragments of the last build where they still hold; the new fragments go to `scratch`."""
    from generator.build.documents import DocumentMemo, keys_from_digests, write_documents

    assert _SIDE_IR is not None
    digests, pack = _SIDE_DOCUMENTS
    memo = DocumentMemo()
    if pack is not None:
        with suppress(OSError):
            memo = DocumentMemo.from_bytes(pack.read_bytes())
    with gc_paused():
        written = write_documents(_SIDE_IR, memo, keys_from_digests(digests))
        documents = written.ir.encode("utf-8", "surrogatepass"), written.openapi.encode("utf-8", "surrogatepass")
    put(Path(scratch, SKELETONS_FILE), (written.ir_skeleton, written.openapi_skeleton))
    appendix = memo.appendix()
    if appendix is None:
        Path(scratch, FRAGMENTS_FILE).write_bytes(memo.to_bytes())  # the build moves it into the cache
    elif appendix and pack is not None:
        with suppress(OSError), pack.open("ab") as fh:  # fragments are keyed by content: safe to add at once
            fh.write(appendix)
    if not in_worker:
        return documents
    Path(scratch, _IR_FILE).write_bytes(documents[0])
    Path(scratch, _OPENAPI_FILE).write_bytes(documents[1])
    return b"", b""


def _compile_batch(request: str) -> _CompileErrors:
    """(index in batch, error) of every module (path, source) in the batch file that does not compile."""
    from generator.render.emit import compile_error

    errors = []
    for index, (path, source) in enumerate(take(Path(request))):
        error = compile_error(path, source)
        if error is not None:
            errors.append((index, error))
    return errors


def _format_modules(modules: list[tuple[str, str, dict[str, str]]]) -> list[_Formatted | SdkgenError]:
    """Format and compile-check modules (path, source, owners) with the segments known before rendering."""
    from generator.render.emit import FormatSession, format_python, format_session, source_digest

    session = FormatSession(segments=dict(_SIDE_SEGMENTS))
    results: list[_Formatted | SdkgenError] = []
    with gc_paused(), format_session(session):
        for path, source, owners in modules:
            black_runs = session.black_runs
            try:
                text = format_python(path, source, owners)
            except SdkgenError as exc:  # RenderError: reported by the caller, in module order
                results.append(exc)
                continue
            splices = session.modules[source_digest(source)]
            segments = {key: session.segments[key] for _, _, key in splices}
            results.append((text, splices, segments, session.black_runs - black_runs))
    return results


def _format_file(request: str) -> str:
    """`_format_modules` from a request file to a result file (its name returned)."""
    result = f"{request}.done"
    put(Path(result), _format_modules(take(Path(request))))
    return result


def _chunks(modules: list[PendingModule], count: int) -> list[list[int]]:
    """Indexes of `modules` in about `count` runs of similar total source size, in order."""
    total = sum(len(m.source) for m in modules) or 1
    chunks: list[list[int]] = [[]]
    filled = 0
    for index, module in enumerate(modules):
        if filled >= total / count and chunks[-1]:
            chunks.append([])
            filled = 0
        chunks[-1].append(index)
        filled += len(module.source)
    return chunks


class SideWorker:
    """One forked process beside the renderer (none where fork is missing or one job is asked for)."""

    def __init__(
        self, ir: IR, session: FormatSession, jobs: int, scratch: Path, documents: tuple[EndpointDigests, Path | None]
    ) -> None:
        global _SIDE_IR, _SIDE_SEGMENTS, _SIDE_DOCUMENTS
        _SIDE_IR, _SIDE_SEGMENTS, _SIDE_DOCUMENTS = ir, session.segments, documents
        self.scratch = scratch
        self.pool: ProcessPoolExecutor | None = None
        if worker_count(jobs) > 1 and can_fork():
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self.documents: Future[tuple[bytes, bytes]] | None = None
        self.batches: list[tuple[list[PendingModule], Future[_CompileErrors]]] = []
        self.waiting: list[PendingModule] = []
        self.waiting_bytes = 0
        self.unformatted: list[PendingModule] = []

    def start(self, session: FormatSession) -> None:
        """Fork the worker (it starts on the documents) and take the session's put-off work."""
        if self.pool is None:
            return
        self.documents = self.pool.submit(documents_job, str(self.scratch), True)
        session.defer = self.defer
        session.defer_format = self.unformatted.append

    def defer(self, check: PendingModule) -> None:
        self.waiting.append(check)
        self.waiting_bytes += len(check.source)
        if self.waiting_bytes >= _CHECK_BATCH_BYTES:
            self._submit()

    def _submit(self) -> None:
        if self.waiting and self.pool is not None:
            request = self.scratch / f"check-{len(self.batches)}"
            put(request, [(check.path, check.source) for check in self.waiting])
            self.batches.append((self.waiting, self.pool.submit(_compile_batch, str(request))))
        self.waiting, self.waiting_bytes = [], 0

    def finish(self, session: FormatSession, files: dict[str, str | bytes]) -> tuple[bytes, bytes]:
        """Do the put-off work (sharing the formatting), update `files`; the IR and OpenAPI files.

        Raises the first failure in module order."""
        from generator.render.emit import check_failure

        self._submit()
        with worker_errors():
            if self.unformatted:
                self._format(session, files)
            for checks, future in self.batches:
                errors = future.result()
                if errors:
                    index, error = errors[0]
                    raise check_failure(checks[index], error)
            session.compiled.update(check.digest for checks, _ in self.batches for check in checks)
            if self.documents is None:
                return documents_job(str(self.scratch), False)
            self.documents.result()
            return (self.scratch / _IR_FILE).read_bytes(), (self.scratch / _OPENAPI_FILE).read_bytes()

    def _format(self, session: FormatSession, files: dict[str, str | bytes]) -> None:
        """Format the put-off modules, sharing the chunks with the worker: it takes them from the front
        of its queue, this process from the back, until they meet (whatever each was busy with before)."""
        from generator.render.emit import source_digest

        modules = self.unformatted
        chunks = _chunks(modules, _FORMAT_CHUNKS)
        requests = [[(modules[i].path, modules[i].source, dict(modules[i].owners)) for i in chunk] for chunk in chunks]
        futures: list[Future[str]] = []
        if self.pool is not None:
            for number, request in enumerate(requests):
                put(self.scratch / f"format-{number}", request)
                futures.append(self.pool.submit(_format_file, str(self.scratch / f"format-{number}")))
        done: dict[int, list[_Formatted | SdkgenError]] = {}
        for number in reversed(range(len(chunks))):
            if futures and not futures[number].cancel():
                break  # the worker has it: it has (or will have) every chunk before it too
            done[number] = _format_modules(requests[number])
        for number, future in enumerate(futures):
            if number not in done:
                done[number] = take(Path(future.result()))
        for number, chunk in enumerate(chunks):
            for index, outcome in zip(chunk, done[number], strict=True):
                if isinstance(outcome, SdkgenError):
                    raise outcome  # the first failure in module order
                text, splices, segments, black_runs = outcome
                module = modules[index]
                files[module.path] = text
                session.modules[module.digest] = splices
                session.segments.update(segments)
                session.used_segments.update(segments)
                session.compiled.add(source_digest(text))
                session.black_runs += black_runs
                session.compile_runs += 1

    def close(self, session: FormatSession) -> None:
        global _SIDE_IR, _SIDE_SEGMENTS, _SIDE_DOCUMENTS
        session.defer = session.defer_format = None
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        _SIDE_IR, _SIDE_SEGMENTS, _SIDE_DOCUMENTS = None, {}, ({}, None)


def render_full(
    config: BuildConfig, ir: IR, memos: tuple[FormatSession, RenderMemo, Path | None], jobs: int, scratch: Path,
    clock: Clock,
) -> tuple[dict[str, str | bytes], RenderedSdk, bytes, bytes]:  # fmt: skip
    from generator.render import render_sdk
    from generator.render.emit import format_session

    session, memo, fragments = memos
    side = SideWorker(ir, session, jobs, scratch, (memo.endpoint_digests, fragments))
    try:
        side.start(session)
        with format_session(session):
            rendered = render_sdk(ir, config.package_name, memo=memo, context=render_context(config))
        clock.lap("render")
        files: dict[str, str | bytes] = dict(rendered.files)
        session.defer = session.defer_format = None  # what is left runs in finish()
        ir_data, openapi_data = side.finish(session, files)
        memo.complete(files)
        clock.lap("format, check, documents")
    finally:
        side.close(session)
    return files, rendered, ir_data, openapi_data
