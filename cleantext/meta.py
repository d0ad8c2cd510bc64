"""Front matter parsing and the ``meta`` record (Document -> JSON-safe dict).

Heavy parsers (yaml, tomllib) are imported inside the functions that use them.
"""

from __future__ import annotations

from typing import Any

from cleantext.errors import CleantextError


def load_yaml(text: str) -> Any:
    """Parse YAML safely (no Python objects)."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader_cls)


def parse_front_matter(text: str, fmt: str | None) -> dict[str, Any]:
    """Parse front matter text of the given format into a dict ({} for none or empty)."""
    if fmt is None or not text.strip():
        return {}
    try:
        if fmt == "yaml":
            value = load_yaml(text)
        elif fmt == "toml":
            try:
                import tomllib
            except ImportError:  # Python < 3.11
                import tomli as tomllib
            value = tomllib.loads(text)
        else:
            import json

            value = json.loads(text)
    except Exception as exc:
        raise CleantextError(f"bad {fmt.upper()} front matter: {exc}".splitlines()[0]) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CleantextError(f"front matter is not a mapping but {type(value).__name__}")
    return value
