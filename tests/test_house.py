"""The package's structure, as tools/import_graph.py draws it: no module imports another that
imports it back (every import, inside functions too), and no module is over 600 lines."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "import_graph.py"


def _tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("import_graph", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["import_graph"] = module
    spec.loader.exec_module(module)
    return module


def test_no_import_cycle() -> None:
    tool = _tool()
    assert tool.cycles(tool.graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    tool = _tool()
    assert tool.cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_module_over_600_lines() -> None:
    assert _tool().oversized(600) == {}
