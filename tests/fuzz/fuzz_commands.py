#!/usr/bin/env python3
"""The long fuzz run: every subcommand on random bytes and mutated documents for a while.

Each run must end with exit 0 or 1, no traceback, a one-line error, within a time bound.
Failing inputs are saved under --save (default /tmp/cleantext-fuzz) to replay by hand.

    python tests/fuzz/fuzz_commands.py --minutes 30 [--seed 1] [--corpus ../shared/corpus]

Real documents from --corpus (when given and present) are mutated besides the built-in seed.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--save", type=Path, default=Path("/tmp/cleantext-fuzz"))
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds allowed per run")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    seeds = [SEED.encode()]
    if args.corpus and args.corpus.is_dir():
        seeds += [p.read_bytes() for p in sorted(args.corpus.rglob("*.md"))[::10]]
    commands = sorted(cli.list_commands(None))
    runner = CliRunner()
    deadline = time.monotonic() + args.minutes * 60
    runs = failures = 0
    while time.monotonic() < deadline:
        command = rng.choice(commands)
        payload = (bytes(rng.randrange(256) for _ in range(rng.randint(0, 500)))
                   if rng.random() < 0.1 else mutate(rng, rng.choice(seeds)))
        start = time.monotonic()
        result = runner.invoke(cli, [command], input=payload)
        elapsed = time.monotonic() - start
        problem = None
        if result.exit_code not in (0, 1):
            problem = f"exit {result.exit_code}"
        elif result.exception is not None and not isinstance(result.exception, SystemExit):
            problem = f"exception {result.exception!r}"
        elif "Traceback" in result.stderr:
            problem = "traceback on stderr"
        elif result.exit_code == 1 and not result.stderr.startswith("cleantext: "):
            problem = "error message without the cleantext: prefix"
        elif elapsed > args.timeout:
            problem = f"took {elapsed:.1f} s"
        runs += 1
        if problem:
            failures += 1
            args.save.mkdir(parents=True, exist_ok=True)
            path = args.save / f"{command}-{runs}.bin"
            path.write_bytes(payload)
            print(f"FAIL {command}: {problem} (input saved to {path})", flush=True)
    print(f"{runs} runs over {args.minutes} min on {', '.join(commands)}: {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
