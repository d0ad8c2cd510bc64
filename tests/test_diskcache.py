"""The disk cache of rule work (``cleantext.diskcache``): selector translations and regex
checks are kept, used, rebuilt when damaged, and optional."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from cleantext.selectors import BadSelector, _translate, translate

POST = "<p>Article text.</p><div class='ad-box'>Buy now</div><p class='keep'>Second.</p>\n"


def strip_ads(tmp_path: Path, rules: str, **env: str) -> subprocess.CompletedProcess:
    rule_file = tmp_path / "rules.txt"
    rule_file.write_text(rules, encoding="utf-8")
    environment = {k: v for k, v in os.environ.items() if k != "CLEANTEXT_NO_CACHE"}
    environment.update(XDG_CACHE_HOME=str(tmp_path / "cache"), **env)
    return subprocess.run([sys.executable, "-m", "cleantext", "strip-ads", "--no-builtin",
                           "--rules", str(rule_file)], input=POST.encode(), env=environment,
                          capture_output=True, check=False)


def cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "cleantext").glob("rules-*.bin"))


def read_cache(path: Path) -> dict:
    raw = path.read_bytes()  # the CRC-32 of the data, big-endian, then the data (marshal)
    assert zlib.crc32(raw[4:]).to_bytes(4, "big") == raw[:4]
    return marshal.loads(raw[4:])


def write_cache(path: Path, data: dict) -> None:
    raw = marshal.dumps(data)
    path.write_bytes(zlib.crc32(raw).to_bytes(4, "big") + raw)


def test_first_run_writes_the_translations_and_the_next_run_reads_them(tmp_path: Path) -> None:
    first = strip_ads(tmp_path, "##div.ad-box\n")
    assert first.returncode == 0 and b"Buy now" not in first.stdout
    [cache] = cache_files(tmp_path)
    data = read_cache(cache)
    assert data["css"]["div.ad-box"][0] == _translate("div.ad-box").path
    # A cached translation is used as it is: point the selector at another element.
    data["css"]["div.ad-box"] = [_translate("p.keep").path, None]
    write_cache(cache, data)
    second = strip_ads(tmp_path, "##div.ad-box\n")
    assert b"Buy now" in second.stdout and b"Second." not in second.stdout


def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path) -> None:
    strip_ads(tmp_path, "##div.ad-box\n")
    [cache] = cache_files(tmp_path)
    cache.write_bytes(b"\x00{not json")
    proc = strip_ads(tmp_path, "##div.ad-box\n")
    assert proc.returncode == 0 and b"Buy now" not in proc.stdout and not proc.stderr
    assert "div.ad-box" in read_cache(cache)["css"]


def test_a_cache_file_whose_checksum_does_not_match_is_not_used(tmp_path: Path) -> None:
    strip_ads(tmp_path, "##div.ad-box\n")
    [cache] = cache_files(tmp_path)
    data = read_cache(cache)
    data["css"]["div.ad-box"] = [_translate("p.keep").path, None]
    raw = marshal.dumps(data)
    cache.write_bytes((zlib.crc32(raw) ^ 1).to_bytes(4, "big") + raw)  # well-formed, bad sum
    proc = strip_ads(tmp_path, "##div.ad-box\n")
    assert b"Buy now" not in proc.stdout and b"Second." in proc.stdout and not proc.stderr
    assert read_cache(cache)["css"]["div.ad-box"][0] == _translate("div.ad-box").path


def test_an_unwritable_cache_folder_means_no_cache_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be")
    proc = strip_ads(tmp_path, "##div.ad-box\n")
    assert proc.returncode == 0 and b"Buy now" not in proc.stdout and not proc.stderr


def test_no_cache_variable_turns_it_off(tmp_path: Path) -> None:
    proc = strip_ads(tmp_path, "##div.ad-box\n", CLEANTEXT_NO_CACHE="1")
    assert proc.returncode == 0 and b"Buy now" not in proc.stdout
    assert cache_files(tmp_path) == []


def test_bad_selectors_are_refused_and_never_cached(tmp_path: Path) -> None:
    proc = strip_ads(tmp_path, "##div.ok\n##div[\n")
    assert proc.returncode != 0 and b"rules.txt:2" in proc.stderr
    for cache in cache_files(tmp_path):
        assert "div[" not in read_cache(cache).get("css", {})
    with pytest.raises(BadSelector):
        translate("p:nosuchpseudo")


def test_regex_checks_are_kept_and_bad_patterns_never_are(tmp_path: Path) -> None:
    first = strip_ads(tmp_path, "##/^Buy (?:now|today)$/\n")
    assert first.returncode == 0 and b"Buy now" not in first.stdout
    [cache] = cache_files(tmp_path)
    data = read_cache(cache)
    assert data["regex"] == {"0/^Buy (?:now|today)$": ["Buy "]}
    # The kept strings are what the pre-filter looks for: change them, and the rule no
    # longer finds its text (so the cache is what a second run uses).
    data["regex"]["0/^Buy (?:now|today)$"] = ["nowhere"]
    write_cache(cache, data)
    assert b"Buy now" in strip_ads(tmp_path, "##/^Buy (?:now|today)$/\n").stdout
    bad = strip_ads(tmp_path, "##/(unclosed/\n")
    assert bad.returncode != 0 and b"rules.txt:1: bad regular expression" in bad.stderr
    assert "0/(unclosed" not in read_cache(cache)["regex"]


def test_needs_come_from_every_compound_and_a_single_has() -> None:
    from cleantext.selectors import _needs

    def needs(selector: str) -> list[tuple[list[str], list[tuple[str, str]]]]:
        return [(sorted(tags), sorted(attrs)) for tags, attrs in _needs(selector)]

    assert needs('div:has(> a[href^="https://feedx."])') == [
        (["a", "div"], [("href", "https://feedx.")])]
    assert needs("hr:has(+ div > a.x)") == [(["a", "div", "hr"], [("class", "x")])]
    # Parts that are not all required add nothing: :not(), :has() of several, :is().
    assert needs("ul.list:not(:has(li.y))") == [(["ul"], [("class", "list")])]
    assert needs("p:has(a, b.z)") == [(["p"], [])]
    assert needs("section :is(.a, .b)") == [(["section"], [])]


@pytest.mark.parametrize("kind, wrong", [
    ("css", 5), ("css", ["//div", 7]), ("css", ["//div", [["div", "x"]]]), ("css", "//div"),
    ("regex", 3), ("regex", [1, 2]),
])
def test_cached_entries_of_the_wrong_type_are_made_again_not_an_internal_error(
        tmp_path: Path, kind: str, wrong: object) -> None:
    # A file from another version (or edited) with a good checksum but entries of the wrong
    # type failed every document with "internal error", run after run.
    rules = "##div.ad-box\n##/^Buy now$/\n"
    strip_ads(tmp_path, rules)
    [cache] = cache_files(tmp_path)
    data = read_cache(cache)
    for key in data[kind]:
        data[kind][key] = wrong
    write_cache(cache, data)
    again = strip_ads(tmp_path, rules)
    assert again.returncode == 0, again.stderr
    assert b"Buy now" not in again.stdout and b"Article text." in again.stdout
    repaired = read_cache(cache)
    assert all(value != wrong for value in repaired[kind].values())


def test_the_cache_file_being_written_is_removed_by_a_stop(tmp_path: Path, monkeypatch) -> None:
    # Registered like an output's temporary file: a Ctrl-C or SIGTERM while the cache is
    # saved (here: just before its rename) leaves no .tmp file in the cache folder.
    from cleantext import diskcache
    from cleantext import io as cleantext_io

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("CLEANTEXT_NO_CACHE", raising=False)
    monkeypatch.setattr(diskcache, "_memory", {"css": {"p": ["//p", None]}})
    monkeypatch.setattr(diskcache, "_dirty", True)

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(diskcache.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        diskcache.save()
    assert [p.name for p in (tmp_path / "cache" / "cleantext").iterdir()][0].endswith(".tmp")
    cleantext_io.remove_temps()
    assert list((tmp_path / "cache" / "cleantext").iterdir()) == []
