"""Build benchmarks: cold build, warm rebuild, SDK import, memory, linearity, openapi-python-client.

    python bench/bench_build.py [--pages 1169 2000 10000] [--warm-max 2000] [--skip-opc] [--json results.json]

For each page count a scale set is made (bench/make_scale_set.py; 1169 pages is the corpus itself)
and built cold with `sdkgen build` from a fresh project folder whose pyproject.toml points at it.
At the first page count only (the slow parts), the harness times `import pkg; pkg.Client` in fresh
interpreters and generates a client with openapi-python-client 0.29 from `sdkgen openapi` of the
same pages, with its default post-hooks (ruff) and without. At every page count up to --warm-max it
then rebuilds warm after each kind of change (see `warm_rebuilds`); only "one page edited", a
parameter description changed and verified to change the IR, is judged against the 1 s target.
Every command runs as a child process: its wall time, its CPU time, the RSS of its largest process
(the kernel's count, from wait4) and the peak RSS / PSS summed over its process tree (sampled from
/proc every 0.25 s, PSS every second) are recorded. Figures only: nothing here is a test.

openapi-python-client lives in its own venv: `--setup-opc` makes bench/.venv (gitignored) with
`pip install 'openapi-python-client==0.29.*'`; `--opc PATH` names another executable.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from make_scale_set import Vocabulary, make_scale_set, read_vocabulary, rename_page  # noqa: E402
from make_scale_set import suffix as scale_suffix  # noqa: E402

PACKAGE = "zstack_sdk"
OPC_VENV = BENCH / ".venv"
OPC_REQUIREMENT = "openapi-python-client==0.29.*"
SAMPLE_SECONDS = 0.25
PSS_EVERY = 4  # samples
IMPORT_REPEAT = 5
MB = 1024 * 1024

# The targets of issue 6 (2-core machine).
TARGET_SPEEDUP_VS_OPC = 3.0
TARGET_WARM_SECONDS = 1.0
TARGET_IMPORT_SECONDS = 0.3
TARGET_IMPORT_MB = 60.0
TARGET_BUILD_MB = 500.0


# --- measuring a child process -------------------------------------------------------------


@dataclass
class Run:
    """One child process, measured."""

    command: list[str]
    returncode: int
    seconds: float
    cpu_seconds: float  # user + system of the process and its reaped children
    max_process_rss_mb: float  # the largest single process of the tree (kernel high-water mark)
    peak_tree_rss_mb: float  # sampled: RSS summed over the live tree (shared pages counted per process)
    peak_tree_pss_mb: float | None  # sampled: PSS summed over the tree (shared pages split), None if unreadable
    stdout_tail: str = ""
    stderr_tail: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def _proc_parents() -> dict[int, int]:
    """pid -> parent pid for every process we can see."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # exited meanwhile
        # `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so split after the last ')'.
        fields = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
    return parents


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, parent in _proc_parents().items():
        children.setdefault(parent, []).append(pid)
    tree, stack = [], [root]
    while stack:
        pid = stack.pop()
        tree.append(pid)
        stack.extend(children.get(pid, []))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return 0  # exited meanwhile


def _pss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


class TreeSampler(threading.Thread):
    """Samples the memory of a process tree until stopped; keeps the peaks of the sums.

    The sampler shares the CPUs it measures, so it is kept cheap: RSS (statm) every interval,
    PSS (smaps_rollup walks the page tables, milliseconds per large process) every `pss_every`."""

    def __init__(self, root: int, interval: float = SAMPLE_SECONDS, pss_every: int = PSS_EVERY) -> None:
        super().__init__(daemon=True)
        self.root, self.interval, self.pss_every = root, interval, pss_every
        self.peak_rss_kb = 0
        self.peak_pss_kb: int | None = None
        self._samples = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def sample(self) -> None:
        pids = _descendants(self.root)[1:]  # [0] is the launcher, not the command
        self.peak_rss_kb = max(self.peak_rss_kb, sum(_rss_kb(pid) for pid in pids))
        take_pss = self._samples % self.pss_every == 0  # the first sample, then every pss_every-th
        self._samples += 1
        if pids and take_pss:
            pss = [_pss_kb(pid) for pid in pids]
            if all(value is not None for value in pss):
                self.peak_pss_kb = max(self.peak_pss_kb or 0, sum(v for v in pss if v is not None))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _tail(handle: Any, lines: int = 20) -> str:
    handle.seek(0)
    text: str = handle.read().decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


# Linux keeps a process's RSS high-water mark across exec, so a child spawned straight from this
# (large) process would report at least our RSS. A small launcher forks the real command and
# reads its rusage with wait4: ru_maxrss of the command's largest process, CPU of its whole tree.
# The launcher's own size (about 8 MB, python -I -S) is the floor of that figure.
_LAUNCHER = """
import json, os, sys, time
report, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
with open(report, "w") as fh:
    json.dump({"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}, fh)
os._exit(code if code >= 0 else 128 - code)
"""


