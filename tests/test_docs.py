"""The docs cannot fall behind the code: every command and step is documented."""

from __future__ import annotations

import re
from pathlib import Path

from cleantext.cli import cli
from cleantext.registry import STEPS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme_table():
    for name in cli.list_commands(None):
        assert f"| `{name}` |" in README, f"{name} is missing from README.md"


def test_every_step_has_summary_example_and_documented_options():
    for step in STEPS.values():
        assert step.summary and step.summary.endswith("."), step.name
        assert step.example.startswith("cleantext "), step.name
        for param in step.params:
            assert param.help, f"{step.name} --{param.name} has no help"


def test_ci_runs_exactly_the_readme_test_command():
    commands = re.findall(r"^    (python -m pip install .*)$", README, flags=re.MULTILINE)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_readme_install_command_uses_an_existing_example():
    install = re.search(r"^    (python -m pip install \. && cleantext .*)$", README,
                        flags=re.MULTILINE)
    assert install, "README.md lacks the install-and-run command"
    example = install.group(1).split()[-1]
    assert (ROOT / example).is_file(), f"{example} does not exist"


def test_step_modules_list_every_step_they_define():
    # A step a module defines but STEP_MODULES does not list would be silently missing.
    from importlib import import_module

    from cleantext.registry import STEP_MODULES, STEP_SUMMARIES

    for module_name in set(STEP_MODULES.values()):
        module = import_module(module_name)
        defined = getattr(module, "STEPS", (getattr(module, "STEP", None),))
        listed = {name for name, where in STEP_MODULES.items() if where == module_name}
        assert {step.name for step in defined} == listed, module_name
    assert list(STEP_SUMMARIES) == list(STEP_MODULES)
