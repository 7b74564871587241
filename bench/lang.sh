#!/usr/bin/env bash
# Times krsh and python3 side by side on the same work and prints a table of medians and ratios.
#
#   bench/lang.sh [--no-build] [-n RUNS] [WORKLOAD...]
#
# Workloads (bench/lang/NAME.ps1 and NAME.py): loop, calls, hashtable, plus `startup`
# (`krsh -c exit` against `python3 -c pass`). Default: all four.
# Environment: KRSH (default .build/release/krsh), PYTHON (default: the real python3 binary,
# resolved through sys.executable so that a pyenv shim's start-up is not timed).
# Uses hyperfine when it is installed, else its own loop. Target: every ratio krsh/python <= 1.5.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
runs=5
build=1
workloads=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) build=0; shift ;;
        -n) runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) workloads+=("$1"); shift ;;
    esac
done
[[ ${#workloads[@]} -gt 0 ]] || workloads=(loop calls hashtable startup)

if [[ $build -eq 1 ]]; then
    (cd "$root" && swift build -c release >/dev/null) || { echo "swift build -c release failed" >&2; exit 1; }
fi
krsh="${KRSH:-$root/.build/release/krsh}"
python="${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}"
[[ -x "$krsh" ]] || { echo "no krsh binary at $krsh" >&2; exit 1; }

# The command lines of one workload, as arrays krsh_cmd and py_cmd.
commands() {
    case "$1" in
        startup) krsh_cmd=("$krsh" -c exit); py_cmd=("$python" -c pass) ;;
        *)
            [[ -f "$here/lang/$1.ps1" && -f "$here/lang/$1.py" ]] || { echo "unknown workload: $1" >&2; exit 1; }
            krsh_cmd=("$krsh" "$here/lang/$1.ps1"); py_cmd=("$python" "$here/lang/$1.py") ;;
    esac
}

# Median wall time in milliseconds of running "$@" $runs times (after one warm-up run).
median_ms() {
    if command -v hyperfine >/dev/null; then
        local json
        json="$(mktemp)"
        local quoted
        quoted="$(printf '%q ' "$@")"
        hyperfine -N --warmup 1 --runs "$runs" --export-json "$json" --style none "$quoted" >/dev/null
        "$python" -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$json"
        rm -f "$json"
    else
        "$@" >/dev/null
        local times=() t0 t1 i
        for ((i = 0; i < runs; i++)); do
            t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
            times+=($(( (t1 - t0) / 1000 )))
        done
        printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f\n", m / 1000 }'
    fi
}

echo "krsh:   $krsh"
echo "python: $python ($("$python" --version 2>&1))"
echo "timing: $(command -v hyperfine >/dev/null && hyperfine --version || echo 'own loop'), $runs runs each, medians; $(nproc) cores"
echo
printf '%-10s | %12s | %12s | %6s\n' workload "krsh (ms)" "python (ms)" ratio
printf '%s\n' "-----------+--------------+--------------+-------"
status=0
for w in "${workloads[@]}"; do
    commands "$w"
    # Same work, same result: compare the printed output before timing.
    k_out="$("${krsh_cmd[@]}" 2>&1)" || { echo "$w: krsh failed: $k_out" >&2; exit 1; }
    p_out="$("${py_cmd[@]}" 2>&1)" || { echo "$w: python failed: $p_out" >&2; exit 1; }
    if [[ "$k_out" != "$p_out" ]]; then
        echo "$w: outputs differ: krsh printed [$k_out], python printed [$p_out]" >&2
        exit 1
    fi
    k=$(median_ms "${krsh_cmd[@]}")
    p=$(median_ms "${py_cmd[@]}")
    ratio=$(awk -v k="$k" -v p="$p" 'BEGIN { printf "%.2f", k / p }')
    mark=""
    if awk -v r="$ratio" 'BEGIN { exit !(r > 1.5) }'; then mark="  (over 1.5)"; status=1; fi
    printf '%-10s | %12s | %12s | %6s%s\n' "$w" "$k" "$p" "$ratio" "$mark"
done
exit $status
