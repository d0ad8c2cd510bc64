"""Benchmark ``cleantext convert`` against OpenCC's native command-line tool, same version.

Generates a traditional-Chinese text file (default 50 MB: news-like sentences, punctuation,
numbers, some Latin words and URLs, one paragraph per line), then converts it with t2s:

- ``opencc`` -- the C++ tool shipped inside the opencc wheel (``opencc/clib/bin/opencc``;
  not the Python script of the same name in the environment's ``bin/``). It is given
  ``--include-tofu-risk-dictionaries`` because the Python binding, and so cleantext, uses
  those dictionaries by default: both then do the same work and must give the same bytes;
- ``cleantext convert`` -- the whole process, as a user runs it; a file this big goes
  through the runner's streaming path, shared with a helper process on a multi-core machine;
- the same with the helper switched off (``convert.HELPER_PROCESS = False``): one core.

Both write to stdout redirected to a file. The runs are interleaved ``--repeat`` times under
``/usr/bin/time -v`` (if present) for CPU time and peak memory; the best wall time counts.
Prints MB/s, the ratio to the native tool and the peak resident memory, and checks that the
outputs are byte for byte the native tool's. On a shared machine, compare the CPU seconds
too: wall times swing with the load of other processes.

    python benchmarks/bench_convert.py            # 50 MB, 3 runs each
    python benchmarks/bench_convert.py --mb 10 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.util import find_spec
from pathlib import Path

# Clauses of traditional-Chinese news prose; many contain phrases OpenCC converts as a whole.
CLAUSES = (
    "中央社記者今天報導", "臺灣的經濟成長率創下新高", "政府表示將持續推動改革",
    "軟體產業與記憶體市場同步擴張", "行政院會議通過相關草案", "立法院預計下週審查預算",
    "專家認為這項計畫仍有爭議", "當地居民對於環境問題十分關心", "醫療體系面臨嚴重的人力短缺",
    "網路資訊安全成為各界關注的焦點", "銀行業者調整了貸款利率", "這隻貓咪被發現在公園裡",
    "他一個人隻身前往國外發展", "颱風帶來豐沛雨量造成災情", "學校宣布停課一天",
    "總統在記者會上發表談話", "國際油價連續三個交易日下跌", "鐵路局決定增開班次疏運旅客",
    "許多年輕人選擇到大城市工作", "這部電影在海外市場票房亮眼", "研究團隊發表了最新的論文",
    "乾淨的水資源越來越珍貴", "後來他們才發現問題的嚴重性", "頭髮的護理需要注意飲食",
    "皇后大道上擠滿了遊客", "雲端運算與人工智慧的應用日益普及", "消費者物價指數上漲百分之二",
    "出口訂單較去年同期減少", "這項著名的研究獲得國際獎項", "為了因應疫情衝擊推出紓困方案",
)
LATIN = ("GDP", "AI", "iPhone", "COVID-19", "NASA", "Wi-Fi", "5G", "OpenCC")
PUNCT = ("，", "，", "，", "、", "；", "：")
ENDS = ("。", "。", "。", "！", "？")


def generate(path: Path, megabytes: float, seed: int = 1) -> int:
    """Write about ``megabytes`` MB of traditional-Chinese paragraphs to ``path``."""
    rnd = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    written = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        while written < target:
            sentences = []
            for _ in range(rnd.randint(2, 6)):
                parts = []
                for _ in range(rnd.randint(1, 4)):
                    clause = rnd.choice(CLAUSES)
                    roll = rnd.random()
                    if roll < 0.08:
                        clause += f"，{rnd.choice(LATIN)}相關數據顯示成長{rnd.randint(1, 99)}%"
                    elif roll < 0.12:
                        clause += f"（{rnd.randint(1990, 2024)}年{rnd.randint(1, 12)}月）"
                    elif roll < 0.13:
                        clause += f" https://news.example.com.tw/{rnd.randint(1000, 99999)}.html "
                    parts.append(clause)
                sentences.append(rnd.choice(PUNCT).join(parts) + rnd.choice(ENDS))
            line = "".join(sentences) + "\n"
            fh.write(line)
            written += len(line.encode("utf-8"))
    return written


def native_tool() -> tuple[Path, Path]:
    """The wheel's C++ ``opencc`` binary and its configuration directory."""
    spec = find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("opencc is not installed")
    root = Path(next(iter(spec.submodule_search_locations))) / "clib"
    tool, share = root / "bin" / "opencc", root / "share" / "opencc"
    if not tool.exists():
        sys.exit(f"native tool not found at {tool}")
    return tool, share


