#!/usr/bin/env bash
# Run the test suite on every installed Python the project declares (3.10 to 3.13).
#
#   tools/test-pythons.sh              each of 3.10, 3.11, 3.12, 3.13 that is installed
#   tools/test-pythons.sh 3.10 3.13    only these
#   tools/test-pythons.sh --lowest     the lowest interpreter found, with every dependency
#                                      at its declared floor (pip install NAME==FLOOR)
#
# For each interpreter: a fresh venv under /tmp (cleantext-py3.X, or cleantext-py3.X-lowest),
# `pip install .[test]`, then `python -m pytest -q` from the repository; one line per
# interpreter says what ran with which key versions, and the log is kept beside the venv.
# Interpreters are looked for as pythonX.Y on PATH and in ~/.pyenv/versions/X.Y.*/bin.
# Exit status: 0 if every run passed, 1 otherwise.
set -uo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
lowest=0
versions=()
for arg in "$@"; do
    case "$arg" in
        --lowest) lowest=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
                   exit 0 ;;
        3.*) versions+=("$arg") ;;
        *) echo "test-pythons.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
    esac
done
[ ${#versions[@]} -gt 0 ] || versions=(3.10 3.11 3.12 3.13)

find_python() {  # the interpreter for version $1, or nothing
    local found
    found="$(command -v "python$1" 2>/dev/null)"
    if [ -z "$found" ] || ! "$found" -c 'import sys' >/dev/null 2>&1; then
        found="$(ls -d "$HOME"/.pyenv/versions/"$1".*/bin/python"$1" 2>/dev/null | sort -V | tail -n 1)"
    fi
    [ -n "$found" ] && "$found" -c 'import venv' >/dev/null 2>&1 && echo "$found"
}

pythons=()
for version in "${versions[@]}"; do
    python="$(find_python "$version")"
    if [ -z "$python" ]; then
        echo "$version: not installed, skipped"
        continue
    fi
    pythons+=("$python")
    [ "$lowest" = 1 ] && break  # the floors are tested on the lowest Python only
done
[ ${#pythons[@]} -gt 0 ] || { echo "test-pythons.sh: no interpreter found" >&2; exit 1; }

status=0
for python in "${pythons[@]}"; do
    full="$("$python" -c 'import platform; print(platform.python_version())')"
    short="${full%.*}"
    venv="/tmp/cleantext-py$short$([ "$lowest" = 1 ] && echo -lowest)"
    log="$venv.log"
    rm -rf "$venv"
    : > "$log"
    install=("$repo[test]")
    if [ "$lowest" = 1 ]; then
        pins="$venv.requirements.txt"
        if ! "$python" "$repo/tools/lowest-requirements.py" "$repo/pyproject.toml" > "$pins" \
                2>> "$log"; then
            # Python 3.10 reads TOML with tomli only: ask a newer interpreter.
            for other in 3.13 3.12 3.11; do
                newer="$(find_python "$other")" && [ -n "$newer" ] && "$newer" \
                    "$repo/tools/lowest-requirements.py" "$repo/pyproject.toml" > "$pins" \
                    2>> "$log" && break
            done
        fi
        install+=(-r "$pins")
    fi
    start=$SECONDS
    if ! { "$python" -m venv "$venv" && "$venv/bin/python" -m pip install -q \
            --disable-pip-version-check "${install[@]}"; } >> "$log" 2>&1; then
        echo "$full: INSTALL FAILED (log: $log)"
        status=1
        continue
    fi
    versions_used="$("$venv/bin/python" - <<'EOF'
from importlib.metadata import version
names = ["click", "lxml", "cssselect", "opencc", "PyYAML", "markdown-it-py"]
print(" ".join(f"{name} {version(name)}" for name in names))
EOF
)"
    # From the repository (as .ci/run does), with the venv's interpreter and packages, and
    # its bin/ first on PATH: tests that run the `cleantext` command (the examples'
    # Makefile) run the venv's, not another one installed on this machine.
    (cd "$repo" && PATH="$venv/bin:$PATH" VIRTUAL_ENV="$venv" \
        "$venv/bin/python" -m pytest -q -p no:cacheprovider) >> "$log" 2>&1
    code=$?
    summary="$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed|error).* =+$' "$log" \
               | tail -n 1 | sed 's/^=* //; s/ =*$//')"
    if [ $code -eq 0 ]; then
        result="ok"
    else
        result="FAILED"
        status=1
    fi
    echo "$full$([ "$lowest" = 1 ] && echo ' (lowest)'): $result: ${summary:-exit $code}" \
         "[$((SECONDS - start)) s; $versions_used] (log: $log)"
done
exit $status
