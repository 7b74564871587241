#!/usr/bin/env bash
# HTTP throughput of krsh's server against plain Hummingbird serving the same bytes (the limit).
#
#   bench/http.sh [--no-build] [-d SECONDS] [-r ROUNDS] [-n RSS_REQUESTS]
#
# Starts `krsh bench/http/server.ps1` and `krsh-http-reference` on free 127.0.0.1 ports, checks that
# both answer the same status line, headers (but Date, and Age on /cached) and body, sends ~RSS_REQUESTS (default 100000)
# requests to each (also the warm-up) and reads VmRSS, then runs `wrk -t2 -c64 -d SECONDS --latency`
# (default 10 s) per case, krsh and reference alternately, ROUNDS times (default 3), and prints medians:
#   case | krsh rps | ref rps | ratio | krsh p99 | ref p99 | non-2xx | CPU µs/req
# (ratio: the median of the rounds' krsh/ref ratios, each round's two runs back to back; non-2xx:
# wrk's count of responses >= 400 plus its socket errors; CPU: the server's user+system time / requests).
# Cases: GET /hello (Write-KrTextResponse), POST /visit (Update-KrSynchronizedCounter +
# Write-KrJsonResponse) and GET /cached (a route behind Add-KrCacheMiddleware whose answer, public
# with max-age=60, the cache replays); /visit is skipped ("n/a") while the shared-state cmdlets are missing.
# Targets: hello ratio >= 0.60, visit ratio >= 0.50, cached ratio >= 0.90, no non-2xx, krsh RSS after the first
# RSS_REQUESTS under 60 MB. Exit status 1 when a target is missed (0 otherwise).
# Installs wrk with apt-get when it is missing. Every load goes to 127.0.0.1 only and is bounded in
# requests and time. Environment: KRSH, REFERENCE (binaries; default .build/release/...).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
duration=10
rounds=3
rss_requests=100000
build=1
threads=2
connections=64
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-build) build=0; shift ;;
        -d) duration="$2"; shift 2 ;;
        -r) rounds="$2"; shift 2 ;;
        -n) rss_requests="$2"; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

if ! command -v wrk >/dev/null; then
    echo "installing wrk (apt-get)..." >&2
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y wrk >/dev/null 2>&1 \
        || { "${sudo_cmd[@]}" apt-get update >/dev/null && "${sudo_cmd[@]}" apt-get install -y wrk >/dev/null; } \
        || { echo "cannot install wrk" >&2; exit 1; }
fi
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

if [[ $build -eq 1 ]]; then
    (cd "$root" && swift build -c release --product krsh >/dev/null && swift build -c release --product krsh-http-reference >/dev/null) \
        || { echo "swift build -c release failed" >&2; exit 1; }
