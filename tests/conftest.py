"""Test-run set-up shared by every test file."""

from __future__ import annotations

import signal

# A test run started in the background by a script (`pytest &`) inherits SIGINT ignored, and
# so would every command a test starts, which then keeps ignoring it (as cleantext must: a
# signal ignored by whoever started it stays ignored). The tests that stop a command with
# Ctrl-C need the ordinary disposition back.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
