#!/usr/bin/env bash
# Clean every post of a folder the Unix way: one `cleantext STEP` process per step, piped.
#
#   examples/pipeline.sh [POSTS_DIR [OUT_DIR]]      (defaults: examples/posts, examples/out-pipe)
#   STEPS="strip-html normalize" examples/pipeline.sh
#
# For each post this runs, with the default steps,
#
#   cleantext strip-ads < post | cleantext extract | cleantext strip-html | cleantext normalize | cleantext convert
#
# and then checks that `cleantext clean -s ... post` (all steps in one process) gives the same
# bytes: the pipe and `clean` are one behaviour with two interfaces.
set -euo pipefail

CLEANTEXT=${CLEANTEXT:-cleantext}
STEPS=${STEPS:-strip-ads extract strip-html normalize convert}
here=$(dirname "$0")
src=${1:-$here/posts}
out=${2:-$here/out-pipe}

# pipe STEP...: standard input through `cleantext STEP`, one process per step.
pipe() {
    if [ $# -eq 0 ]; then
        cat
        return
    fi
    local step=$1
    shift
    $CLEANTEXT "$step" | pipe "$@"
}

clean_args=()
for step in $STEPS; do
    clean_args+=(-s "$step")
done

mkdir -p "$out"
for post in "$src"/*.md; do
    name=$(basename "$post")
    # shellcheck disable=SC2086  # STEPS is a list of words
    pipe $STEPS < "$post" > "$out/$name"
    if ! $CLEANTEXT clean "${clean_args[@]}" -j 1 "$post" | cmp -s - "$out/$name"; then
        echo "pipeline.sh: $name: the pipe and 'cleantext clean' differ" >&2
        exit 1
    fi
    echo "$out/$name"
done
