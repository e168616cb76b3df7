"""Which API a page documents. The page says it in several places (its Operation ID block, its
canonical URL, its title, the action wrapper of its curl body); the file name it was saved under is
the last resort, because people save pages under URLs (`docs.zstack-cloud.com__cloud__AddImage__1.txt`)
or under nothing meaningful at all, and a host name never names an API."""

from __future__ import annotations

import re
from dataclasses import dataclass

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_API_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$")  # CamelCase, not an acronym alone
_CAMEL_WRAPPER = re.compile(r"^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$")  # `startVmInstance`, not `params`/`param`
_PAGE_SUFFIX = re.compile(r"\.(?:html?|txt)$", re.IGNORECASE)
_SEGMENT_SPLIT = re.compile(r"__|[/\\#?=&]+")
MAX_OPERATION_ID = 200  # API names run to ~60 characters; word-matching a longer one is quadratic


@dataclass(frozen=True, slots=True)
class Identity:
    operation_id: str
    evidence: str  # which part of the page said it, for the diagnostic when it is a guess
    guessed: bool = False


def identify(
    *,
    shown: str,
    canonical_slug: str | None,
    title: str | None,
    body: object,
    file: str,
) -> Identity | None:
    """The operation id, from the most trustworthy place that gives one; None when nothing does."""
    if _usable(shown):
        return Identity(shown, "the Operation ID block")
    if canonical_slug and _usable(canonical_slug):
        return Identity(canonical_slug, "the canonical URL")
    title = (title or "").strip()
    wrapper = _wrapper_name(body)
    file_names = file_name_candidates(file)
    # Titles change the case of a word now and then (`Login` for LogIn, `Get VM RDP` for GetVmRDP):
    # where the curl wrapper or the file name spells the same letters, their spelling is the name's.
    said = title if _usable(title) else _joined_title(title)
    if said:
        for candidate in (wrapper, *file_names):
            if candidate and candidate.lower() == said.lower():
                return Identity(candidate, "the title, spelled as the curl wrapper or file name spells it")
    if _usable(title):
        return Identity(title, "the title")
    if wrapper:
        return Identity(wrapper, "the action wrapper of the curl body")
    if file_names:
        return Identity(file_names[-1], "the file name")
    if said:
        return Identity(said, f"the spaced title {title!r} joined", guessed=True)
    return None


def file_name_candidates(file: str) -> list[str]:
    """API-like segments of a saved file's name: `docs.zstack-cloud.com__cloud__AddImage__1.txt` ->
    [`AddImage`]. Dotted segments are hosts and lower-case ones are path words (`cloud`, `en`)."""
    name = _PAGE_SUFFIX.sub("", file.replace("\\", "/").rsplit("/", 1)[-1])
    found: list[str] = []
    for segment in _SEGMENT_SPLIT.split(name):
        if "." in segment:
            continue
        for part in re.split(r"[-\s]+", segment):
            if _usable(part) and _API_NAME.match(part):
                found.append(part)
    return found


def _usable(candidate: str) -> bool:
    return 0 < len(candidate) <= MAX_OPERATION_ID and bool(_IDENT.match(candidate))


def _wrapper_name(body: object) -> str | None:
    """PUT action APIs wrap their body in the API name in lowerCamel (`startVmInstance`)."""
    if not isinstance(body, dict):
        return None
    wrappers = [key for key, value in body.items() if isinstance(value, dict) and isinstance(key, str)]
    camel = [key for key in wrappers if _CAMEL_WRAPPER.match(key) and len(key) <= MAX_OPERATION_ID]
    if len(camel) != 1:
        return None
    return camel[0][0].upper() + camel[0][1:]


def _joined_title(title: str) -> str | None:
    words = title.split()
    if len(words) < 2:
        return None
    joined = "".join(word[:1].upper() + word[1:] for word in words)
    return joined if _usable(joined) else None
