#!/usr/bin/env python3
"""The long fuzz run: every subcommand on random bytes and mutated documents for a while.

Each run must end with exit 0 or 1, no traceback, a one-line error, within a time bound.
Failing inputs are saved under --save (default /tmp/cleantext-fuzz) to replay by hand.

The time bound is on CPU time (this process's and its reaped children's), which a loaded
machine does not inflate: --timeout seconds of CPU. Wall time is bounded too, generously
(--wall-factor times --timeout): a run over it is run again once and fails only if it is
over again; a run that never ends (a hang, blocked without using CPU) is caught by a
watchdog after twice that wall bound, which saves the input, names it and stops the fuzz.

    python tests/fuzz/fuzz_commands.py --minutes 30 [--seed 1] [--corpus ../shared/corpus]

Real documents from --corpus (when given and present) are mutated besides the built-in seed.
Besides random and mutated documents, generators make the hostile shapes of issue 22, each
with its own check:

- floods without letters (spaces, dashes, U+3000, tabs, "……"): streamed in small pieces
  (the cuts of an overlong line) they must give what the whole document gives;
- unclosed containers nested around many links: strip-ads within the time bound;
- invalid bytes in UTF-8 Chinese text: every invalid byte comes back, in order;
- symbolic links in an --output-dir tree: no file outside the tree is changed;
- Markdown bodies with long blocks: fences spooled and blocks cut early, streamed in small
  pieces, they must give what holding every block whole gives.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import hashlib
import os
import random
import resource
import sys
import threading
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from click.testing import CliRunner

from cleantext.cli import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from test_fuzz import SEED  # noqa: E402

FRAGMENTS = [
    b"<", b">", b"</p>", b"<div>", b"<p>", b"<!--", b"-->", b"<script>", b"<style>", b"&#",
    b"&nbsp;", b"---\n", b"+++\n", b"{", b"}", b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf",
    b"\xe3\x80\x80", b"[", b"](", b"<br>", b"<li>", b"<table>", b"<td>", b"<img alt=x>",
    b"<a href='http://x'>", b"&#123;", b"key: &a [1]\n", b"*a\n", b"\xff", b"\xc3", b"\x81\x40",
    b"<div>" * 50, b"</div>" * 50, b"<" * 100, b"&#x110000;", b"&#0;", b"<?xml version='1.0' "
    b"encoding='utf-8'?>", b"<html><head><title>t</title></head><body>", b"\xe4\xb8",
]
HEAD = "---\ntitle: 标题\n---\n"
# Ideographs and ASCII letters only: no byte inserted among them can make a character that
# normalize or convert would change (a full-width letter, a space), so only the invalid
# bytes are in question.
HAN = "经济学人的文章今天报道台湾成长率创下新高政府表示将持续推动改革中国银行"


def mutate(rng: random.Random, doc: bytes) -> bytes:
    for _ in range(rng.randint(1, 12)):
        pos = rng.randint(0, len(doc))
        roll = rng.random()
        if roll < 0.4:
            doc = doc[:pos] + rng.choice(FRAGMENTS) + doc[pos:]
        elif roll < 0.7:
            doc = doc[:pos] + doc[pos + rng.randint(1, 50):]
        elif roll < 0.9 and doc:
            doc = doc[:pos] + bytes([rng.randrange(256)]) + doc[pos + 1:]
        else:
            start = rng.randint(0, len(doc))
            doc = doc[:pos] + doc[start:start + rng.randint(1, 200)] + doc[pos:]
    return doc


class Cost(tuple):
    """(wall seconds, CPU seconds) of one command's run."""

    @property
    def wall(self) -> float:
        return self[0]

    @property
    def cpu(self) -> float:
        return self[1]


# Wall time allowed per run, as a multiple of the CPU-time bound (--timeout): generous, for
# a machine shared with other work; set by main() from --wall-factor.
WALL_FACTOR = 6.0
SLOW_WALL = "slow (wall time)"  # marks a problem fuzz() runs again once before it counts


def contract_problem(result, elapsed: Cost, timeout: float) -> str | None:
    """What is wrong with one command's run, by the I/O contract (None: nothing)."""
    if result.exit_code not in (0, 1):
        return f"exit {result.exit_code}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"exception {result.exception!r}"
    if "Traceback" in result.stderr:
        return "traceback on stderr"
    if result.exit_code == 1 and not result.stderr.startswith("cleantext: "):
        return "error message without the cleantext: prefix"
    if any(not line.startswith("cleantext: ") for line in result.stderr.splitlines()):
        return "a message line without the cleantext: prefix"
    if elapsed.cpu > timeout:
        return f"took {elapsed.cpu:.1f} s of CPU (wall {elapsed.wall:.1f} s)"
    if elapsed.wall > timeout * WALL_FACTOR:
        return f"{SLOW_WALL}: took {elapsed.wall:.1f} s (CPU {elapsed.cpu:.1f} s)"
    return None


def cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of its children waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def invoke(args: list[str], payload: bytes | None = None) -> tuple[object, Cost]:
    start, cpu = time.monotonic(), cpu_seconds()
    result = CliRunner().invoke(cli, args, input=payload)
    return result, Cost((time.monotonic() - start, cpu_seconds() - cpu))


# A case: (name, payload to save if it fails, a function returning the problem or None).
Case = tuple[str, bytes, Callable[[float], "str | None"]]


def case_mutated(rng: random.Random, seeds: list[bytes], commands: list[str]) -> Case:
    command = rng.choice(commands)
    payload = (bytes(rng.randrange(256) for _ in range(rng.randint(0, 500)))
               if rng.random() < 0.1 else mutate(rng, rng.choice(seeds)))

    def run(timeout: float) -> str | None:
        return contract_problem(*invoke([command], payload), timeout)

    return command, payload, run


def piece_sizes(rng: random.Random) -> tuple[int, int, int, int]:
    """Drawn when a case is made, so that running it again streams it the same way."""
    # Pieces of 1-49 bytes are tested by tests/test_cli_contract.py; here whole floods of
    # them would cost each piece a look for a place to cut (a 4 K window), minutes a case.
    return (rng.randint(50, 2000), rng.randint(8, 2000), rng.randint(50, 500),
            rng.randint(500, 3000))


@contextlib.contextmanager
def small_pieces(sizes: tuple[int, int, int, int]) -> Iterator[None]:
    """Stream every input, in tiny pieces, cutting overlong lines early."""
    from cleantext import runner
    from cleantext.steps import convert, normalize

    saved = (runner.STREAM_THRESHOLD, runner.PIECE_SIZE, normalize._MAX_CARRY,
             convert._TARGET, convert._MAX_CARRY, convert._HARD_LIMIT, convert.HELPER_PROCESS)
    runner.STREAM_THRESHOLD = 0
    runner.PIECE_SIZE, normalize._MAX_CARRY, convert._TARGET, convert._HARD_LIMIT = sizes
    convert._MAX_CARRY = convert._HARD_LIMIT
    convert.HELPER_PROCESS = False
    try:
        yield
    finally:
        (runner.STREAM_THRESHOLD, runner.PIECE_SIZE, normalize._MAX_CARRY, convert._TARGET,
         convert._MAX_CARRY, convert._HARD_LIMIT, convert.HELPER_PROCESS) = saved


def same_output(command: list[str], payload: bytes, timeout: float,
                reference: Callable[[], contextlib.AbstractContextManager[None]],
                other: Callable[[], contextlib.AbstractContextManager[None]],
                other_name: str, reference_name: str) -> str | None:
    """Run ``command`` under the ``reference`` settings, then under the ``other``: what is
    wrong with either run, or that their outputs differ (None: nothing)."""
    with reference():
        first, elapsed = invoke(command, payload)
    problem = contract_problem(first, elapsed, timeout)
    if problem:
        return problem
    with other():
        second, elapsed = invoke(command, payload)
    problem = contract_problem(second, elapsed, timeout)
    if problem:
        return f"{other_name}: {problem}"
    if second.stdout_bytes != first.stdout_bytes:
        return f"{other_name} differs from {reference_name}"
    return None


def case_flood(rng: random.Random) -> Case:
    """A line with no letters, long enough to be cut: streamed equals whole (normalize; for
    convert, a line without newline, space or punctuation is cut anyway, so not compared)."""
    unit = rng.choice([" ", "-", "\u3000", "\t", "……", "=", " \u200b", "\u00a0", "，", "- ",
                       " \t", "\t\u3000 ", "\u200b", "。  "])
    body = (rng.choice(["", "文字", "  ", "x"]) + unit * rng.randint(100, 20_000)
            + rng.choice(["", "\n", " \n", "y", "\n\n正文\n", "\r\n", "\r", "\t\r\n"])
            ) * rng.randint(1, 3)
    payload = (HEAD + body).encode()
    options = rng.choice([[], ["--keep", "space-runs"], ["--keep", "unicode-spaces"],
                          ["--nfkc"], ["--keep", "indent"], ["--keep", "line-endings"],
                          ["--keep", "space-runs", "--keep", "indent"],
                          ["--nfkc", "--keep", "unicode-spaces"]])
    sizes = piece_sizes(rng)

    def run(timeout: float) -> str | None:
        return same_output(["normalize", *options], payload, timeout, contextlib.nullcontext,
                           lambda: small_pieces(sizes),
                           f"streamed in pieces (options {options})", "whole")

    return "flood", payload, run


