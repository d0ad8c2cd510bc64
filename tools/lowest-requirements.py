"""Print each dependency of pyproject.toml pinned to its declared floor (``>=X`` as ``==X``).

The main dependencies and every optional group, one requirement a line, markers kept, for
``pip install -r``: what ``tools/test-pythons.sh --lowest`` installs to test the floors. A
requirement without a ``>=`` floor is an error (exit 1): every dependency declares one.

    python tools/lowest-requirements.py [pyproject.toml]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9._-]+)(?P<extras>\[[^\]]*\])?\s*"
                         r"(?P<spec>[^;]*?)\s*(?:;\s*(?P<marker>.*))?$")


def floors(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        requirements += group
    pinned: dict[tuple[str, str], tuple[str, str]] = {}
    for requirement in requirements:
        m = REQUIREMENT.match(requirement)
        floor = m and re.search(r">=\s*([^,\s]+)", m.group("spec"))
        if not m or not floor:
            raise SystemExit(f"{pyproject}: no >= floor in requirement {requirement!r}")
        name = re.sub(r"[-_.]+", "-", m.group("name")).lower()
        marker = m.group("marker") or ""
        version = floor.group(1)
        known = pinned.get((name, marker))
        if known is not None and _key(known[1]) >= _key(version):
            continue  # declared twice (a group repeats it): the higher floor holds
        line = f"{name}{m.group('extras') or ''}=={version}"
        pinned[(name, marker)] = (line + (f"; {marker}" if marker else ""), version)
    return [line for line, _ in pinned.values()]


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent
                / "pyproject.toml")
    print("\n".join(floors(path)))


if __name__ == "__main__":
    main()
