"""The one ordered list of steps.

Every consumer reads this list: the subcommands (one per step), ``cleantext clean -s NAME``,
the Python API (``cleantext.strip_html`` ...) and the docs test. A step module defines a
``STEP`` (or several) and is listed in ``STEP_MODULES`` and ``STEP_SUMMARIES`` under each
step's name; nothing else needs to change. ``get(name)`` imports only that step's module, so
a command that runs one step does not import the others, and --help imports none.

Step modules are imported here, so they must stay cheap to import: bs4, lxml, opencc and
yaml are imported inside the functions that use them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import import_module
from typing import Any, NamedTuple

from cleantext.document import Document


class Param(NamedTuple):
    """One option of a step, described without click so the library does not depend on it.

    ``name`` is the keyword argument of the step function; the CLI spells it ``--name-with-dashes``
    (plus ``short`` if given). ``flag`` makes a boolean switch, ``choices`` a fixed set,
    ``multiple`` a repeatable option collected into a tuple. ``check``, when given, is called
    with a value the user gave before any document is read, and raises ``CleantextError`` if
    the value cannot work (a rule file that cannot be read or parsed): one usage error then,
    not the same error for every document.
    """

    name: str
    help: str
    default: Any = None
    flag: bool = False
    choices: tuple[str, ...] | None = None
    multiple: bool = False
    short: str | None = None
    metavar: str | None = None
    is_path: bool = False
    check: Callable[[Any], None] | None = None


class Step(NamedTuple):
    """A document transformation.

    ``run(doc, **options) -> Document`` is the step. ``stream``, when given, transforms a body
    that arrives as an iterator of arbitrary string pieces (``stream(pieces, **options)``
    yields output pieces whose concatenation equals ``run`` on the whole body); the runner
    uses it for big inputs and calls ``run`` on the head-only document for the front matter.
    ``example`` is a short shell example; the one-line help is in ``STEP_SUMMARIES``.
    """

    name: str
    run: Callable[..., Document]
    example: str
    params: tuple[Param, ...] = ()
    stream: Callable[..., Iterator[str]] | None = None
    description: str = ""

    @property
    def summary(self) -> str:
        """The one line ``cleantext --help`` shows for the step."""
        return STEP_SUMMARIES[self.name]

    @property
    def func_name(self) -> str:
        return function_name(self.name)

    def options(self, given: dict[str, Any]) -> dict[str, Any]:
        """The subset of ``given`` that this step takes, defaults filled in."""
        return {p.name: given.get(p.name, p.default) for p in self.params}


def function_name(step_name: str) -> str:
    """The Python API's name for a step: ``strip-ads`` -> ``strip_ads``."""
    return step_name.replace("-", "_")


# Step name -> the module that defines it. The order here is the registry's order (and the
# order in --help); a module may define several steps (``STEPS``).
STEP_MODULES = {
    "strip-ads": "cleantext.steps.strip_ads",
    "extract": "cleantext.steps.extract",
    "strip-html": "cleantext.steps.strip_html",
    "normalize": "cleantext.steps.normalize",
    "convert": "cleantext.steps.convert",
    "t2s": "cleantext.steps.convert",
}

# The one line each step shows in ``cleantext --help``: kept here, not in the step modules,
# so that --help imports none of them (start-up).
STEP_SUMMARIES = {
    "strip-ads": "Remove ads, promos, share/related widgets and boilerplate from the HTML body.",
    "extract": "Keep the main content of a full web page (no menus, sidebars, teasers), as HTML.",
    "strip-html": "Turn the HTML in the body into plain text (or Markdown with --markdown).",
    "normalize": "Clean whitespace, invisible characters, line endings and full-width letters.",
    "convert": "Convert Chinese script (traditional/simplified/regional) with OpenCC.",
    "t2s": "Convert traditional Chinese to simplified (convert -c t2s).",
}

DEFAULT_PIPELINE = ("strip-ads", "extract", "strip-html", "normalize", "convert")


@cache
def _module_steps(module_name: str) -> dict[str, Step]:
    module = import_module(module_name)
    return {step.name: step for step in getattr(module, "STEPS", (getattr(module, "STEP", None),))}


_loaded: dict[str, Step] | None = None


def steps() -> dict[str, Step]:
    """All steps by name, in registry order (step modules are imported on first use, so a
    step module may itself import this module first)."""
    global _loaded
    if _loaded is None:
        found: dict[str, Step] = {}
        for module_name in dict.fromkeys(STEP_MODULES.values()):
            found.update(_module_steps(module_name))
        _loaded = {name: found[name] for name in STEP_MODULES}
    return _loaded


def __getattr__(name: str) -> Any:
    if name == "STEPS":  # ``from cleantext.registry import STEPS`` loads the steps
        return steps()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def get(name: str) -> Step:
    """The step called ``name`` (importing its module only); KeyError lists the valid names."""
    if name not in STEP_MODULES:
        raise KeyError(f"unknown step {name!r} (valid: {', '.join(STEP_MODULES)})")
    if _loaded is not None:  # all loaded already (and maybe replaced by a test's spy)
        return _loaded[name]
    return _module_steps(STEP_MODULES[name])[name]


def default_steps() -> tuple[str, ...]:
    return tuple(name for name in DEFAULT_PIPELINE if name in STEP_MODULES)


def python_options(names: Iterable[str], options: dict[str, Any], caller: str) -> dict[str, Any]:
    """Options given to the Python API for the named steps, checked and made uniform.

    A name that none of those steps takes is a TypeError (a typo would otherwise be
    ignored); a single string or path given for a repeatable option is one item, not a
    sequence of characters (``rules="my.txt"``, ``keep="indent"``).
    """
    params = {p.name: p for p in all_params(names)}
    unknown = sorted(set(options) - set(params))
    if unknown:
        valid = ", ".join(sorted(params)) or "none"
        raise TypeError(f"{caller} takes no option {', '.join(unknown)} (valid: {valid})")
    uniform = dict(options)
    for name, value in options.items():
        if params[name].multiple and isinstance(value, (str, bytes, os.PathLike)):
            uniform[name] = (value,)
    return uniform


def step_names(steps: str | Iterable[str]) -> tuple[str, ...]:
    """Step names from the Python API: one name or several, ``strip_html`` as ``strip-html``;
    a name that is not a step is a ValueError listing the valid ones."""
    names = (steps,) if isinstance(steps, str) else tuple(steps)
    chosen = tuple(str(name).replace("_", "-") for name in names)
    for name in chosen:
        if name not in STEP_MODULES:
            raise ValueError(f"unknown step {name!r} (valid: {', '.join(STEP_MODULES)})")
    return chosen


def all_params(names: Iterable[str]) -> list[Param]:
    """The params of the named steps, each name once (shared names must mean the same)."""
    seen: dict[str, Param] = {}
    for name in names:
        for param in get(name).params:
            seen.setdefault(param.name, param)
    return list(seen.values())