# Lines of Markdown blocks, made long by repeating them: code, spans, HTML, math, quotes.
MARKDOWN_LINES = [
    "正文，ＡＢＣ。  `x  y` [鏈](https://x.org/軟體)\n", "x = 1  # 註釋，ＡＢ\n", "<b>粗</b> 體\n",
    "$$\n", "{% raw %}\n", "{{< x >}}\n", "```\n", "~~~\n", "\n", "  \t\n", "- 項　目\n",
    "> 引用\n", "1. 一\n", "|a|b|\n", "|-|-|\n", "<div>\n", "</div>\n", "<span\n", "title='x'>\n",
    "https://x.org/a_b\n", "\u3000全形 ＡＢ\n", "`code  \n", "span`\n", "===\n", "\ue000\ue002\n",
    "\r\n", "a\r", "$x  y$ 數\n", "\t" * 300 + "\n", " " * 257 + "\r\n", " \t" * 150 + "\n",
    "    " + " " * 200 + "x\n", '<b class="x">\n', "<?x\n", "?>\n",
    "正文 `x  y`，[鏈](https://x.org/軟體) $a  b$ 軟體。" * 12 + "\n", "word *em* `c  d` <i>x</i> " * 20 + "\n",
]


def case_long_markdown(rng: random.Random) -> Case:
    """A Markdown body with long blocks (fenced or indented code, paragraphs, quotes, list
    items), long lines and long blank lines: with fences and blank lines spooled, blocks and
    lines cut early (``markdown_scan``'s thresholds made small) and the input streamed in
    small pieces, normalize and convert give what holding every block whole gives."""
    prefix = rng.choice(["", "    ", "> ", "  ", "\t"])
    lines = [prefix + rng.choice(MARKDOWN_LINES) for _ in range(rng.randint(20, 200))]
    body = "# 標題\n\n" + rng.choice(["", "```py\n", "~~~\n", "- a\n\n  ```\n", "<pre>\n",
                                    "- 項目\n", "1.  項目\n", "> - 項\n"])
    payload = (HEAD + body + "".join(lines) * rng.randint(1, 30)).encode()
    command = rng.choice([["normalize"], ["normalize", "--keep", "line-endings"],
                          ["normalize", "--keep", "indent"], ["convert"], ["t2s"]])
    window = rng.choice([8, 64, 4096])
    small = (rng.randint(0, 4000), rng.randint(0, 8000))
    sizes = piece_sizes(rng)

    @contextlib.contextmanager
    def thresholds(spool: int, cut: int) -> Iterator[None]:
        from cleantext import markdown_scan

        saved = (markdown_scan.SPOOL_AFTER, markdown_scan.CUT_AFTER, markdown_scan.MAX_SPAN,
                 markdown_scan.LONG_BLANK_AFTER, markdown_scan.LONG_LINE_AFTER)
        markdown_scan.SPOOL_AFTER, markdown_scan.CUT_AFTER = spool, cut
        markdown_scan.MAX_SPAN = window
        markdown_scan.LONG_BLANK_AFTER = min(spool, cut) // 20  # 0-200: most blank lines
        markdown_scan.LONG_LINE_AFTER = min(spool, cut) // 20  # most lines longer than a piece
        try:
            yield
        finally:
            (markdown_scan.SPOOL_AFTER, markdown_scan.CUT_AFTER, markdown_scan.MAX_SPAN,
             markdown_scan.LONG_BLANK_AFTER, markdown_scan.LONG_LINE_AFTER) = saved

    @contextlib.contextmanager
    def spooled_and_cut() -> Iterator[None]:
        with thresholds(*small), small_pieces(sizes):
            yield

    def run(timeout: float) -> str | None:
        return same_output(command, payload, timeout, lambda: thresholds(1 << 62, 1 << 62),
                           spooled_and_cut, f"spooled and cut ({command}, window {window})",
                           "held whole")

    return "long-markdown", payload, run


def case_nested_links(rng: random.Random) -> Case:
    """Unclosed containers nested around many links: strip-ads (and clean) in bounded time."""
    tag = rng.choice(["div", "section", "ul", "nav", "td"])
    links = rng.randint(1, 12)
    box = f'<{tag} class="{rng.choice(["box", "list", "x"])}">' + " ".join(
        f'<a href="/p{i}">链接{i}</a>' for i in range(links)) + rng.choice(["", "文字", "<p>段"])
    payload = (HEAD + "<p>" + "正文" * rng.randint(0, 200) + "</p>"
               + box * rng.randint(10, 1500) + "\n").encode()
    command = rng.choice([["strip-ads"], ["clean", "-j", "1"]])

    def run(timeout: float) -> str | None:
        return contract_problem(*invoke(command, payload), timeout)

    return "-".join(command), payload, run