fi
krsh="${KRSH:-$root/.build/release/krsh}"
reference="${REFERENCE:-$root/.build/release/krsh-http-reference}"
[[ -x "$krsh" ]] || { echo "no krsh binary at $krsh" >&2; exit 1; }
[[ -x "$reference" ]] || { echo "no reference binary at $reference" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start NAME COMMAND...: runs COMMAND in the background (stdout to $work/NAME.out) and waits for
# "Now listening on"; sets $started_pid.
start() {
    local name="$1"; shift
    "$@" >"$work/$name.out" 2>"$work/$name.err" &
    started_pid=$!
    pids+=("$started_pid")
    local i
    for ((i = 0; i < 300; i++)); do
        grep -q "Now listening on" "$work/$name.out" 2>/dev/null && return 0
        kill -0 "$started_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$name did not start listening:" >&2
    cat "$work/$name.out" "$work/$name.err" >&2
    exit 1
}

# Whether the shared-state cmdlets of the /visit route exist in this krsh.
visit=0
if "$krsh" -c 'if (@(Get-Command Set-KrSharedState, Update-KrSynchronizedCounter -ErrorAction SilentlyContinue).Count -ne 2) { exit 3 }' >/dev/null 2>&1; then
    visit=1
fi

krsh_port="$(free_port)"
start krsh "$krsh" "$here/http/server.ps1" -Port "$krsh_port"
krsh_pid=$started_pid
ref_port="$(free_port)"
while [[ "$ref_port" == "$krsh_port" ]]; do ref_port="$(free_port)"; done
start reference "$reference" "$ref_port"
ref_pid=$started_pid

cases=(hello)
if [[ $visit -eq 1 ]]; then cases+=(visit); else echo "visit: n/a (cmdlet missing)"; fi
cases+=(cached)
method_of() { [[ "$1" == visit ]] && echo POST || echo GET; }

# The same bytes: status line, headers (but Date) and body (the first /visit to each answers
# {"visits": 1}). /cached is compared on its second answer, the cache hit that the load measures;
# krsh's hit carries Age (the stored response's age, RFC 9111 §5.1) where the reference, an origin
# with no cache, sends none, so Age is left out of the comparison but must be there on krsh's side.
for c in "${cases[@]}"; do
    for side in krsh reference; do
        port=$krsh_port; [[ $side == reference ]] && port=$ref_port
        if [[ $c == cached ]]; then
            curl -s -o /dev/null "http://127.0.0.1:$port/$c" || { echo "$side: $c: no answer" >&2; exit 1; }
        fi
        curl -s -X "$(method_of "$c")" -o "$work/$c.$side.body" -D "$work/$c.$side.raw" "http://127.0.0.1:$port/$c" \
            || { echo "$side: $c: no answer" >&2; exit 1; }
        tr -d '\r' <"$work/$c.$side.raw" | grep -iv '^date:' | { if [[ $c == cached ]]; then grep -iv '^age:'; else cat; fi; } \
            | sort >"$work/$c.$side.head"
    done
    if [[ $c == cached ]] && ! grep -qi '^age: [0-9]' "$work/$c.krsh.raw"; then
        echo "krsh's second GET /cached was not a cache hit (no Age):" >&2
        cat "$work/$c.krsh.raw" >&2
        exit 1
    fi
    if ! cmp -s "$work/$c.krsh.head" "$work/$c.reference.head" || ! cmp -s "$work/$c.krsh.body" "$work/$c.reference.body"; then
        echo "krsh and the reference answer /$c differently:" >&2
        for side in krsh reference; do
            echo "  $side: $(cat "$work/$c.$side.head") $(od -c "$work/$c.$side.body" | head -3)" >&2
        done
        exit 1
    fi
    read -r _ code _ < <(grep '^HTTP/' "$work/$c.krsh.head")
    [[ $code == 2* ]] || { echo "/$c answers $code" >&2; exit 1; }
done

# CPU time (user + system) of a process so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz="$(getconf CLK_TCK)"

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# load URL [wrk options...]: one bounded wrk run; prints "rps p99_ms non2xx socket_errors requests".
load() {
    local url="$1"; shift
    local out
    if ! out="$(wrk -t"$threads" -c"$connections" --timeout 5s --latency "$@" "$url")"; then
        echo "wrk failed against $url" >&2
        echo "0 0 0 1 0"
        return
    fi
    echo "$out" >>"$work/wrk.log"
    awk '
        function ms(v) {
            if (v ~ /us$/) return v / 1000
            if (v ~ /ms$/) return v + 0
            if (v ~ /m$/) return v * 60000
            if (v ~ /s$/) return v * 1000
            return v
        }
        /^ +99%/ { p99 = ms($2) }
        /Requests\/sec:/ { rps = $2 }
        /requests in/ { reqs = $1 }
        /Non-2xx or 3xx responses:/ { non2xx = $5 }
        /Socket errors:/ { gsub(",", ""); errs = $4 + $6 + $8 + $10 }
        END { printf "%.0f %.2f %d %d %d\n", rps, p99, non2xx, errs, reqs }
    ' <<<"$out"
}

# send URL METHOD N: about N requests, bounded in time too. wrk has no request count, so: a 1 s run
# measures the rate, then runs sized from it, whose threads stop after their share (count.lua).
send() {
    local url="$1" method="$2" n="$3" sent=0 rate=0 d q n2 se reqs i
    for ((i = 0; i < 10 && sent < n; i++)); do
        d=1
        ((rate > 0)) && d=$(( (n - sent + rate - 1) / rate + 1 ))
        ((d > 60)) && d=60
        read -r q _ n2 se reqs < <(WRK_LIMIT=$(( (n - sent + threads - 1) / threads )) WRK_METHOD="$method" \
            load "$url" -d "${d}s" -s "$here/http/count.lua")
        ((rate > 0)) || rate=$((q > 100 ? q : 100))
        sent=$((sent + reqs))
        total_sent=$((total_sent + reqs))
        [[ $n2 -eq 0 && $se -eq 0 ]] || echo "warning: $url: $n2 non-2xx, $se socket errors" >&2
    done
}

# Warm-up and memory: ~rss_requests requests per server (split between the cases), then VmRSS.
declare -A rss sent_to
for side in krsh reference; do
    total_sent=0
    port=$krsh_port; [[ $side == reference ]] && port=$ref_port
    pid=$krsh_pid; [[ $side == reference ]] && pid=$ref_pid
    for c in "${cases[@]}"; do
        send "http://127.0.0.1:$port/$c" "$(method_of "$c")" $((rss_requests / ${#cases[@]}))
    done
    rss[$side]="$(rss_mb "$pid")"
    sent_to[$side]=$total_sent
done

# Measured runs, krsh and reference alternately.
# Besides rps and p99 (which other load on the machine disturbs), the server's CPU time per request.
declare -A rps p99 bad cpu ratios
for c in "${cases[@]}"; do
    script=()
    [[ $c == visit ]] && script=(-s "$here/http/post.lua")
    for ((r = 0; r < rounds; r++)); do
        for side in krsh reference; do
            port=$krsh_port; [[ $side == reference ]] && port=$ref_port
            pid=$krsh_pid; [[ $side == reference ]] && pid=$ref_pid
            t0="$(cpu_ticks "$pid")"
            read -r q p n2 se reqs < <(load "http://127.0.0.1:$port/$c" -d "${duration}s" "${script[@]}")
            t1="$(cpu_ticks "$pid")"
            rps[$c.$side]+="$q "
            p99[$c.$side]+="$p "
            cpu[$c.$side]+="$(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$reqs" 'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }') "
            bad[$c.$side]=$(( ${bad[$c.$side]:-0} + n2 + se ))
            [[ $side == krsh ]] && kq=$q
        done
        ratios[$c]+="$(awk -v a="$kq" -v b="$q" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }') "
    done
done
rss_end="$(rss_mb "$krsh_pid")"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

status=0
printf '\nwrk -t%d -c%d -d%ss, %d round(s) alternating, medians; %s\n\n' "$threads" "$connections" "$duration" "$rounds" "$(nproc) CPUs"
printf '| case | krsh rps | ref rps | ratio | krsh p99 | ref p99 | non-2xx (krsh/ref) | CPU µs/req (krsh/ref) | target |\n'
printf '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n'
for c in hello visit cached; do
    label="GET /hello"; target=0.60
    [[ $c == visit ]] && { label="POST /visit"; target=0.50; }
    [[ $c == cached ]] && { label="GET /cached"; target=0.90; }
    if [[ " ${cases[*]} " != *" $c "* ]]; then
        printf '| %s | n/a | n/a | n/a | n/a | n/a | n/a | n/a | %s: n/a (cmdlet missing) |\n' "$label" "$c"
        continue
    fi
    kr="$(median <<<"${rps[$c.krsh]}" | xargs printf '%.0f')"; rr="$(median <<<"${rps[$c.reference]}" | xargs printf '%.0f')"
    kp="$(median <<<"${p99[$c.krsh]}" | xargs printf '%.1f')"; rp="$(median <<<"${p99[$c.reference]}" | xargs printf '%.1f')"
    ratio="$(median <<<"${ratios[$c]}" | xargs printf '%.2f')"
    verdict=ok
    if awk -v r="$ratio" -v t="$target" 'BEGIN { exit !(r < t) }' || [[ ${bad[$c.krsh]} -ne 0 ]]; then verdict=MISSED; status=1; fi
    kc="$(median <<<"${cpu[$c.krsh]}" | xargs printf '%.1f')"; rc="$(median <<<"${cpu[$c.reference]}" | xargs printf '%.1f')"
    printf '| %s | %s | %s | %s | %s ms | %s ms | %s/%s | %s/%s | >= %s: %s |\n' "$label" "$kr" "$rr" "$ratio" "$kp" "$rp" "${bad[$c.krsh]}" "${bad[$c.reference]}" "$kc" "$rc" "$target" "$verdict"
done
verdict=ok
awk -v m="${rss[krsh]}" 'BEGIN { exit !(m >= 60) }' && { verdict=MISSED; status=1; }
printf '\nRSS (VmRSS) after ~%d requests: krsh %s MB after %d (target < 60: %s), reference %s MB after %d; krsh at the end: %s MB\n' \
    "$rss_requests" "${rss[krsh]}" "${sent_to[krsh]}" "$verdict" "${rss[reference]}" "${sent_to[reference]}" "$rss_end"
exit $status
