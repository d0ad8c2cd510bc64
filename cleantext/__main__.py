"""``python -m cleantext``: the same as the ``cleantext`` command."""

from cleantext.cli import entry

if __name__ == "__main__":
    entry()
