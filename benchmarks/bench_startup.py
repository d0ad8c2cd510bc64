#!/usr/bin/env python3
"""Start-up time of the cleantext command, against the interpreter and click alone.

Reports, in one run, the median wall time (and CPU time) of `python -c pass`,
`python -c "import click"`, `cleantext --help` and each subcommand on a 1 KB UTF-8 document,
run in turns, and checks the targets:
--help within 20 ms of `import click`, normalize within 30 ms, every other subcommand
within 60 ms.

    python benchmarks/bench_startup.py [--runs 21] [--instructions]

Wall time on this shared machine varies by as much as the margins (the same command's median
moved 30 ms between runs minutes apart). ``--instructions`` also counts each command's
instructions once under valgrind's callgrind: the same count every time for the same code,
so a change's effect on start-up can be seen even when the machine is noisy. They are
shown over `import click`'s, and as milliseconds at the rate `import click` ran in this run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DOC = """---
title: "测试文章：启动时间"
date: 2021-04-17T12:54:21.629Z
author: 联合早报
from: https://www.zaobao.com/realtime/china/story20210417-1140112
tags: [ 联合早报 ]
---
<div><p>　　中国银保监会普惠金融部副主任昨天说，在营机构目前已实现清零。</p>
<div id="dfp-ad-imu1"></div>
<p>　　根據報導，他在新聞發布會上介紹一季度銀行業保險業運行情況時表示，存量風險得到有序壓降。</p>
<p class="article-editor">责任编辑：李墨轩</p></div>
"""


# Measure what an installed tool costs: with bytecode caches (some shells here set
# PYTHONDONTWRITEBYTECODE, which makes every start compile the package's sources again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(commands: list[list[str]], runs: int) -> list[tuple[float, float, float]]:
    """Median wall, median CPU (user + system) and fastest wall milliseconds of each command.

    The commands take turns, run after run, so a slow spell of this shared machine slows
    all of them alike instead of one command's whole series.
    """
    walls: list[list[float]] = [[] for _ in commands]
    cpus: list[list[float]] = [[] for _ in commands]
    for cmd in commands:  # warm-up: bytecode caches, the selector cache, the OS file cache
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    for _ in range(runs):
        for i, cmd in enumerate(commands):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False, env=ENV)
            walls[i].append((time.perf_counter() - start) * 1000)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[i].append((after.ru_utime - before.ru_utime + after.ru_stime
                            - before.ru_stime) * 1000)
    return [(statistics.median(w), statistics.median(c), min(w)) for w, c in zip(walls, cpus)]


def instructions(cmd: list[str]) -> int:
    """Instructions the command executes, counted by callgrind (deterministic)."""
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV,
                          check=False)
    for line in proc.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1])
    raise RuntimeError(f"no instruction count from valgrind for {cmd}: {proc.stderr[-300:]}")


def sysconfig_purelib() -> str:
    import sysconfig

    return sysconfig.get_paths()["purelib"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions with valgrind (about 10 s a command)")
    args = parser.parse_args()
    if args.instructions and not shutil.which("valgrind"):
        print("--instructions needs valgrind", file=sys.stderr)
        return 2
    # The script installed beside this interpreter, not a version manager's shim on PATH
    # (a pyenv shim is a bash script that costs 50 ms before Python even starts).
    beside = Path(sys.executable).with_name("cleantext")
    exe = str(beside) if beside.exists() else shutil.which("cleantext")
    if not exe:
        print("the cleantext command is not installed (pip install .)", file=sys.stderr)
        return 2
    from cleantext.cli import cli

    body = DOC
    while len(body.encode()) < 1024:
        body += "<p>　　補充段落，讓文件達到一千字節左右。</p>\n"
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp, "doc.md")
        doc.write_text(body, encoding="utf-8")
        py = sys.executable
        rows = [("python -c pass", [py, "-c", "pass"], None),
                ('python -c "import click"', [py, "-c", "import click"], None),
                ("cleantext --help", [exe, "--help"], 20)]
        for name in cli.list_commands(None):
            budget = 30 if name == "normalize" else 60
            rows.append((f"cleantext {name} (1 KB)", [exe, name, str(doc)], budget))
        timings = measure([cmd for _, cmd, _ in rows], args.runs)
        counts = [instructions(cmd) for _, cmd, _ in rows] if args.instructions else None
    results = dict(zip((label for label, _, _ in rows), timings))
    click_wall, click_cpu, click_fastest = results['python -c "import click"']
    failed = 0
    import cleantext

    editable = not Path(cleantext.__file__).resolve().is_relative_to(Path(sysconfig_purelib()))
    print(f"{exe} ({'editable install' if editable else 'regular install'})")
    print(f"median of {args.runs} runs, {len(body.encode())} byte document; wall clock "
          f"(the target), CPU time (user + system) and the fastest run's wall clock")
    for label, _, budget in rows:
        wall, cpu, fastest = results[label]
        if budget is None:
            print(f"{label:<32} {wall:7.1f} ms wall {cpu:7.1f} ms CPU {fastest:7.1f} fastest")
            continue
        over = wall - click_wall
        ok = over <= budget
        failed += not ok
        print(f"{label:<32} {wall:7.1f} ms wall (+{over:5.1f}; CPU +{cpu - click_cpu:5.1f}; "
              f"fastest +{fastest - click_fastest:5.1f}) target +{budget} ms over click: "
              f"{'ok' if ok else 'MISSED'}")
    if counts is not None:
        labels = [label for label, _, _ in rows]
        click_count = counts[labels.index('python -c "import click"')]
        ms_each = click_wall / click_count
        print(f"instructions (callgrind), over import click's {click_count / 1e6:.0f} M; "
              f"ms at import click's rate in this run ({click_wall:.1f} ms)")
        for label, count in zip(labels[2:], counts[2:]):
            extra = count - click_count
            print(f"{label:<32} +{extra / 1e6:6.1f} M instructions  ~ +{extra * ms_each:5.1f} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
