#!/usr/bin/env bash
# Rewrites not-yet-supported.txt from the conformance cases krsh fails right now (run.py's FAIL lines).
# Build first; the newer of .build/release/krsh and .build/debug/krsh is used unless KRSH names one.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
list="$here/not-yet-supported.txt"

krsh="${KRSH:-}"
if [ -z "$krsh" ]; then
    release="$root/.build/release/krsh" debug="$root/.build/debug/krsh"
    if [ -x "$release" ] && { [ ! -x "$debug" ] || [ "$release" -nt "$debug" ]; }; then krsh="$release"
    elif [ -x "$debug" ]; then krsh="$debug"
    else echo "no krsh binary under $root/.build; run swift build first" >&2; exit 1
    fi
fi

# run.py exits 1 whenever a case fails, which is the normal case here; its last line proves it ran.
report="$(python3 "$here/run.py" --krsh "$krsh" "$here/lang" || true)"
if ! tail -n 1 <<<"$report" | grep -q '^lang: '; then
    printf '%s\n' "$report" >&2
    echo "run.py did not finish; $list left as it was" >&2
    exit 1
fi

{
    echo "# Conformance cases krsh does not pass yet, one group/case per line (# starts a comment)."
    echo "# krshTests/ConformanceTests fails when a case outside this list fails, and when a listed case"
    echo "# passes: the list only shrinks. Rewrite it with Tests/conformance/update-not-yet-supported.sh."
    sed -n 's/^FAIL \([^:]*\):.*/\1/p' <<<"$report" | LC_ALL=C sort
} >"$list"
echo "$(grep -vc '^#' "$list") cases on the list ($(tail -n 1 <<<"$report")), using $krsh"
