"""Issue 22, point 4: every stream in bounded memory, whatever the input's shape.

The memory itself is measured by ``benchmarks/bench_memory.py`` (peak RSS of a process on
128 MB inputs) and tests/test_faults_memory.py: these tests check that an overlong line with
no letters (of blanks, whatever the --keep options) is cut or kept small, with the same
result as the whole line in one piece, and that ``convert`` cuts a one-character flood into
bounded segments."""

from __future__ import annotations

import itertools
import random

import pytest

from cleantext.steps import normalize as normalize_module
from cleantext.steps.normalize import normalize_pieces

FLOODS = [" ", "-", "\u3000", "\u00a0", " \u200b", "…", "，", "=-", "\t-", "　a"]


def pieces(text: str, rng: random.Random) -> list[str]:
    out, start = [], 0
    while start < len(text):
        end = start + rng.randint(1, 300)
        out.append(text[start:end])
        start = end
    return out


@pytest.mark.parametrize("flood", FLOODS)
@pytest.mark.parametrize("options", [{}, {"keep": ("unicode-spaces",)}, {"nfkc": True},
                                     {"keep": ("space-runs",)}, {"keep": ("indent",)}])
def test_a_flood_without_letters_is_cut_or_shrunk_with_the_same_result(monkeypatch, flood,
                                                                         options):
    rng = random.Random(flood + repr(options))
    for _ in range(20):
        middle = flood * rng.randint(50, 800)
        text = rng.choice(["", "x", "中文", "  ", "\n"]) + middle + rng.choice(
            ["", " \n", "y  ", "\n\nz", "   ", "\u0301"]) + rng.choice(["", flood * 300])
        whole = "".join(normalize_pieces([text], **options))
        monkeypatch.setattr(normalize_module, "_MAX_CARRY", 64)
        split = "".join(normalize_pieces(pieces(text, rng), **options))
        monkeypatch.setattr(normalize_module, "_MAX_CARRY", 1 << 20)
        assert split == whole, (flood, options)


# Lines with no letters of any kind, of blanks above all: whether their spaces and tabs go
# (at a line's start or end) or stay depends on what comes before and after, far away.
BLANK_FLOODS = ["\t", " \t", "\t\u3000 \u00a0", "\u3000", " \u200b", "\u200b", "。  ", "- ",
                "\t-", "，\u200b"]
EVERY_KEEP = [{}, *({"keep": (rule,)} for rule in normalize_module.RULES),
              {"keep": ("space-runs", "indent")}, {"keep": ("line-endings", "blank-lines")},
              {"keep": ("space-runs", "line-endings")}, {"nfkc": True},
              {"nfkc": True, "keep": ("unicode-spaces",)}]


@pytest.mark.parametrize("flood", BLANK_FLOODS)
@pytest.mark.parametrize("options", EVERY_KEEP, ids=repr)
def test_a_line_of_blanks_cut_at_any_piece_gives_what_the_whole_text_gives(monkeypatch, flood,
                                                                          options):
    rng = random.Random(flood + repr(options))
    for _ in range(12):
        text = (rng.choice(["", "x", "中文", "\n", "e", " \r", "a\u00a8"]) + flood * rng.randint(20, 400)
                + rng.choice(["", "\n", " \r\n", "\r", "\r x", "y", "\u0301", "\u2028z", "\t\n\n"])
                + rng.choice(["", flood * rng.randint(1, 200) + rng.choice(["", "z", "\n"])]))
        whole = "".join(normalize_pieces([text], **options))
        monkeypatch.setattr(normalize_module, "_MAX_CARRY", rng.choice([8, 40]))
        split = "".join(normalize_pieces(pieces(text, rng), **options))
        monkeypatch.setattr(normalize_module, "_MAX_CARRY", 1 << 20)
        assert split == whole, (text[:40], options)


@pytest.mark.parametrize("flood", [" ", "-", "\u3000", "x -"])
def test_what_is_held_stays_small_on_a_flood(monkeypatch, flood):
    # 2 M characters on one line: held whole, they take 2-4 MB (the old code, which cut a
    # line only between letters); cut or shrunk, what is held at any time is far less.
    import tracemalloc

    monkeypatch.setattr(normalize_module, "_MAX_CARRY", 100_000)
    piece = flood * (2000 // len(flood))
    tracemalloc.start()
    try:
        for _ in normalize_pieces(piece for _ in range(1000)):
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


@pytest.mark.parametrize("start", ["", "正文"])
@pytest.mark.parametrize("flood, keep", [("\t", ()), (" \t", ()), (" ", ("space-runs",)),
                                         ("\u3000", ("space-runs",)), ("\t", ("indent",))])
def test_what_is_held_stays_small_on_a_line_of_blanks(monkeypatch, start, flood, keep):
    # 2 M characters of tabs (or spaces kept as runs) on one line: held whole before, since
    # only what follows says whether they end the line. Now dropped at a line's start,
    # written if indents are kept, else held compressed: kilobytes.
    import tracemalloc

    monkeypatch.setattr(normalize_module, "_MAX_CARRY", 100_000)
    piece = flood * (2000 // len(flood))
    tracemalloc.start()
    try:
        out = sum(map(len, normalize_pieces(
            [start, *(piece for _ in range(1000)), "x\n"], keep=keep)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000
    assert out > 3 or not start  # "正文", the blanks (one space, or all of them) and "x"


def test_a_one_character_flood_is_converted_in_bounded_segments():
    # 3 M characters with no newline, "<", space or punctuation: held whole before (cut only
    # past 16 M characters, and OpenCC needs ~14 bytes a character of a call's text).
    from cleantext.steps import convert as cv

    flood = "國" * 65536
    for start in ("", "<", "<p "):  # after a "<" that no ">" closes too (was never cut)
        longest = total = 0
        for segment in cv._segments(itertools.chain([start], (flood for _ in range(48)))):
            longest = max(longest, len(segment))
            total += len(segment)
        assert total == len(start) + 48 * 65536
        assert longest <= cv._MAX_CARRY + cv._MAX_TAG + 65536
