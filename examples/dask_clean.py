"""Clean a corpus with Dask: map ``cleantext.clean`` over a bag of files, write JSON Lines.

    pip install '.[dask]'
    python examples/dask_clean.py 'examples/posts/*.md' out-dask/
    python examples/dask_clean.py 's3://bucket/posts/**/*.md' s3://bucket/clean/ \\
        --scheduler tcp://10.0.0.5:8786            # a dask.distributed cluster

Each partition becomes ``OUT/part-NNNNN.jsonl``: one JSON object per document, the metadata
record of the cleaned document plus ``text``, the cleaned body -- the same records as
``cleantext clean --to jsonl``. A document that cannot be cleaned (undecodable bytes, broken
front matter) does not stop the run: it becomes ``{"path": ..., "error": ...}`` in
``OUT/errors-NNNNN.jsonl``.

Inputs and outputs are fsspec URLs, so local paths, ``s3://`` or ``gs://`` all work (remote
ones need the matching fsspec package, s3fs or gcsfs). With ``--scheduler tcp://HOST:PORT``
the work runs on a ``dask.distributed`` cluster (``pip install distributed``); every worker
needs cleantext installed and must be able to read the inputs.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from typing import Any

import cleantext
from cleantext.decoding import decode
from cleantext.errors import CleantextError

# Documents per partition: big enough to amortize task overhead, small enough to balance.
PARTITION_SIZE = 500


def clean_file(open_file: Any, steps: Sequence[str] | None = None) -> dict[str, Any]:
    """One file (an fsspec OpenFile) to its JSON Lines record, or an error record.

    A module-level function, so Dask can pickle it to worker processes.
    """
    path = open_file.path
    try:
        with open_file as fh:
            text = decode(fh.read())
        cleaned = cleantext.Document.parse(cleantext.clean(text, steps=steps), path)
        row = dict(cleantext.metadata(cleaned))
        row["text"] = cleaned.body
        return row
    except (CleantextError, OSError) as exc:
        return {"path": path, "error": str(exc)}


def is_error(row: dict[str, Any]) -> bool:
    return set(row) == {"path", "error"}


def jsonl_partition(rows: Sequence[dict[str, Any]], errors: bool) -> list[str]:
    """A partition's records (or its errors) as one JSON Lines text, in a one-item list.

    Writing whole partition texts (rather than letting Dask join lines) keeps every file
    valid JSON Lines: an empty partition gives an empty file, not a blank line.
    """
    return ["".join(json.dumps(row, ensure_ascii=False) + "\n"
                    for row in rows if is_error(row) == errors)]


def build(inputs: Sequence[str], out: str, steps: Sequence[str] | None = None,
          partition_size: int = PARTITION_SIZE) -> list:
    """The delayed writes of the records and error files (call ``dask.compute`` on them)."""
    import dask.bag as db
    import fsspec

    files = fsspec.open_files(list(inputs), "rb")
    if not files:
        raise SystemExit(f"dask_clean.py: no input matches {' '.join(inputs)}")
    rows = db.from_sequence(files, partition_size=partition_size).map(clean_file, steps)
    out = out.rstrip("/")
    return [
        rows.map_partitions(jsonl_partition, errors).to_textfiles(
            f"{out}/{stem}-*.jsonl", name_function=_number, last_endline=False, compute=False)
        for stem, errors in (("part", False), ("errors", True))
    ]


def _number(i: int) -> str:
    return f"{i:05d}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="files or glob patterns (fsspec URLs)")
    parser.add_argument("out", help="output folder (fsspec URL)")
    parser.add_argument("-s", "--step", action="append", dest="steps",
                        help="a step to run (repeatable); default: the clean pipeline")
    parser.add_argument("--scheduler", default="processes",
                        help="sync, threads, processes, or a dask.distributed address "
                             "such as tcp://10.0.0.5:8786 [default: processes]")
    parser.add_argument("--partition-size", type=int, default=PARTITION_SIZE)
    args = parser.parse_args(argv)

    import dask

    writes = build(args.inputs, args.out, args.steps, args.partition_size)
    if "://" in args.scheduler:
        from dask.distributed import Client

        with Client(args.scheduler):
            dask.compute(*writes)
    else:
        dask.compute(*writes, scheduler=args.scheduler)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