def cleantext_command() -> list[str]:
    exe = shutil.which("cleantext", path=os.path.dirname(sys.executable))
    return [exe] if exe else [sys.executable, "-m", "cleantext"]


def timed(argv: list[str], output: Path) -> tuple[float, float | None, int | None]:
    """Run ``argv`` with stdout to ``output``; return (wall seconds, CPU seconds, peak RSS in
    KB), the last two from ``/usr/bin/time -v`` when it exists (they cover the process and
    its waited-for children; the RSS is the largest single process, not a sum)."""
    wrapper = ["/usr/bin/time", "-v"] if os.path.exists("/usr/bin/time") else []
    start = time.perf_counter()
    with open(output, "wb") as out:
        proc = subprocess.run(wrapper + argv, check=False, stdout=out, stderr=subprocess.PIPE,
                              text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"{argv[0]} failed ({proc.returncode}):\n{proc.stderr}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr)
    cpu = float(user.group(1)) + float(system.group(1)) if user and system else None
    return elapsed, cpu, int(rss.group(1)) if rss else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the generated file")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool")
    parser.add_argument("--config", default="t2s")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep the files")
    args = parser.parse_args()

    tool, share = native_tool()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-convert-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        source = folder / "traditional.txt"
        size = generate(source, args.mb)
        native_out, ours_out = folder / "native.txt", folder / "cleantext.txt"
        serial = ("import cleantext.registry; from cleantext.steps import convert; "
                  "convert.HELPER_PROCESS = False; "
                  "from cleantext.cli import main; main()")
        # Both write to stdout redirected to a file, as filters in a pipeline do (cleantext's
        # -o would add an fsync for its atomic write, which the native tool does not do).
        runs = {
            "opencc (native)": [str(tool), "--include-tofu-risk-dictionaries",
                                "-c", str(share / f"{args.config}.json"), "-i", str(source)],
            "cleantext convert": [*cleantext_command(), "convert", "-c", args.config,
                                  str(source)],
            # The same without the helper process: one process, one core.
            "  ... one process": [sys.executable, "-c", serial, "convert", "-c", args.config,
                                  str(source)],
        }
        print(f"input: {size / 1e6:.1f} MB ({size:,} bytes), config {args.config}, "
              f"best of {args.repeat}, runs interleaved; load average {os.getloadavg()[0]:.2f}")
        results: dict[str, list[tuple[float, float | None, int | None]]] = {k: [] for k in runs}
        for _ in range(args.repeat):  # interleaved, so a load change hits every tool alike
            for label, argv in runs.items():
                output = native_out if label == "opencc (native)" else ours_out
                results[label].append(timed(argv, output))
                if label != "opencc (native)" and native_out.read_bytes() != \
                        ours_out.read_bytes():
                    sys.exit(f"{label}: output differs from the native tool's")
        best = {}
        for label, rows in results.items():
            best[label] = min(row[0] for row in rows)
            cpus = [row[1] for row in rows if row[1] is not None]
            peaks = [row[2] for row in rows if row[2] is not None]
            cpu_text = f"cpu {min(cpus):.2f} s" if cpus else "cpu n/a"
            peak_text = f"peak RSS {max(peaks) / 1024:.0f} MB" if peaks else "peak RSS n/a"
            print(f"{label:>18}: {size / 1e6 / best[label]:6.1f} MB/s  "
                  f"(wall best {best[label]:.2f} s, all "
                  f"{', '.join(f'{row[0]:.2f}' for row in rows)}; {cpu_text}; {peak_text})")
        native = best["opencc (native)"]
        print(f"ratio cleantext/native throughput: {native / best['cleantext convert']:.2f}x "
              f"(one process: {native / best['  ... one process']:.2f}x; target >= 0.70)")
        print("outputs identical to the native tool's: True")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
