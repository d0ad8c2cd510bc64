"""Throughput of the strip-ads step on the corpus posts, in this one process.

Reads every post under ../shared/corpus (relative to the repository), runs
``cleantext.steps.strip_ads.strip_ads`` on each (one warm-up pass first, not timed: rule
loading, imports, caches), then times ``--repeat`` passes and prints documents/s and ms per
document (wall and CPU time; CPU is the figure to compare on a shared machine).

``--save DIR`` writes each document's output to DIR, for the default options, for
``no_site_rules`` and for ``explain`` (with its messages, sorted); ``--compare DIR`` checks the current outputs against a saved
DIR byte for byte and lists every document that differs. ``--profile`` runs one pass under
cProfile and prints the top 25 functions by cumulative time. Run from anywhere:

    python benchmarks/bench_strip_ads.py [--repeat N] [--profile] [--save DIR | --compare DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

# Option sets whose outputs --save/--compare check: the default, the generic rules only,
# and --explain (its stderr messages are part of the output then).
VARIANTS = {
    "default": {},
    "no-site-rules": {"no_site_rules": True},
    "explain": {"explain": True},
}


def load_docs() -> list[tuple[str, object]]:
    from cleantext.document import Document

    paths = sorted(CORPUS.glob("*/*.md"))
    docs = []
    for p in paths:
        name = f"{p.parent.name}/{p.name}"
        docs.append((name, Document.parse(p.read_text(encoding="utf-8"), path=name)))
    return docs


def outputs(docs: list[tuple[str, object]], options: dict) -> dict[str, str]:
    """Each document's output text (head + body; with ``explain``, the messages too)."""
    from cleantext.steps.strip_ads import strip_ads

    result = {}
    for name, doc in docs:
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            out = strip_ads(doc, **options)
        text = f"{out.head!r}\n{out.format!r}\n{out.body}"
        if options.get("explain"):
            # Without "emptied by removals" messages: before, empty containers were pruned in
            # set order (element hashes), so which of two nested empty ones was named (one
            # message or two) varied from run to run; the body left is the same either way.
            said = [line for line in err.getvalue().splitlines(True)
                    if ": emptied by removals: " not in line]
            text += "\n--- explain ---\n" + "".join(said)
        result[name] = text
    return result


def save(docs: list[tuple[str, object]], folder: Path) -> None:
    for variant, options in VARIANTS.items():
        for name, text in outputs(docs, options).items():
            path = folder / variant / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
    print(f"saved {len(docs)} documents x {len(VARIANTS)} variants to {folder}")


def compare(docs: list[tuple[str, object]], folder: Path) -> int:
    bad = 0
    for variant, options in VARIANTS.items():
        for name, text in outputs(docs, options).items():
            path = folder / variant / name
            before = path.read_bytes() if path.exists() else None
            if before != text.encode("utf-8", "surrogatepass"):
                bad += 1
                print(f"DIFFERS: {variant} {name}")
    total = len(docs) * len(VARIANTS)
    print(f"{total - bad}/{total} outputs byte-identical to {folder}")
    return 1 if bad else 0


def measure(docs: list[tuple[str, object]], repeat: int) -> None:
    from cleantext.steps.strip_ads import strip_ads

    for _, doc in docs:  # warm-up: rule files, selector compilation, imports
        strip_ads(doc)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for _, doc in docs:
            strip_ads(doc)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = len(docs) * repeat
    print(f"strip-ads, {len(docs)} docs x {repeat}\n"
          f"    wall: {n / wall:8.1f} docs/s {1000 * wall / n:7.2f} ms/doc\n"
          f"    cpu:  {n / cpu:8.1f} docs/s {1000 * cpu / n:7.2f} ms/doc")


def profile(docs: list[tuple[str, object]]) -> None:
    import cProfile
    import pstats

    from cleantext.steps.strip_ads import strip_ads

    for _, doc in docs:
        strip_ads(doc)
    prof = cProfile.Profile()
    prof.enable()
    for _, doc in docs:
        strip_ads(doc)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over the corpus")
    parser.add_argument("--profile", action="store_true", help="cProfile one pass, top 25")
    parser.add_argument("--save", type=Path, metavar="DIR", help="save every output to DIR")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="check every output against a saved DIR, byte for byte")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: no corpus at {CORPUS}")
        return 0
    docs = load_docs()
    size = sum(len(doc.body.encode("utf-8")) for _, doc in docs)
    print(f"{len(docs)} posts, bodies {size / 1e6:.2f} MB")
    if args.save:
        save(docs, args.save)
        return 0
    if args.compare:
        return compare(docs, args.compare)
    if args.profile:
        profile(docs)
        return 0
    measure(docs, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