def is_subsequence(needle: bytes, haystack: bytes) -> bool:
    pos = 0
    for byte in needle:
        pos = haystack.find(bytes([byte]), pos) + 1
        if not pos:
            return False
    return True


def invalid_bytes(data: bytes) -> list[str]:
    text = data.decode("utf-8", "surrogateescape")
    return [c for c in text if "\udc80" <= c <= "\udcff"]


def case_invalid_utf8(rng: random.Random) -> Case:
    """Chinese UTF-8 with stray bytes in its text (not in its tags, which go with their
    bytes): every invalid byte comes back, in order, and so does every ideograph (not read
    as a legacy encoding)."""
    html = rng.random() < 0.5
    parts = [HEAD.encode()]
    for _ in range(rng.randint(1, 30)):
        line = bytearray("".join(rng.choice(HAN) for _ in range(rng.randint(5, 60))).encode())
        for _ in range(rng.choice([0, 0, 1, 2])):
            pos = rng.randint(0, len(line))
            line[pos:pos] = bytes([rng.randrange(0x80, 0x100)])
        parts.append(b"<p>" + bytes(line) + b"</p>\n" if html else bytes(line) + b"\n")
    payload = b"".join(parts)
    text = payload.decode("utf-8", "surrogateescape")
    # A stray byte may complete a character (C2 + A0: a no-break space) that the steps then
    # change: only a text of ideographs, ASCII and invalid bytes must come back byte for byte.
    plain = all(c in HAN or c < "\x80" or "\udc80" <= c <= "\udcff" for c in text)
    command = rng.choice([["normalize"], ["convert", "-c", "s2t"], ["strip-html"],
                          ["strip-ads"], ["clean", "-j", "1"]])

    def run(timeout: float) -> str | None:
        result, elapsed = invoke(command, payload)
        problem = contract_problem(result, elapsed, timeout)
        if problem:
            return problem
        if result.exit_code != 0:
            return f"exit {result.exit_code}: {result.stderr.strip()}"
        # Each invalid byte is written back as it was, in order (two of them may make a
        # character again once what stood between them is removed: E5 87 [C2 8F] B0).
        if not is_subsequence(bytes(ord(c) - 0xDC00 for c in invalid_bytes(payload)),
                              result.stdout_bytes):
            return "invalid bytes not passed through unchanged"
        if command[0] in ("convert", "clean"):
            return None  # ideographs change, by design (a stray byte can make a traditional one)
        out = result.stdout_bytes.decode("utf-8", "surrogateescape")
        if [c for c in out if c in HAN] != [c for c in text if c in HAN]:
            return "ideographs lost or changed: read as another encoding?"
        if command == ["normalize"] and plain and result.stdout_bytes != payload:
            return "normalize changed bytes of a document it had nothing to do to"
        return None

    return "-".join(command), payload, run


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def case_symlinked_output(rng: random.Random) -> Case:
    """An --output-dir tree holding links (to inputs, to files and folders elsewhere):
    nothing outside the tree changes, whatever the command says."""
    plan = [(rng.choice(["post", "sub/post", "a/b/post"]) + f"{i}.md",
             rng.choice(["file-link", "folder-link", "dangling", "none", "loop"]))
            for i in range(rng.randint(1, 6))]
    payload = repr(plan).encode()
    command = rng.choice([["normalize"], ["clean", "-j", rng.choice(["1", "2"])]])

    def run(timeout: float) -> str | None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            src, out, elsewhere = root / "src", root / "out", root / "elsewhere"
            for folder in (src, out, elsewhere):
                folder.mkdir()
            (elsewhere / "victim.md").write_text("keep me\n")
            for rel, kind in plan:
                source = src / rel
                source.parent.mkdir(parents=True, exist_ok=True)
                source.write_text(HEAD + "　　正文，ＡＢＣ。  \n")
                target = out / rel
                if kind == "none":
                    continue
                if kind == "folder-link":
                    parent = target.parent
                    if parent != out and not parent.exists() and not parent.is_symlink():
                        parent.parent.mkdir(parents=True, exist_ok=True)
                        parent.symlink_to(elsewhere)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.exists() or target.is_symlink():
                    continue
                if kind == "file-link":
                    target.symlink_to(rng.choice([source, elsewhere / "victim.md"]))
                elif kind == "dangling":
                    target.symlink_to(elsewhere / "gone.md")
                else:
                    target.symlink_to(target)
            before = tree_digest(src), tree_digest(elsewhere)
            result, elapsed = invoke([*command, "-r", str(src), "--output-dir", str(out)])
            problem = contract_problem(result, elapsed, timeout)
            if problem:
                return problem
            if (tree_digest(src), tree_digest(elsewhere)) != before:
                return "a file outside the output tree was changed"
            for path in out.rglob("*"):
                if path.name.endswith(".tmp"):
                    return f"temporary file left: {path}"
        return None

    return "output-dir", payload, run


