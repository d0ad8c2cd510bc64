#!/usr/bin/env python3
"""Start-up time of the cleantext command, against the interpreter and click alone.

Reports, in one run, the median wall time of `python -c pass`, `python -c "import click"`,
`cleantext --help` and each subcommand on a 1 KB UTF-8 document, and checks the targets:
--help within 20 ms of `import click`, normalize within 30 ms, every other subcommand
within 60 ms.

    python benchmarks/bench_startup.py [--runs 21]
"""

from __future__ import annotations

import argparse
import os
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


def median_ms(cmd: list[str], runs: int) -> float:
    times = []
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)  # warm-up
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                       env=ENV)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
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
        for name in cli.commands:
            budget = 30 if name == "normalize" else 60
            rows.append((f"cleantext {name} (1 KB)", [exe, name, str(doc)], budget))
        results = {label: median_ms(cmd, args.runs) for label, cmd, _ in rows}
    click_ms = results['python -c "import click"']
    failed = 0
    print(f"median of {args.runs} runs, {len(body.encode())} byte document")
    for label, _, budget in rows:
        ms = results[label]
        if budget is None:
            print(f"{label:<32} {ms:7.1f} ms")
            continue
        over = ms - click_ms
        ok = over <= budget
        failed += not ok
        print(f"{label:<32} {ms:7.1f} ms  (+{over:5.1f} ms over click; target +{budget} ms) "
              f"{'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
