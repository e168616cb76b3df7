"""The release stage (a post-documents step, steps.py): the generated package's version and CHANGELOG.md.

The previous release is what the last build left in the output folder: the version its
pyproject.toml states and its CHANGELOG.md (none there: this is the first release, at `[tool.sdkgen]
sdk_version`). The new version follows from the diff of the last build's IR with the new one
(`generator.release.next_release`); a configured sdk_version above it is taken instead. The version
is written into the package's pyproject.toml and `__version__`, and a new changelog entry above the
previous ones. No API change: the version and the changelog stay as they are.

Everything here follows from the new IR, the last build's output and the settings, which the build's
keys cover: the same pages on the same previous output give the same bytes. A patch build diffs only
the operations it re-read (the rest of the IR is the last build's as it is), which gives the changes
a diff of the whole IRs would give.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import SdkgenError
from generator.release import (
    CHANGELOG_FILE,
    Release,
    changelog_with,
    entry_markdown,
    has_entries,
    next_release,
    parse_version,
    version_key,
)

if TYPE_CHECKING:
    from generator.build.context import PostDocuments
    from generator.config import BuildConfig
    from generator.diff.model import DiffReport

PYPROJECT = "pyproject.toml"
_TOML_VERSION = re.compile(r'^version = "[^"\n]*"$', re.MULTILINE)  # as templates/sdk/pyproject.toml.j2 has it
_PY_VERSION = re.compile(r'^__version__ = "[^"\n]*"$', re.MULTILINE)


def apply_release(context: PostDocuments) -> None:
    """The post-documents step: version the package and keep its changelog."""
    config = context.config
    previous = previous_version(config)
    old_log = _read_text(config.output / CHANGELOG_FILE)
    if previous is None:
        version, entry = config.sdk_version, _first_entry(context, config.sdk_version)
    else:
        diff = _diff(context)
        version = next_release(previous, diff, config.version_policy)
        raised = version_key(config.sdk_version) > version_key(version)
        version = config.sdk_version if raised else version
        release = Release(version, context.docs, previous, config.version_policy, raised)
        if version != previous:
            entry = entry_markdown(release, diff)
        elif not has_entries(old_log):
            entry = _first_entry(context, version)
        else:
            entry = None
    _set_versions(context, version, previous)
    distribution = config.package_name.replace("_", "-")
    if entry is not None:
        context.files[CHANGELOG_FILE] = changelog_with(entry, old_log, distribution)
    elif not context.patched and old_log is not None:
        context.files[CHANGELOG_FILE] = old_log  # a full build writes the whole tree: keep it as it was


def previous_version(config: BuildConfig) -> str | None:
    """The version the last build's pyproject.toml states; None when there is none (the first build)."""
    path = config.output / PYPROJECT
    text = _read_text(path)
    if text is None:
        return None
    try:
        version = tomllib.loads(text).get("project", {}).get("version")
    except tomllib.TOMLDecodeError as exc:
        raise SdkgenError(f"{path}: not valid TOML ({exc}): delete it or rebuild with sdkgen") from exc
    if not isinstance(version, str) or parse_version(version) is None:
        match = _TOML_VERSION.search(text)
        line = text.count("\n", 0, match.start()) + 1 if match else 1
        raise SdkgenError(
            f"{path}:{line}: the last build's version {version!r} is not MAJOR.MINOR.PATCH; "
            "correct it (the next version follows from it) or delete the file to start again at sdk_version"
        )
    return version


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SdkgenError(f"{path}: cannot read the last release: {exc}") from exc


def _first_entry(context: PostDocuments, version: str) -> str:
    ir = context.new_ir()
    groups = len({endpoint.group for endpoint in ir.endpoints})
    counts = f"{len(ir.endpoints)} operation{'s' * (len(ir.endpoints) != 1)} in {groups} group{'s' * (groups != 1)}"
    release = Release(version, context.docs, None, context.config.version_policy)
    return entry_markdown(release, None, [f"The first version this changelog records: {counts}."])


def _diff(context: PostDocuments) -> DiffReport:
    """The last build's IR against the new one (a patch build: only the operations it re-read)."""
    from generator.diff import diff_irs
    from generator.ir.model import IR

    config = context.config
    if context.before_after is not None:
        before, after = context.before_after
        return diff_irs(IR(endpoints=before), IR(endpoints=after), str(config.ir), str(config.ir))
    try:
        unchanged = config.ir.read_bytes() == context.ir_bytes
    except OSError:
        unchanged = False
    new = IR() if unchanged else context.new_ir()
    old = IR() if unchanged else context.previous_ir() or IR()
    return diff_irs(old, new, f"{config.ir} (previous build)", str(config.ir))


def _set_versions(context: PostDocuments, version: str, previous: str | None) -> None:
    """The version into the package's pyproject.toml and `__version__`: into the files this build writes,
    and, in a patch build that changes it, into the others as the last build left them."""
    package_init = f"{context.config.package_name}/__init__.py"
    for path, pattern, name in ((PYPROJECT, _TOML_VERSION, "version"), (package_init, _PY_VERSION, "__version__")):
        text = context.files.get(path)
        if text is None and context.patched and version != previous:
            text = _read_text(context.config.output / path)
        if text is None:
            continue
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        found = len(pattern.findall(text))
        if found != 1:
            raise SdkgenError(
                f"{context.config.output / path}: cannot set the version to {version}: the file must state it on "
                f'exactly one line `{name} = "..."` (found {found})'
            )
        context.files[path] = pattern.sub(f'{name} = "{version}"', text)