def cases(rng: random.Random, seeds: list[bytes], commands: list[str]) -> Case:
    roll = rng.random()
    if roll < 0.6:
        return case_mutated(rng, seeds, commands)
    if roll < 0.7:
        return case_flood(rng)
    if roll < 0.8:
        return case_nested_links(rng)
    if roll < 0.85:
        return case_invalid_utf8(rng)
    if roll < 0.9:
        return case_long_markdown(rng)
    return case_symlinked_output(rng)


GENERATORS = {"flood": case_flood, "nested-links": case_nested_links,
              "invalid-utf8": case_invalid_utf8, "symlinked-output": case_symlinked_output,
              "long-markdown": case_long_markdown}


@contextlib.contextmanager
def watchdog(name: str, payload: bytes, save: Path, seconds: float) -> Iterator[None]:
    """A run still going after ``seconds`` is a hang: save its input, show where every
    thread is, and stop the whole fuzz (exit 1) rather than wait forever."""
    def fire() -> None:
        save.mkdir(parents=True, exist_ok=True)
        path = save / f"{name}-hang.bin"
        path.write_bytes(payload)
        # The run's own streams are CliRunner's captures: write to the real ones.
        print(f"FAIL {name}: no end after {seconds:.0f} s (input saved to {path})",
              file=sys.__stdout__, flush=True)
        with contextlib.suppress(Exception):
            faulthandler.dump_traceback(file=sys.__stderr__, all_threads=True)
        os._exit(1)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def fuzz(rng: random.Random, make: Callable[[], Case], deadline: float, timeout: float,
         save: Path, limit: int | None = None) -> tuple[int, list[str]]:
    """Run cases until ``deadline`` (or ``limit`` cases): (runs, failure lines)."""
    runs = 0
    failures = []
    os.environ.setdefault("CLEANTEXT_NO_CACHE", "1")
    while time.monotonic() < deadline and (limit is None or runs < limit):
        name, payload, run = make()
        with watchdog(name, payload, save, 2 * timeout * WALL_FACTOR):
            problem = run(timeout)
            if problem and SLOW_WALL in problem:
                # Slow by the clock but not by CPU: the machine was busy, or the run waited
                # on something. Once more: a second slow run is a failure.
                again = run(timeout)
                problem = again and f"{again} (twice)"
        runs += 1
        if problem:
            save.mkdir(parents=True, exist_ok=True)
            path = save / f"{name}-{runs}.bin"
            path.write_bytes(payload)
            failures.append(f"FAIL {name}: {problem} (input saved to {path})")
            print(failures[-1], flush=True)
    return runs, failures


def main() -> int:
    global WALL_FACTOR
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--save", type=Path, default=Path("/tmp/cleantext-fuzz"))
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="CPU seconds allowed per run")
    parser.add_argument("--wall-factor", type=float, default=WALL_FACTOR,
                        help="wall time allowed per run, times --timeout (a slow run is run "
                        "again once; one that never ends stops the fuzz after twice that)")
    parser.add_argument("--only", choices=sorted(GENERATORS),
                        help="run only this hostile-shape generator")
    args = parser.parse_args()
    WALL_FACTOR = args.wall_factor
    rng = random.Random(args.seed)
    seeds = [SEED.encode()]
    if args.corpus and args.corpus.is_dir():
        seeds += [p.read_bytes() for p in sorted(args.corpus.rglob("*.md"))[::10]]
    commands = sorted(cli.list_commands(None))
    if args.only:
        def make() -> Case:
            return GENERATORS[args.only](rng)
    else:
        def make() -> Case:
            return cases(rng, seeds, commands)
    deadline = time.monotonic() + args.minutes * 60
    runs, failures = fuzz(rng, make, deadline, args.timeout, args.save)
    what = (f"the {args.only} generator only" if args.only else
            f"{', '.join(commands)} and the hostile shapes ({', '.join(GENERATORS)})")
    print(f"seed {args.seed}: {runs} runs over {args.minutes} min on {what}: "
          f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
