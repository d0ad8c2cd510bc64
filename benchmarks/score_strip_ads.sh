#!/bin/sh
# Score `strip-ads | strip-html` against the dev gold, with all rules and with site rules off.
# Usage: benchmarks/score_strip_ads.sh [extra score.py options, e.g. --source CNA --show-misses 10]
# Needs ../shared (the corpus, gold and scorer) next to the repository.
set -eu
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
for opts in "" "--no-site-rules"; do
    echo "== cleantext strip-ads $opts | cleantext strip-html"
    python "$SHARED/eval/score.py" --gold "$SHARED/eval/dev-gold.jsonl" --docs "$SHARED/corpus" \
        --jobs 2 --cmd "cleantext strip-ads $opts | cleantext strip-html" "$@"
done
