"""Peak memory (RSS) of one command on a hostile input: issue 22's "bounded memory".

Each case writes its input file (128 MB by default), then runs the command in a child
process and reads the child's peak resident set size from ``getrusage(RUSAGE_CHILDREN)``;
each case is measured from a fresh process of this script, since that figure is the largest
of all children waited for. It measures memory, not time.

    python benchmarks/bench_memory.py                  # every case, 128 MB
    python benchmarks/bench_memory.py --mb 256 spaces  # one case, another size
    python benchmarks/bench_memory.py --limit 100      # exit 1 if a case peaks above 100 MB

Cases (``--list`` shows each one's command): spaces, dashes, ideographic-spaces (U+3000)
through ``normalize``; backup (``normalize -i --backup .bak`` on 128 MB of text with
something to change); convert-flood (``convert`` on one Chinese character repeated); and
lines without letters of other shapes: tabs, tabs and spaces mixed, spaces and U+3000 with
``--keep`` options, punctuation with each ``--keep`` that matters, ``convert``/``t2s`` on
the same, ``strip-html`` on a ``<pre>`` of tabs; each of these is one line of the whole
size. markdown-fence, markdown-fence-convert, markdown-paragraph, markdown-indented-code,
markdown-quote, markdown-list-item, markdown-html-block: a Markdown post with one block of
short lines and no blank line; markdown-tabs, markdown-tabs-convert: a Markdown post with
one blank line of the whole size; markdown-long-line, markdown-long-line-convert: one with a
paragraph of one line of the whole size.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1 << 20
HEAD = "---\ntitle: flood\n---\n"

# name: (command after "cleantext", unit repeated to fill the body[, text before the flood])
CASES: dict[str, tuple] = {
    "spaces": (["normalize"], " "),
    "dashes": (["normalize"], "-"),
    "ideographic-spaces": (["normalize"], "\u3000"),
    "backup": (["normalize", "-i", "--backup", ".bak"], "　　第一段，ＡＢＣ。  \n"),
    "convert-flood": (["convert"], "國"),
    "tabs": (["normalize"], "\t"),
    "tabs-spaces": (["normalize"], " \t  \t"),
    "tabs-keep-indent": (["normalize", "--keep", "indent"], "\t"),
    "spaces-keep-space-runs": (["normalize", "--keep", "space-runs"], " "),
    "spaces-keep-indent": (["normalize", "--keep", "indent"], " "),
    "spaces-keep-both": (["normalize", "--keep", "space-runs", "--keep", "indent"], " "),
    "ideographic-keep-space-runs": (["normalize", "--keep", "space-runs"], "\u3000"),
    "ideographic-keep-unicode-spaces": (["normalize", "--keep", "unicode-spaces"], "\u3000"),
    "ideographic-spaces-mixed": (["normalize", "--keep", "space-runs"], "\u3000 \t\u00a0"),
    "tabs-mid-line": (["normalize"], "\t", "正文"),
    "spaces-keep-space-runs-mid-line": (["normalize", "--keep", "space-runs"], " ", "正文"),
    "tabs-keep-line-endings-mid-line": (["normalize", "--keep", "line-endings"], "\t", "x"),
    "ellipsis": (["normalize"], "……"),
    "commas-nfkc": (["normalize", "--nfkc"], "，"),
    "punctuation-spaces": (["normalize"], "， "),
    "punctuation-keep-space-runs": (["normalize", "--keep", "space-runs"], "。  "),
    "dashes-spaces-keep-indent": (["normalize", "--keep", "indent"], "- "),
    "invisible-keep-space-runs": (["normalize", "--keep", "space-runs"], " \u200b"),
    "convert-tabs": (["convert"], "\t"),
    "convert-spaces": (["convert"], " "),
    "convert-punctuation": (["convert"], "，"),
    "t2s-spaces": (["t2s"], " \t"),
    "t2s-ellipsis": (["t2s"], "……"),
    "strip-html-pre-tabs": (["strip-html"], "\t", "<pre>"),
    "strip-html-tabs": (["strip-html"], "\t", "<p>"),
    "markdown-fence": (["normalize"], "    x = 1  # 注释，ＡＢＣ\n", "# 标题\n\n正文。\n\n```python\n"),
    "markdown-fence-convert": (["convert"], "    x = 1  # 註釋\n", "# 標題\n\n正文。\n\n```python\n"),
    "markdown-paragraph": (["normalize"], "正文，ＡＢＣ。`x  y`\n", "# 标题\n\n"),
    "markdown-indented-code": (["normalize"], "    x = 1  # 注释\n", "# 标题\n\n"),
    "markdown-quote": (["normalize"], "> 引用，ＡＢＣ。\n", "# 标题\n\n"),
    "markdown-list-item": (["normalize"], "  正文，ＡＢＣ。`x  y`\n", "# 标题\n\n- 项目\n"),
    "markdown-html-block": (["normalize"], "<p>正文，ＡＢＣ。<b>x</b> `y  z`</p>\n",
                            "# 标题\n\n正文 `code` [链接](https://x.org)。\n\n<div>\n"),
    "markdown-long-line": (["normalize"], "正文，ＡＢＣ。`x  y` [链接](https://x.org/a) ",
                           "# 标题\n\n正文 `code` [链接](https://x.org)。\n\n"),
    "markdown-long-line-convert": (["convert"], "正文，ＡＢＣ。`x  y` [鏈接](https://x.org/a) ",
                                   "# 標題\n\n正文 `code` [鏈接](https://x.org)。\n\n"),
    "markdown-tabs": (["normalize"], "\t", "# 标题\n\n正文，[链接](https://x.com/a)。\n\n- 一\n- 二\n\n"),
    "markdown-tabs-convert": (["convert"], " \t", "# 標題\n\n正文，[鏈接](https://x.com/a)。\n\n"),
    # Known limit, left out of --all (minutes, held whole): blanks after a kept CR (whether
    # the CR's line ends is not known).
    "cr-tabs-keep-line-endings": (["normalize", "--keep", "line-endings"], "\t", "x\r"),
}
LIMITS = ["cr-tabs-keep-line-endings"]
DEFAULT = ["spaces", "dashes", "ideographic-spaces", "backup", "convert-flood", "tabs",
           "spaces-keep-space-runs", "markdown-fence", "markdown-fence-convert"]


def write_input(path: Path, unit: str, size: int, before: str = "") -> None:
    block = (unit * (MB // len(unit.encode()) + 1)).encode()[:MB]
    # Whole characters only: cut the block where a character ends.
    while True:
        try:
            block.decode()
            break
        except UnicodeDecodeError:
            block = block[:-1]
    with open(path, "wb") as fh:
        fh.write((HEAD + before).encode())
        written = 0
        while written < size:
            fh.write(block)
            written += len(block)
        fh.write(b"\n")


def measure(case: str, size: int) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, exit status) of the case's command."""
    command, unit, *before = CASES[case]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "flood.md"
        write_input(path, unit, size, *before)
        start = time.perf_counter()
        with open(os.devnull, "wb") as sink:
            proc = subprocess.run([sys.executable, "-m", "cleantext", *command, str(path)],
                                  stdout=sink, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
        if proc.returncode:
            sys.stderr.write(proc.stderr.decode(errors="replace"))
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KB on Linux
    return peak_kb / 1024, seconds, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", metavar="CASE", help=", ".join(CASES))
    parser.add_argument("--mb", type=int, default=128, help="input size in MB")
    parser.add_argument("--limit", type=float, help="fail (exit 1) above this many MB")
    parser.add_argument("--all", action="store_true",
                        help="every case but the known limits, not the default few")
    parser.add_argument("--list", action="store_true", help="show each case's command")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.list:
        for name, (command, unit, *before) in CASES.items():
            print(f"{name:32} cleantext {' '.join(command)}  on {''.join(before)}"
                  f"{unit!r} x N")
        return 0
    unknown = [case for case in args.cases if case not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r} (valid: {', '.join(CASES)})")
    if args.one:  # a fresh process for one case: its RUSAGE_CHILDREN is that case's alone
        peak, seconds, status = measure(args.cases[0], args.mb * MB)
        print(f"{peak:.1f} {seconds:.2f} {status}")
        return 0
    failed = False
    print(f"{'case':32} {'input':>8} {'peak RSS':>10} {'time':>8}  status")
    everything = [case for case in CASES if case not in LIMITS]
    for case in args.cases or (everything if args.all else DEFAULT):
        out = subprocess.run([sys.executable, __file__, "--one", "--mb", str(args.mb), case],
                             capture_output=True, text=True, check=True).stdout.split()
        peak, seconds, status = float(out[0]), float(out[1]), int(out[2])
        over = args.limit is not None and peak > args.limit
        failed |= over or status != 0
        print(f"{case:32} {args.mb:>5} MB {peak:>7.1f} MB {seconds:>7.1f}s  {status}"
              + ("  OVER LIMIT" if over else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
