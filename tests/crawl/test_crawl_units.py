"""The crawler's pure parts: scope, slugs and file names, Retry-After, backoff, sitemaps, manifest."""

from __future__ import annotations

import gzip
import json
import random
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.crawl.discover import SitemapError, extract_links, parse_sitemap
from generator.crawl.fetch import RetryPolicy, parse_retry_after
from generator.crawl.manifest import MANIFEST_NAME, is_page_file, load_manifest
from generator.crawl.urls import MAX_SLUG_LENGTH, Scope, assign_files, slug_for
from generator.errors import SdkgenError, UsageError
from generator.fsutil import safe_join

ROOT = "http://127.0.0.1:8000/docs/api-explorer/en/cloud/explorer/"
SCOPE = Scope.from_url(ROOT)


def page(name: str) -> httpx.URL:
    return httpx.URL(ROOT + name)


class TestScope:
    def test_root_without_trailing_slash_means_the_same_folder(self) -> None:
        assert Scope.from_url(ROOT.rstrip("/")).prefix == SCOPE.prefix

    @pytest.mark.parametrize("bad", ["ftp://h/x/", "not a url", "/relative/path", "http://user:pw@h/x/"])
    def test_rejects_unusable_roots(self, bad: str) -> None:
        with pytest.raises(UsageError):
            Scope.from_url(bad)

    @pytest.mark.parametrize("name", ["CreateVm", "Create%20Vm", "a%5Cb", "%2E%2Ehidden"])
    def test_pages_under_the_prefix_are_in(self, name: str) -> None:
        assert SCOPE.contains(page(name))

    @pytest.mark.parametrize(
        "url",
        [
            ROOT,  # the index itself is not a page
            "http://127.0.0.1:8001/docs/api-explorer/en/cloud/explorer/X",  # other port
            "https://127.0.0.1:8000/docs/api-explorer/en/cloud/explorer/X",  # other scheme
            "http://localhost:8000/docs/api-explorer/en/cloud/explorer/X",  # other host
            "http://127.0.0.1:8000/docs/api-explorer/en/cloud/explorerX",  # prefix of a name only
            "http://127.0.0.1:8000/docs/api-explorer/en/cloud/changelog",
            ROOT + "%2F..",  # decodes to a dot segment: a decoding server would leave the prefix
            ROOT + "..%2F..%2Fsecret",
            ROOT + "%2e%2e/%2e%2e/etc",
            ROOT + "..%5C..%5Cwin",
        ],
    )
    def test_everything_else_is_out(self, url: str) -> None:
        assert not SCOPE.contains(httpx.URL(url))

    def test_resolve_drops_fragment_and_query_and_follows_relative_links(self) -> None:
        base = page("A")
        assert str(SCOPE.resolve("./B?x=1#frag", base)) == ROOT + "B"
        assert SCOPE.resolve("../changelog", base) is None
        assert str(SCOPE.resolve("#top", base)) == ROOT + "A"
        assert SCOPE.resolve("https://docs.zstack-cloud.com/docs/api-explorer/en/cloud/explorer/B", base) is None


class TestSlugs:
    def test_plain_names_are_kept(self) -> None:
        assert slug_for(page("CreateVmInstance")) == "CreateVmInstance"
        assert slug_for(page("CreateVmInstance.html")) == "CreateVmInstance"

    @pytest.mark.parametrize(
        ("name", "expected"),
        [("%2E%2Ehidden", "hidden"), ("a%5Cb", "a_b"), ("a%2Fb", "a_b"), ("Create%20Vm", "Create_Vm"), ("CON", "_CON")],
    )
    def test_hostile_names_are_made_safe(self, name: str, expected: str) -> None:
        assert slug_for(page(name)) == expected

    def test_long_names_are_cut_and_kept_apart_by_a_hash(self) -> None:
        a, b = slug_for(page("x" * 300 + "a")), slug_for(page("x" * 300 + "b"))
        assert len(a) == MAX_SLUG_LENGTH and len(b) == MAX_SLUG_LENGTH and a != b

    @given(st.text(min_size=1, max_size=400))
    def test_any_segment_gives_a_safe_file_name(self, segment: str) -> None:
        key = ROOT + quote(segment, safe="")
        name = assign_files([key], {})[key]
        assert is_page_file(f"pages/{name}")
        assert safe_join(Path("/tmp/out"), f"pages/{name}").parent == Path("/tmp/out/pages")

    def test_names_differing_only_in_case_get_distinct_files(self) -> None:
        urls = [ROOT + "CaseName", ROOT + "casename", ROOT + "CASENAME"]
        names = assign_files(urls, {})
        assert len({n.lower() for n in names.values()}) == 3
        assert names[ROOT + "CASENAME"] == "CASENAME.html"  # first in sorted order keeps its plain name

    def test_assigned_names_are_sticky_and_order_independent(self) -> None:
        urls = [ROOT + "b", ROOT + "B", ROOT + "a"]
        assert assign_files(urls, {}) == assign_files(list(reversed(urls)), {})
        kept = assign_files([ROOT + "B", ROOT + "b"], {ROOT + "b": "b.html"})
        assert kept[ROOT + "b"] == "b.html" and kept[ROOT + "B"] != "B.html"


