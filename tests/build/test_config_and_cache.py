"""Settings of the build, and the pieces of the cache that must agree with the code they stand in for."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build.cache import BuildCache
from generator.build.pages import PAGE_SUFFIXES, find_page_files
from generator.config import load_config
from generator.errors import SdkgenError
from generator.scrape import PAGE_SUFFIXES as SCRAPER_SUFFIXES
from generator.scrape import display_path, find_pages
from tests.build.conftest import Project, make_project


def test_page_discovery_matches_the_scraper(tmp_path: Path) -> None:
    """The build finds pages without loading the scraper; it must find what the scraper would."""
    assert PAGE_SUFFIXES == SCRAPER_SUFFIXES
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    for name in ("a.html", "b.HTM", "sub/c.txt", "d.json", "sub/e.md", "F.TXT"):
        (docs / name).write_text("x", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "real.html").write_text("x", encoding="utf-8")
    (docs / "linked.html").symlink_to(outside / "real.html")  # named where it points to
    (docs / "linked-folder").symlink_to(outside, target_is_directory=True)
    (tmp_path / "docs-link").symlink_to(docs, target_is_directory=True)
    inputs = [docs, Path("tests/data/CreateVmCdRom.txt"), Path("input_docs/seed"), tmp_path / "docs-link"]
    expected = [(path, display_path(path)) for path in find_pages(inputs)]
    assert find_page_files(inputs) == expected
    assert [name for _, name in expected][-2:] == ["input_docs/seed/CreateVmCdRom.txt", "tests/data/CreateVmCdRom.txt"]


def test_page_discovery_names_symlinked_pages_where_they_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "real.html").write_text("x", encoding="utf-8")
    (tmp_path / "docs" / "sub" / "page.txt").write_text("x", encoding="utf-8")
    (tmp_path / "docs" / "linked.html").symlink_to(tmp_path / "outside" / "real.html")
    (tmp_path / "docs" / "folder").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "docs-link").symlink_to(tmp_path / "docs", target_is_directory=True)
    inputs = [Path("docs"), Path("docs-link")]
    found = find_page_files(inputs)
    assert found == [(path, display_path(path)) for path in find_pages(inputs)]
    assert [name for _, name in found] == ["outside/real.html", "docs/sub/page.txt"] * 2


def test_openapi_and_cache_settings(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", extra='openapi = "spec/openapi.json"\ncache = "build-cache"\n')
    config = load_config(project.pyproject)
    assert config.openapi == project.root / "spec" / "openapi.json" and config.openapi_inside_output is None
    assert config.cache == project.root / "build-cache"
    report = project.build()
    assert (project.root / "spec" / "openapi.json").is_file() and not (project.output / "openapi.json").exists()
    assert (project.root / "build-cache" / "CACHEDIR.TAG").is_file()
    assert report.up_to_date is False and project.build().up_to_date


def test_the_openapi_file_defaults_to_beside_the_ir(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    project.pyproject.write_text(
        project.pyproject.read_text(encoding="utf-8").replace("generated/api.json", "ir/api.json"), encoding="utf-8"
    )
    assert load_config(project.pyproject).openapi == project.root / "ir" / "openapi.json"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('openapi = "generated/api.json"\n', "openapi and ir name the same file"),
        ('cache = "generated/.cache"\n', "cache and output must not contain each other"),
        ('openapi = ".sdkgen-cache/o.json"\n', "openapi must not be inside the cache folder"),
    ],
)
def test_settings_that_would_overwrite_each_other_are_refused(tmp_path: Path, extra: str, message: str) -> None:
    project = make_project(tmp_path / "p", extra=extra)
    with pytest.raises(SdkgenError, match=rf"pyproject\.toml:\d+: \[tool\.sdkgen\] {message}"):
        load_config(project.pyproject)


def test_pages_inside_the_output_folder_are_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    text = project.pyproject.read_text(encoding="utf-8")
    project.pyproject.write_text(text.replace('input = ["docs"]', 'input = ["generated/docs"]'), encoding="utf-8")
    with pytest.raises(SdkgenError, match=r"pyproject\.toml:2: .*is inside output"):
        load_config(project.pyproject)


def test_the_cache_folder_is_tagged_and_ignored_by_git(project: Project) -> None:
    project.build()
    cache = project.root / ".sdkgen-cache"
    assert (cache / ".gitignore").read_text(encoding="utf-8") == "*\n"
    assert (
        (cache / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )


def test_the_stat_of_a_page_changed_just_now_is_not_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page written within the timestamp tick of its hashing could change unseen: its stat is not
    trusted (git's racy-clean rule), so the next build hashes it again."""
    import json
    import time

    page = tmp_path / "a.txt"
    page.write_text("one", encoding="utf-8")
    cache = BuildCache(tmp_path / "cache")
    index = tmp_path / "cache" / "pages.json"
    assert cache.scan_pages([(page, "a.txt")])[0].digest
    assert not index.exists() or json.loads(index.read_text(encoding="utf-8"))["files"] == {}
    later = time.time_ns() + 10**10
    monkeypatch.setattr(time, "time_ns", lambda: later)
    cache.scan_pages([(page, "a.txt")])
    assert list(json.loads(index.read_text(encoding="utf-8"))["files"]) == [str(page.absolute())]


@pytest.mark.parametrize("name", ["acme", "_private", "acme_2", "Bad-Name", "class", "1abc", "a.b", "__dunder", "ünï"])
def test_the_package_name_is_checked_when_the_settings_are_read_as_the_renderer_checks_it(
    tmp_path: Path, name: str
) -> None:
    from generator.render import check_package_name

    project = make_project(tmp_path / "p")
    project.pyproject.write_text(
        project.pyproject.read_text(encoding="utf-8").replace('"acme"', f'"{name}"'), encoding="utf-8"
    )
    try:
        check_package_name(name)
    except SdkgenError:
        with pytest.raises(SdkgenError, match=r"pyproject\.toml:4: \[tool\.sdkgen\] invalid package name"):
            load_config(project.pyproject)
    else:
        assert load_config(project.pyproject).package_name == name