def measure(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run `command` to completion; wall time from spawn to exit, memory as described on `Run`."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rusage.json"
        launcher = [sys.executable, "-I", "-S", "-c", _LAUNCHER, str(report), *command]
        proc = subprocess.Popen(launcher, cwd=cwd, env=env, stdout=out, stderr=err)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        returncode = proc.wait()
        sampler.stop()
        usage = json.loads(report.read_text()) if report.is_file() else {"seconds": 0.0, "cpu": 0.0, "maxrss_kb": 0}
        return Run(
            command=list(command),
            returncode=returncode,
            seconds=usage["seconds"],
            cpu_seconds=usage["cpu"],
            max_process_rss_mb=usage["maxrss_kb"] / 1024,
            peak_tree_rss_mb=sampler.peak_rss_kb / 1024,
            peak_tree_pss_mb=None if sampler.peak_pss_kb is None else sampler.peak_pss_kb / 1024,
            stdout_tail=_tail(out),
            stderr_tail=_tail(err),
        )


# --- sdkgen --------------------------------------------------------------------------------


def sdkgen_env() -> dict[str, str]:
    """This checkout's generator first on the path, whatever is installed."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def sdkgen(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


BUILD_OPTIONS: dict[str, bool] = {}  # what this checkout's `sdkgen build` accepts


def build_available() -> bool:
    probe = subprocess.run(sdkgen("build", "--help"), env=sdkgen_env(), capture_output=True, text=True, cwd=ROOT)
    BUILD_OPTIONS["verbose"] = "--verbose" in probe.stdout
    return probe.returncode == 0


def write_project(project: Path, pages: Path) -> None:
    """A fresh project folder: pyproject.toml with [tool.sdkgen], nothing built yet (a cold build)."""
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        "[tool.sdkgen]\n"
        f"input = [{json.dumps(str(pages))}]\n"
        'output = "out"\n'
        f'package_name = "{PACKAGE}"\n'
        'ir = "api.json"\n',
        encoding="utf-8",
    )


def build(project: Path, jobs: int) -> Run:
    verbose = ["--verbose"] if BUILD_OPTIONS.get("verbose") else []
    return measure(sdkgen("build", "--jobs", str(jobs), *verbose), cwd=project, env=sdkgen_env())


_PHASE = re.compile(r"([A-Za-z][\w -]*?) (\d+(?:\.\d+)?) s\b")


def build_phases(run: Run) -> dict[str, float]:
    """The phase times `sdkgen build --verbose` prints (`sdkgen: scan 0.01 s, scrape 4.20 s, ...; ...`)."""
    for line in reversed(run.stderr_tail.splitlines()):
        if line.startswith("sdkgen: ") and ";" in line and _PHASE.search(line.split(";")[0]):
            return {name.strip(): float(value) for name, value in _PHASE.findall(line.split(";")[0][8:])}
    return {}


_SUMMARY = re.compile(r"^sdkgen: .* pages failed \((?P<summary>.*)\)$")
_UNITS = re.compile(r"(\d+) groups and type modules rendered, (\d+) reused")


def build_summary(run: Run) -> str:
    """What the build said it did: `up to date`, `... no change in the API`, `3 of 2000 pages parsed, ...`."""
    for line in reversed(run.stderr_tail.splitlines()):
        match = _SUMMARY.match(line)
        if match:
            return match.group("summary")
    return ""


def build_units(run: Run) -> tuple[int, int] | None:
    """(rendered, reused) groups and type modules, from the `sdkgen build --verbose` details line."""
    for line in reversed(run.stderr_tail.splitlines()):
        match = _UNITS.search(line)
        if match:
            return int(match.group(1)), int(match.group(2))
    return None


# --- warm rebuilds: what changed between two builds -------------------------------------------

EDIT_RUNS = 3  # "one page edited" runs, each on another page; the median is judged
JUDGED_WARM_KIND = "one page edited"  # the only warm kind with a time target
ADDED_PARAM = "benchmarkAddedNote"  # a parameter name no page has
Change = Callable[[str, str], str | None]  # (page text, file suffix) -> the changed text, None if it does not apply
_REQUEST_SECTION = re.compile(r'<section class="api-section api-request"[^>]*>.*?</section>', re.DOTALL)
# A leaf field row of the request (no nested list) and its description paragraph.
_LEAF_DESC = re.compile(r'</span></div>\n<p class="desc">(?P<text>[^<\n]*)</p></li>')
# A plain sentence: nothing the scraper reads as valid values, a default, a reference or an
# `Optional.` flag, so appending to it changes the description and nothing else.
_PLAIN_SENTENCE = re.compile(r"[A-Z][A-Za-z0-9 ,'()/-]{8,}\.")
_SPECIAL_WORDS = re.compile(r"Option|Valid|[Ss]ee\b|Default|deprecated", re.IGNORECASE)
# The body field list whose first row holds the wrapped parameters (`params`, `createVmCdRom`).
_HTML_WRAPPER_LIST = re.compile(
    r'<div class="param-group" data-location="body">\n<h3>[^<\n]*</h3>\n<ul class="param-tree">\n'
    r'<li><div class="row">[^\n]*</div>\n(?:<p class="desc">[^<\n]*</p>\n)?<ul class="param-tree">\n'
)


@dataclass
class Warm:
    """One kind of warm rebuild: its runs (several for the judged kind), the pages changed, and
    whether the change did to the API what it was meant to (`problem` says how it did not)."""

    runs: list[Run]
    pages: list[str] = field(default_factory=list)
    check: str = ""  # what was verified, shown as the row's target
    problem: str | None = None

    @property
    def run(self) -> Run:
        """The median run by wall time (the only run for most kinds)."""
        return sorted(self.runs, key=lambda run: run.seconds)[len(self.runs) // 2]

    @property
    def ok(self) -> bool:
        return self.problem is None and all(run.ok for run in self.runs)


def page_files(pages: Path) -> list[Path]:
    return sorted(p for p in pages.iterdir() if p.suffix in (".html", ".txt"))


def touch(page: Path) -> None:
    later = time.time() + 2  # past the file system's timestamp granularity
    os.utime(page, (later, later))


def republished(text: str, suffix: str) -> str:
    """The same page published again: other bytes, the same content (an HTML comment, a blank line)."""
    if suffix == ".html" and "</html>" in text:
        at = text.rindex("</html>")
        return text[:at] + "<!-- republished by the benchmark -->\n" + text[at:]
    return text + "\n"


def _plain_description(text: str) -> bool:
    sentence = text.removeprefix("Optional.").strip()
    return bool(_PLAIN_SENTENCE.fullmatch(sentence)) and not _SPECIAL_WORDS.search(sentence)


def edited_description(text: str, suffix: str, mark: str) -> str | None:
    """The page with `mark` appended to one request parameter's description; None if it has none
    that is a plain sentence (a doc fix to one Body/Query/Path field)."""
    if suffix == ".html":
        section = _REQUEST_SECTION.search(text)
        if section is None:
            return None
        for desc in _LEAF_DESC.finditer(section.group(0)):
            if _plain_description(desc.group("text")):
                at = section.start() + desc.end("text")
                return text[:at] + " " + mark + text[at:]
        return None
    lines = text.split("\n")
    request = _text_request_lines(lines)
    filled = [i for i in request if lines[i].strip()]
    for at in range(1, len(filled)):
        previous, index = filled[at - 1], filled[at]
        row = lines[index].strip()
        if not lines[previous].lstrip().startswith("•") or row.startswith("•"):
            continue  # not the description paragraph right under a field row
        following = filled[at + 1] if at + 1 < len(filled) else None
        has_fields = following is not None and _indent(lines[following]) > _indent(lines[previous])
        if not has_fields and _plain_description(row):  # a parameter, not a wrapper or object
            lines[index] = lines[index].rstrip() + " " + mark
            return "\n".join(lines)
    return None


def _text_request_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines between `Request Inputs` and `Responses` (English text form)."""
    stripped = [line.strip() for line in lines]
    if "Request Inputs" not in stripped or "Responses" not in stripped:
        return []
    start = stripped.index("Request Inputs")
    end = stripped.index("Responses", start)
    return list(range(start + 1, end))


def added_parameter(text: str, suffix: str) -> str | None:
    """The page with an optional String parameter `ADDED_PARAM` as the first wrapped body field;
    None if the page's body has no wrapper with fields."""
    description = "Optional. Added by the benchmark."
    if suffix == ".html":
        wrapper = _HTML_WRAPPER_LIST.search(text)
        if wrapper is None:
            return None
        row = (
            f'<li><div class="row"><span class="nm">{ADDED_PARAM}</span><span class="ty">String</span></div>\n'
            f'<p class="desc">{description}</p></li>\n'
        )
        return text[: wrapper.end()] + row + text[wrapper.end() :]
    lines = text.split("\n")
    request = _text_request_lines(lines)
    body = [i for i in request if lines[i].strip() == "Body Fields"]
    bullets = [i for i in request if body and i > body[0] and lines[i].lstrip().startswith("•")]
    if len(bullets) < 2 or _indent(lines[bullets[1]]) <= _indent(lines[bullets[0]]):
        return None  # no wrapper row with fields under it
    lead = lines[bullets[1]][: lines[bullets[1]].index("•")]
    new_row = [f"{lead}• {ADDED_PARAM}String", "", f"{lead}  {description}", ""]
    return "\n".join(lines[: bullets[1]] + new_row + lines[bullets[1] :])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def pick_pages(files: list[Path], count: int, change: Change, avoid: set[Path]) -> list[Path]:
    """`count` pages spread evenly over the set that `change(text, suffix)` applies to."""
    picked: list[Path] = []
    for start in range(count):
        for offset in range(len(files)):
            page = files[(start * len(files) // count + offset) % len(files)]
            if page in avoid or page in picked:
                continue
            if change(page.read_text(encoding="utf-8"), page.suffix) is not None:
                picked.append(page)
                break
    return picked


def apply(page: Path, change: Change) -> None:
    new_text = change(page.read_text(encoding="utf-8"), page.suffix)
    assert new_text is not None, page  # pick_pages chose it because the change applies
    page.write_text(new_text, encoding="utf-8")


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() else b""


def _ir_params(ir: dict[str, Any]) -> dict[str, list[str]]:
    """operation id -> names of all its request parameters, nested ones included."""

    def names(params: list[dict[str, Any]]) -> list[str]:
        return [n for p in params for n in [p["name"], *names(p.get("children", []))]]

    found: dict[str, list[str]] = {}
    for endpoint in ir.get("endpoints", []):
        body = endpoint.get("body") or {}
        groups = [endpoint.get("path_params", []), endpoint.get("query_params", [])]
        groups += [body.get("params", []), body.get("top_level", [])]
        found[endpoint["operation_id"]] = [n for group in groups for n in names(group)]
    return found


def _scale_set_copies(pages: Path) -> int:
    marker = pages / "scale-set.json"
    return int(json.loads(marker.read_text(encoding="utf-8"))["copies"]) if marker.is_file() else 1


@functools.cache
def _vocabulary() -> Vocabulary:
    return read_vocabulary()


def added_page(pages: Path, avoid: set[Path], form: str) -> tuple[Path, str]:
    """A new page: a copy-0 page renamed as make_scale_set names the copy after the last one
    (operation id, classes, wrapper key and paths), so it adds an operation and clashes with none."""
    vocabulary = _vocabulary()
    originals = [p for p in page_files(pages) if p.stem in vocabulary.operation_ids and p not in avoid]
    source = originals[len(originals) // 2]
    copy = _scale_set_copies(pages)
    text = rename_page(source.read_text(encoding="utf-8"), source.stem, copy, vocabulary, text_form=form == "text")
    target = pages / f"{source.stem}{scale_suffix(copy)}{source.suffix}"
    if target.exists():
        raise SystemExit(f"bench_build: {target} exists already: the scale set is not what make_scale_set wrote")
    return target, text


def warm_rebuilds(project: Path, pages: Path, jobs: int, form: str) -> dict[str, Warm]:
    """Build again after each kind of change, in this order; every build sees the changes before it."""
    ir_file = project / "api.json"
    files = page_files(pages)
    first = files[0]
    warm = {"unchanged": Warm([build(project, jobs)])}
    touch(first)
    warm["one page touched"] = Warm([build(project, jobs)], [first.name])
    warm["one page republished"] = _republish(project, first, jobs, ir_file)
    warm["one page edited"] = _edit_descriptions(project, files, {first}, jobs, ir_file)
    changed = {pages / name for result in warm.values() for name in result.pages}
    warm["one page edited, parameter added"] = _add_parameter(project, files, changed, jobs, ir_file)
    changed |= {pages / name for name in warm["one page edited, parameter added"].pages}
    warm["one page added"] = _add_page(project, pages, changed, jobs, form, ir_file)
    return warm


def _republish(project: Path, page: Path, jobs: int, ir_file: Path) -> Warm:
    page.write_text(republished(page.read_text(encoding="utf-8"), page.suffix), encoding="utf-8")
    before = _read(ir_file)
    run = build(project, jobs)
    result = Warm([run], [page.name], check="up to date")
    if "up to date" not in build_summary(run) or _read(ir_file) != before:
        result.problem = f"republishing {page.name} changed the API ({build_summary(run) or 'no summary'})"
    return result


def _edit_descriptions(project: Path, files: list[Path], avoid: set[Path], jobs: int, ir_file: Path) -> Warm:
    """EDIT_RUNS builds, each after one parameter description changed on another page, each
    verified to change the IR (else the build may have taken the cheap `no change in the API` path)."""
    result = Warm([], check=f"< {TARGET_WARM_SECONDS:.0f} s")
    marks = [f"Edited by the benchmark ({n + 1})." for n in range(EDIT_RUNS)]
    picked = pick_pages(files, EDIT_RUNS, functools.partial(edited_description, mark=marks[0]), avoid)
    if len(picked) < EDIT_RUNS:
        result.problem = f"only {len(picked)} pages with a plain parameter description to edit"
    for page, mark in zip(picked, marks, strict=False):
        apply(page, functools.partial(edited_description, mark=mark))
        before = _read(ir_file)
        result.runs.append(build(project, jobs))
        result.pages.append(page.name)
        after = _read(ir_file)
        if after == before:
            result.problem = f"the edit did not change the API ({page.name}: {build_summary(result.runs[-1])})"
        elif mark.encode() not in after and result.problem is None:
            result.problem = f"the API changed but the edited description is not in it ({page.name})"
    return result


def _add_parameter(project: Path, files: list[Path], avoid: set[Path], jobs: int, ir_file: Path) -> Warm:
    result = Warm([], check=f"IR gains {ADDED_PARAM}")
    picked = pick_pages(files, 1, added_parameter, avoid)
    if not picked:
        result.problem = "no page with a wrapped body to add a parameter to"
        return result
    page = picked[0]
    apply(page, added_parameter)
    result.runs.append(build(project, jobs))
    result.pages.append(page.name)
    holders = [op for op, names in _ir_params(json.loads(ir_file.read_bytes())).items() if ADDED_PARAM in names]
    if len(holders) != 1:
        result.problem = f"the IR has {ADDED_PARAM} in {len(holders)} operations, not 1 ({page.name})"
    return result


def _add_page(project: Path, pages: Path, avoid: set[Path], jobs: int, form: str, ir_file: Path) -> Warm:
    page, text = added_page(pages, avoid, form)
    page.write_text(text, encoding="utf-8")
    result = Warm([build(project, jobs)], [page.name], check="IR gains the operation")
    if page.stem not in _ir_params(json.loads(ir_file.read_bytes())):
        result.problem = f"the IR has no operation {page.stem}"
    return result


# --- importing the generated SDK -----------------------------------------------------------

# The probes read VmHWM (this process's own peak RSS) rather than ru_maxrss, which on Linux
# carries the parent's RSS over the exec of a freshly spawned child.
_PEAK_RSS = """
def peak_rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""

_IMPORT_PROBE = _PEAK_RSS + """
import json, sys, time
start = time.perf_counter()
import {pkg}
{pkg}.Client
seconds = time.perf_counter() - start
loaded = [m for m in sys.modules if m == "{pkg}" or m.startswith("{pkg}.")]
print(json.dumps({{
    "seconds": seconds,
    "max_rss_mb": peak_rss_mb(),
    "modules": len(loaded),
    "model_modules": sum(1 for m in loaded if m.startswith("{pkg}.models.")),
    "api_modules": sum(1 for m in loaded if m.startswith("{pkg}.api.")),
    "all_modules": len(sys.modules),
}}))
"""

_BARE_PROBE = _PEAK_RSS + """
import json
print(json.dumps({"max_rss_mb": peak_rss_mb()}))
"""


def _probe(code: str, sdk_root: Path, *flags: str) -> dict[str, Any]:
    """Run `code` in a fresh interpreter with the SDK on its path; its JSON line, plus the process's wall time.

    Bytecode is written as an installed package has it (PYTHONDONTWRITEBYTECODE, set in some
    environments, would make every run compile the SDK again)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    env["PYTHONPATH"] = str(sdk_root)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *flags, "-c", code], env=env, capture_output=True, text=True, cwd=sdk_root, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = elapsed
    if flags:
        result["importtime"] = _import_times(done.stderr)
    return result


def _import_times(report: str, top: int = 12) -> dict[str, list[tuple[str, float]]]:
    """`python -X importtime` lines -> the modules with the most self and cumulative time (ms)."""
    own: dict[str, float] = {}
    cumulative: dict[str, float] = {}
    for line in report.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        name = parts[2].strip()
        own[name] = own.get(name, 0.0) + int(parts[0]) / 1000
        cumulative[name] = max(cumulative.get(name, 0.0), int(parts[1]) / 1000)

    def ranked(times: dict[str, float]) -> list[tuple[str, float]]:
        return sorted(times.items(), key=lambda item: (-item[1], item[0]))[:top]

    return {"self": ranked(own), "cumulative": ranked(cumulative)}


def import_figures(built: Path, scratch: Path) -> dict[str, Any]:
    """`import pkg; pkg.Client` in fresh interpreters: first run (compiles bytecode), then warm runs.

    On a copy of the package: `__pycache__` folders inside the build output would count as a change
    to it (and a warm rebuild would measure that)."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(built / PACKAGE, scratch / PACKAGE)
    sdk_root, package = scratch, scratch / PACKAGE
    code = _IMPORT_PROBE.format(pkg=PACKAGE)
    first = _probe(code, sdk_root)
    if "error" in first:
        return {"error": first["error"]}
    warm = [_probe(code, sdk_root) for _ in range(IMPORT_REPEAT)]
    return {
        "first_seconds": first["seconds"],
        "seconds": statistics.median(r["seconds"] for r in warm),
        "process_seconds": statistics.median(r["process_seconds"] for r in warm),
        "max_rss_mb": statistics.median(r["max_rss_mb"] for r in warm),
        "bare_interpreter_rss_mb": _probe(_BARE_PROBE, sdk_root)["max_rss_mb"],
        "modules_loaded": warm[0]["modules"],
        "all_modules_loaded": warm[0]["all_modules"],
        "model_modules_loaded": warm[0]["model_modules"],
        "api_modules_loaded": warm[0]["api_modules"],
        "model_modules_total": sum(1 for _ in (package / "models").rglob("*.py")),
        "importtime_ms": _probe(code, sdk_root, "-X", "importtime")["importtime"],
    }


# --- openapi-python-client -----------------------------------------------------------------


def find_opc(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    venv_exe = OPC_VENV / "bin" / "openapi-python-client"
    if venv_exe.is_file():
        return venv_exe
    found = shutil.which("openapi-python-client")
    return Path(found) if found else None


def setup_opc() -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(OPC_VENV)], check=True)
    subprocess.run([str(OPC_VENV / "bin" / "pip"), "install", "-q", OPC_REQUIREMENT], check=True)
    return OPC_VENV / "bin" / "openapi-python-client"


def opc_version(opc: Path) -> str:
    done = subprocess.run([str(opc), "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or done.stderr.strip()


def opc_runs(opc: Path, spec: Path, work: Path) -> dict[str, Any]:
    """Generate a client twice: with the default post-hooks (ruff) and with none."""
    no_hooks = work / "opc-no-hooks.yaml"
    no_hooks.write_text("post_hooks: []\n", encoding="utf-8")
    # opc runs its hooks (`ruff ...`) by name: its venv's bin must be on PATH, as an activated venv has it.
    env = dict(os.environ, PATH=os.pathsep.join([str(opc.parent), os.environ.get("PATH", "")]))
    results: dict[str, Any] = {"version": opc_version(opc)}
    for label, extra in (("default hooks", []), ("no hooks", ["--config", str(no_hooks)])):
        output = work / f"opc-{label.replace(' ', '-')}"
        command = [str(opc), "generate", "--path", str(spec), "--output-path", str(output), "--overwrite", *extra]
        run = measure(command, cwd=work, env=env)
        results[label] = {
            "run": run,
            "files": _count_py(output),
            "operations": _count_py(output, "*/api/*/*.py"),  # opc writes one module per operation
            "warnings": _opc_warnings(run),
        }
    return results


def _count_py(folder: Path, pattern: str = "**/*.py") -> int:
    if not folder.is_dir():
        return 0
    return sum(1 for path in folder.glob(pattern) if path.name != "__init__.py" or pattern == "**/*.py")


def _opc_warnings(run: Run) -> list[str]:
    """The problems opc reports (it prints them, then still writes what it could)."""
    text = run.stdout_tail + "\n" + run.stderr_tail
    keep = ("Warning", "Unable", "Error", "error", "Cannot", "Invalid")
    return [line.strip() for line in text.splitlines() if line.strip().startswith(keep)][:10]


# --- one page count ------------------------------------------------------------------------


@dataclass
class Point:
    pages: int
    form: str
    scale_set_seconds: float = 0.0
    cold: Run | None = None
    warm: dict[str, Warm] = field(default_factory=dict)
    imports: dict[str, Any] = field(default_factory=dict)
    openapi_export: Run | None = None
    opc: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def run_point(pages: int, args: argparse.Namespace, work: Path, *, full: bool, opc: Path | None) -> Point:
    point = Point(pages=pages, form=args.form)
    folder = work / f"pages-{pages}"
    start = time.perf_counter()
    make_scale_set(pages, folder, args.form)
    point.scale_set_seconds = time.perf_counter() - start
    _progress(f"{pages} pages: scale set in {point.scale_set_seconds:.1f} s -> {folder}")
    project = work / f"project-{pages}"
    if args.sdk:
        write_project(project, folder)
        point.cold = build(project, args.jobs)
        _progress(f"{pages} pages: cold build {_brief(point.cold)}")
        if not point.cold.ok:
            point.notes.append(f"cold build failed: {point.cold.stderr_tail.splitlines()[-1:]}")
    built = point.cold is not None and point.cold.ok
    if built and full:
        point.imports = import_figures(project / "out", work / f"import-{pages}")
        _progress(f"{pages} pages: import {point.imports}")
    if full and opc is not None:
        spec = work / f"openapi-{pages}.json"
        ir = project / "api.json" if built else _scrape_ir(folder, work, args.jobs, point)
        if ir is not None:
            point.openapi_export = measure(sdkgen("openapi", str(ir), "-o", str(spec)), cwd=work, env=sdkgen_env())
            point.opc = opc_runs(opc, spec, work)
            _progress(f"{pages} pages: openapi-python-client " + ", ".join(_opc_brief(point.opc)))
    # Last: the warm rebuilds change the scale set, which the import and opc figures must not see.
    if built and pages <= args.warm_max:
        point.warm = warm_rebuilds(project, folder, args.jobs, args.form)
        for kind, result in point.warm.items():
            problem = "" if result.problem is None else f" PROBLEM: {result.problem}"
            times = ", ".join(_brief(run) for run in result.runs)
            _progress(f"{pages} pages: warm, {kind}: {times} {result.pages}{problem}")
    return point


def _scrape_ir(folder: Path, work: Path, jobs: int, point: Point) -> Path | None:
    """Without a working `sdkgen build`, the IR for the OpenAPI export comes from `sdkgen scrape`."""
    ir = work / f"api-{point.pages}.json"
    run = measure(sdkgen("scrape", str(folder), "-o", str(ir), "--jobs", str(jobs)), cwd=work, env=sdkgen_env())
    if not ir.is_file():
        point.notes.append(f"scrape failed: {run.stderr_tail.splitlines()[-1:]}")
        return None
    return ir


def _brief(run: Run) -> str:
    status = "" if run.ok else f" FAILED (exit {run.returncode})"
    return f"{run.seconds:.2f} s, {run.max_process_rss_mb:.0f} MB{status}"


def _opc_brief(opc: dict[str, Any]) -> list[str]:
    return [f"{label} {_brief(opc[label]['run'])}" for label in ("default hooks", "no hooks") if label in opc]


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- report --------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report_rows(points: list[Point], load: tuple[float, float]) -> list[tuple[str, str, str, str]]:
    """(metric, value, target, verdict) rows for the table."""
    busy = "  (other work on this machine skews the times)" if max(load) > 0.5 else ""
    rows = [
        ("machine", f"{os.cpu_count()} CPUs, load average {load[0]:.2f} at start, {load[1]:.2f} at end{busy}", "", "")
    ]
    for point in points:
        rows += _point_rows(point)
    rows += _linearity_rows(points)
    return rows


def _point_rows(point: Point) -> list[tuple[str, str, str, str]]:
    n = f"{point.pages:,}"
    rows = [(f"[{n}] make scale set", f"{point.scale_set_seconds:.1f} s", "", "")]
    cold = point.cold
    if cold is not None:
        rows.append((f"[{n}] sdkgen cold build", _seconds(cold), "", "" if cold.ok else "FAILED"))
        if build_phases(cold):
            rows.append((f"[{n}] cold build phases", _phases(build_phases(cold)), "", ""))
        rows.append(
            (
                f"[{n}] build peak RSS (largest process)",
                f"{cold.max_process_rss_mb:.0f} MB",
                f"< {TARGET_BUILD_MB:.0f} MB",
                verdict(cold.max_process_rss_mb < TARGET_BUILD_MB),
            )
        )
        pss = "" if cold.peak_tree_pss_mb is None else f", PSS {cold.peak_tree_pss_mb:.0f} MB"
        rows.append((f"[{n}] build peak (whole tree, sampled)", f"RSS {cold.peak_tree_rss_mb:.0f} MB{pss}", "", ""))
    rows += _import_rows(n, point.imports)
    rows += _opc_rows(n, point)
    for kind, result in point.warm.items():
        rows += _warm_rows(n, kind, result)
    rows += [(f"[{n}] note", note, "", "") for note in point.notes]
    return rows


def _warm_rows(n: str, kind: str, result: Warm) -> list[tuple[str, str, str, str]]:
    """One row per kind (the value: time; groups and type modules rendered / reused; what the build
    said it did), then what went wrong; for the judged kind, the times of its runs and the phases."""
    label = f"[{n}] warm rebuild, {kind}"
    if not result.runs:
        return [(label, f"not run: {result.problem}", result.check, "FAILED")]
    run = result.run
    units = build_units(run)
    parts = [_seconds(run)]
    if len(result.runs) > 1:
        parts[0] = f"median {parts[0]} of " + ", ".join(f"{r.seconds:.2f}" for r in result.runs) + " s"
    parts += [f"{units[0]} rendered, {units[1]} reused"] if units else []
    parts += [build_summary(run)] if build_summary(run) else []
    judged = kind == JUDGED_WARM_KIND
    if not result.ok:
        state = "FAILED"
    elif judged:
        state = verdict(run.seconds < TARGET_WARM_SECONDS)
    else:
        state = "ok" if result.check else ""
    rows = [(label, "; ".join(parts), result.check, state)]
    if result.problem is not None:
        rows.append((f"{label}: FAILED", result.problem, "", ""))
    if judged:
        rows.append((f"{label}: pages", ", ".join(result.pages), "", ""))
        if build_phases(run):
            rows.append((f"{label}: phases (median run)", _phases(build_phases(run)), "", ""))
    return rows


def _phases(phases: dict[str, float]) -> str:
    return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())


def _seconds(run: Run) -> str:
    return f"{run.seconds:.2f} s (cpu {run.cpu_seconds:.1f} s)" + ("" if run.ok else f" exit {run.returncode}")


def _import_rows(n: str, imports: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    if not imports:
        return []
    if "error" in imports:
        return [(f"[{n}] import pkg; pkg.Client", f"failed: {imports['error']}", "", "FAILED")]
    loaded = (
        f"{imports['model_modules_loaded']} of {imports['model_modules_total']} model modules, "
        f"{imports['api_modules_loaded']} api modules, {imports['modules_loaded']} in all"
    )
    return [
        (
            f"[{n}] import pkg; pkg.Client",
            f"{imports['seconds']:.3f} s (first, compiling: {imports['first_seconds']:.3f} s; "
            f"whole process: {imports['process_seconds']:.3f} s)",
            f"< {TARGET_IMPORT_SECONDS} s",
            verdict(imports["seconds"] < TARGET_IMPORT_SECONDS),
        ),
        (
            f"[{n}] import RSS",
            f"{imports['max_rss_mb']:.1f} MB (bare interpreter {imports['bare_interpreter_rss_mb']:.1f} MB)",
            f"< {TARGET_IMPORT_MB:.0f} MB",
            verdict(imports["max_rss_mb"] < TARGET_IMPORT_MB),
        ),
        (f"[{n}] modules loaded by the import", loaded, "models lazy", verdict(imports["model_modules_loaded"] == 0)),
        (f"[{n}] import: slowest dependencies", _slowest(imports["importtime_ms"]["cumulative"]), "", ""),
    ]


def _slowest(rows: list[tuple[str, float]], top: int = 4) -> str:
    """Cumulative import times of the SDK's dependencies (its own modules nest around them; `site`
    is interpreter start-up, outside the timed import)."""
    outside = [(name, ms) for name, ms in rows if name.split(".")[0] not in (PACKAGE, "site")]
    return ", ".join(f"{name} {ms:.0f} ms" for name, ms in outside[:top])


def _opc_rows(n: str, point: Point) -> list[tuple[str, str, str, str]]:
    if not point.opc:
        return []
    rows: list[tuple[str, str, str, str]] = []
    if point.openapi_export is not None:
        rows.append((f"[{n}] sdkgen openapi (opc input)", _seconds(point.openapi_export), "", ""))
    for label in ("default hooks", "no hooks"):
        result = point.opc[label]
        run: Run = result["run"]
        warnings = f", {len(result['warnings'])} warnings" if result["warnings"] else ""
        status = f"{result['operations']} operations, {result['files']} .py files{warnings}"
        rows.append((f"[{n}] opc {point.opc['version'].split()[-1]}, {label}", f"{_seconds(run)}, {status}", "", ""))
        rows.append((f"[{n}] opc {label}: peak RSS", f"{run.max_process_rss_mb:.0f} MB (largest process)", "", ""))
        if point.cold is not None and point.cold.ok and run.ok:
            speedup = run.seconds / point.cold.seconds
            rows.append(
                (
                    f"[{n}] sdkgen speedup vs opc ({label})",
                    f"{speedup:.2f}x",
                    f">= {TARGET_SPEEDUP_VS_OPC:.0f}x",
                    verdict(speedup >= TARGET_SPEEDUP_VS_OPC),
                )
            )
    return rows


def _linearity_rows(points: list[Point]) -> list[tuple[str, str, str, str]]:
    built = [p for p in points if p.cold is not None and p.cold.ok]
    if len(built) < 2:
        return []
    small, large = built[0], built[-1]
    assert small.cold is not None and large.cold is not None
    page_ratio = large.pages / small.pages
    time_ratio = large.cold.seconds / small.cold.seconds
    rss_ratio = large.cold.max_process_rss_mb / small.cold.max_process_rss_mb
    label = f"[{small.pages:,} -> {large.pages:,}]"
    return [
        (f"{label} pages ratio", f"{page_ratio:.2f}x", "", ""),
        (
            f"{label} cold build time ratio",
            f"{time_ratio:.2f}x (per page: {time_ratio / page_ratio:.2f}x)",
            "~1x/page",
            "",
        ),
        (f"{label} build peak RSS ratio", f"{rss_ratio:.2f}x", "", ""),
    ]


def print_table(rows: list[tuple[str, str, str, str]]) -> None:
    header = ("metric", "value", "target", "")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def results_json(points: list[Point], rows: list[tuple[str, str, str, str]], args: argparse.Namespace) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Run):
            return {**asdict(value), "ok": value.ok, "phases": build_phases(value), "units": build_units(value)}
        if isinstance(value, Warm):
            median = {"median_seconds": value.run.seconds} if value.runs else {}
            checked = {"check": value.check, "problem": value.problem, "ok": value.ok}
            return {"runs": plain(value.runs), "pages": value.pages, **checked, **median}
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    document = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "arguments": {"pages": args.pages, "form": args.form, "jobs": args.jobs, "warm_max": args.warm_max},
        "points": [plain({**vars(p), "cold": p.cold, "openapi_export": p.openapi_export}) for p in points],
        "table": [dict(zip(("metric", "value", "target", "verdict"), row, strict=True)) for row in rows],
    }
    return json.dumps(document, indent=1, sort_keys=True) + "\n"


# --- main ----------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[2000, 10000], help="scale set sizes")
    parser.add_argument("--form", choices=("html", "text"), default="html", help="page form of the scale sets")
    parser.add_argument(
        "--warm-max", type=int, default=2000, help="warm rebuilds at every page count up to this (default 2000)"
    )
    parser.add_argument("--skip-opc", action="store_true", help="do not run openapi-python-client")
    parser.add_argument("--opc", type=Path, help="openapi-python-client executable (default: bench/.venv)")
    parser.add_argument("--setup-opc", action="store_true", help=f"make bench/.venv with {OPC_REQUIREMENT}")
    parser.add_argument("--no-sdk", dest="sdk", action="store_false", help="skip the sdkgen build parts")
    parser.add_argument("-j", "--jobs", type=int, default=0, help="sdkgen scrape workers (0 = one per core)")
    parser.add_argument("--json", type=Path, help="write the results as JSON to this file")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary folder, removed afterwards)")
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.pages):
        parser.error("--pages must be positive")
    if args.warm_max < 0:
        parser.error("--warm-max must be 0 (no warm rebuilds) or more")
    return args


def _prepare_opc(args: argparse.Namespace) -> Path | None:
    if args.skip_opc:
        return None
    opc = setup_opc() if args.setup_opc else find_opc(args.opc)
    if opc is None:
        _progress(f"openapi-python-client not found: run with --setup-opc (makes bench/.venv, {OPC_REQUIREMENT})")
    return opc


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    opc = _prepare_opc(args)
    if args.sdk and not build_available():
        _progress("`sdkgen build` is not available yet: measuring the scale sets and openapi-python-client only")
        args.sdk = False
    load_at_start = os.getloadavg()[0]
    work = args.work or Path(tempfile.mkdtemp(prefix="sdkgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        points = [run_point(n, args, work, full=i == 0, opc=opc) for i, n in enumerate(args.pages)]
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    rows = report_rows(points, (load_at_start, os.getloadavg()[0]))
    print_table(rows)
    if args.json is not None:
        args.json.write_text(results_json(points, rows, args), encoding="utf-8")
    warm_ok = all(result.ok for p in points for result in p.warm.values())
    return 0 if warm_ok and all(p.cold is None or p.cold.ok for p in points) else 1


if __name__ == "__main__":
    sys.exit(main())