class TestRetryAfter:
    NOW = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)

    def test_seconds(self) -> None:
        assert parse_retry_after("7", self.NOW, cap=60) == 7.0

    def test_http_date(self) -> None:
        assert parse_retry_after("Wed, 01 Jan 2025 12:00:30 GMT", self.NOW, cap=60) == 30.0

    def test_capped_and_never_negative(self) -> None:
        assert parse_retry_after("86400", self.NOW, cap=60) == 60.0
        assert parse_retry_after("Wed, 01 Jan 2025 11:00:00 GMT", self.NOW, cap=60) == 0.0

    @pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5"])
    def test_unreadable_means_use_own_backoff(self, value: str | None) -> None:
        assert parse_retry_after(value, self.NOW, cap=60) is None


def test_backoff_grows_exponentially_with_bounded_jitter() -> None:
    policy = RetryPolicy(retries=5, backoff=1.0, max_backoff=8.0)
    rng = random.Random(1)
    for attempt, ceiling in enumerate([1, 2, 4, 8, 8]):
        delays = {policy.backoff_delay(attempt, rng) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered


class TestSitemap:
    NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

    def test_urlset_locs_only_from_url_entries(self) -> None:
        body = (
            f'<urlset {self.NS} xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">'
            "<url><loc> http://h/a </loc><image:image><image:loc>http://h/i.png</image:loc></image:image></url>"
            "<!-- comment --><url><loc>http://h/b</loc></url></urlset>"
        )
        assert parse_sitemap(body.encode()) == ("urlset", ["http://h/a", "http://h/b"])

    def test_index(self) -> None:
        body = f"<sitemapindex {self.NS}><sitemap><loc>http://h/s1.xml</loc></sitemap></sitemapindex>"
        assert parse_sitemap(body.encode()) == ("sitemapindex", ["http://h/s1.xml"])

    def test_gzipped(self) -> None:
        body = gzip.compress(f"<urlset {self.NS}><url><loc>http://h/a</loc></url></urlset>".encode())
        assert parse_sitemap(body) == ("urlset", ["http://h/a"])

    def test_gzip_bomb_is_refused(self) -> None:
        with pytest.raises(SitemapError, match="uncompressed"):
            parse_sitemap(gzip.compress(b"<urlset>" + b" " * 10_000 + b"</urlset>"), limit=1000)

    @pytest.mark.parametrize(
        "body",
        [b"<urlset><url><loc>http://h/a</loc></url>", b"<html><body>Not found</body></html>", b"", b"\x1f\x8bnot gzip"],
    )
    def test_bad_sitemaps_raise_sitemap_error(self, body: bytes) -> None:
        with pytest.raises(SitemapError):
            parse_sitemap(body)

    def test_external_entities_are_not_resolved(self, tmp_path: Path) -> None:
        secret = tmp_path / "secret.txt"
        secret.write_text("http://h/leaked")
        body = (
            f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY e SYSTEM "{secret.as_uri()}">]>'
            f"<urlset {self.NS}><url><loc>&e;</loc></url><url><loc>http://h/a</loc></url></urlset>"
        )
        assert parse_sitemap(body.encode()) == ("urlset", ["http://h/a"])


def test_links_are_extracted_in_scope_and_deduplicated() -> None:
    html = (
        b'<html><head><base href="/docs/api-explorer/en/cloud/explorer/sub/"></head><body>'
        b'<a href="./A">a</a><a href="A#x">again</a><a href="../B">b</a>'
        b'<a href="http://elsewhere/x">x</a><a href="/docs/other">o</a><a>no href</a></body></html>'
    )
    assert extract_links(html, page("Index"), SCOPE) == [ROOT + "sub/A", ROOT + "B"]
    assert extract_links(b"", page("Index"), SCOPE) == []


class TestManifestLoading:
    def test_missing_is_none(self, tmp_path: Path) -> None:
        assert load_manifest(tmp_path) is None

    def test_invalid_json_names_file_and_line(self, tmp_path: Path) -> None:
        (tmp_path / MANIFEST_NAME).write_text('{\n "manifest_version": 1,\n oops\n}\n')
        with pytest.raises(SdkgenError, match=r"manifest\.json:3: not valid JSON"):
            load_manifest(tmp_path)

    def test_wrong_shape_is_one_clear_error(self, tmp_path: Path) -> None:
        (tmp_path / MANIFEST_NAME).write_text(json.dumps({"manifest_version": 1, "pages": "nope"}))
        with pytest.raises(SdkgenError, match="invalid crawl manifest"):
            load_manifest(tmp_path)
        (tmp_path / MANIFEST_NAME).write_text("[]")
        with pytest.raises(SdkgenError, match="not an sdkgen crawl manifest"):
            load_manifest(tmp_path)
