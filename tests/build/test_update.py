"""`sdkgen update URL`: crawl a real (loopback) docs site, build, and print the API diff in Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from tests.crawl.server import SiteState, sample_pages, serve


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours *_PROXY variables: loopback traffic must not be routed elsewhere.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def _project(root: Path) -> Path:
    root.mkdir()
    (root / "snapshot").mkdir()
    config = root / "pyproject.toml"
    config.write_text(
        '[tool.sdkgen]\ninput = ["snapshot"]\noutput = "generated"\npackage_name = "acme"\nir = "generated/api.json"\n',
        encoding="utf-8",
    )
    return config


def _update(url: str, config: Path, *extra: str) -> Result:
    return CliRunner().invoke(main, ["update", url, "--config", str(config), "-j", "1", "--retries", "0", *extra])


def test_update_crawls_builds_and_reports_what_changed(tmp_path: Path) -> None:
    config = _project(tmp_path / "project")
    pages = sample_pages(4)
    removed, edited = sorted(pages)[:2]
    with serve(SiteState(pages=dict(pages))) as site:
        first = _update(site.explorer_url, config)
        assert first.exit_code == 0, first.output
        assert "## API changes" in first.stdout and "(no previous build)" in first.stdout
        assert "0 -> 4 operations: 4 added" in first.stdout
        assert len(list((tmp_path / "project" / "snapshot" / "pages").glob("*.html"))) == 4
        assert (tmp_path / "project" / "generated" / "openapi.json").is_file()

        unchanged = _update(site.explorer_url, config, "--fail-on", "any")
        assert unchanged.exit_code == 0, unchanged.output
        assert "4 -> 4 operations: 0 added, 0 removed" in unchanged.stdout and "(up to date)" in unchanged.stderr

        with site.state.lock:
            del site.state.pages[removed]
            site.state.pages[edited] = pages[edited].replace(b"</html>", b"<!-- republished --></html>", 1)
        changed = _update(site.explorer_url, config, "--fail-on", "breaking")
    assert changed.exit_code == 1, changed.output  # removing an operation breaks clients
    assert "4 -> 3 operations: 0 added, 1 removed" in changed.stdout
    assert "### Breaking changes" in changed.stdout and removed in changed.stdout
    assert "pages parsed" in changed.stderr and "1 removed" in changed.stderr


def test_update_refuses_a_snapshot_folder_the_build_does_not_read(tmp_path: Path) -> None:
    config = _project(tmp_path / "project")
    result = _update("http://127.0.0.1:9/docs/", config, "-o", str(tmp_path / "elsewhere"))
    assert result.exit_code == 2 and "is not read by the build" in result.output
    assert "Traceback" not in result.output


def test_update_refuses_to_publish_a_collapse_unless_accepted(tmp_path: Path) -> None:
    from tests.scrape.markups import strip_field_lists

    config = _project(tmp_path / "project")
    generated = tmp_path / "project" / "generated"
    pages = sample_pages(12)
    with serve(SiteState(pages=dict(pages))) as site:
        assert _update(site.explorer_url, config).exit_code == 0
        before = {p: p.read_bytes() for p in sorted(generated.rglob("*")) if p.is_file()}
        with site.state.lock:  # a new theme the scraper cannot read: every page but one fails its checks
            for name in sorted(pages)[1:]:
                site.state.pages[name] = strip_field_lists(pages[name].decode("utf-8")).encode("utf-8")
        refused = _update(site.explorer_url, config)
        assert refused.exit_code == 1, refused.output
        assert "11 of the 12 operations of the last build (92%) disappeared" in refused.stderr
        assert {p: p.read_bytes() for p in sorted(generated.rglob("*")) if p.is_file()} == before
        accepted = _update(site.explorer_url, config, "--accept-drift")
    assert accepted.exit_code == 1, accepted.output  # published; the pages that failed still fail the run
    assert "12 -> 1 operations: 0 added, 11 removed" in accepted.stdout
    assert {p: p.read_bytes() for p in sorted(generated.rglob("*")) if p.is_file()} != before
