#!/usr/bin/env bash
# `make bench`: one `incluinfo check` over 200 loopback services that each answer after
# 500 ms, against a single-service check (wall time), and against Debian's check_curl
# run over the same 200 endpoints with `xargs -P 16` (CPU time per probe). All figures
# come from this run; the web server's own CPU is counted for neither side. Then the
# counter against twitter-text (see the section at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=$PWD/build/incluinfo
check_curl=/usr/lib/nagios/plugins/check_curl
services=200
delay_ms=500
repeats=3
work=$(mktemp -d)

node tests/fakes/web.js --port-file "$work/ports" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
	[[ -s $work/ports ]] && break
	sleep 0.1
done
port=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).http)' "$work/ports")

write_config() { # write_config FILE COUNT
	{
		printf '[general]\nstate_dir = state-%s\n' "$2"
		for i in $(seq "$2"); do
			printf '\n[service s%d]\nurl = http://127.0.0.1:%s/delay/%d?s=%d\n' "$i" "$port" "$delay_ms" "$i"
			printf 'degraded_ms = 5000\ntimeout_ms = 10000\n'
		done
	} >"$1"
}
write_config "$work/one.conf" 1
write_config "$work/many.conf" "$services"

# measure CMD...: prints "wall user sys" in seconds, children included
measure() {
	local TIMEFORMAT='%3R %3U %3S'
	{ time "$@" >/dev/null 2>&1 || true; } 2>&1
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

run_many() { for _ in $(seq "$repeats"); do measure "$@"; done; }

echo "incluinfo bench: $services loopback services answering after $delay_ms ms, median of $repeats runs"

one=$(run_many "$bin" -q -c "$work/one.conf" check)
many=$(run_many "$bin" -q -c "$work/many.conf" check)
wall_one=$(awk '{ print $1 }' <<<"$one" | median)
wall_many=$(awk '{ print $1 }' <<<"$many" | median)
cpu_many=$(awk '{ print $2 + $3 }' <<<"$many" | median)

probe_with_check_curl() {
	seq "$services" | xargs -P 16 -I{} "$check_curl" -H 127.0.0.1 -p "$port" \
		-u "/delay/$delay_ms?s={}" -t 10
}
peer=$(run_many probe_with_check_curl)
wall_peer=$(awk '{ print $1 }' <<<"$peer" | median)
cpu_peer=$(awk '{ print $2 + $3 }' <<<"$peer" | median)

awk -v n="$services" -v w1="$wall_one" -v wn="$wall_many" -v cpu="$cpu_many" \
	-v wp="$wall_peer" -v cpup="$cpu_peer" 'BEGIN {
	printf "wall time, check of 1 service:      %.3f s\n", w1
	printf "wall time, check of %d services:   %.3f s\n", n, wn
	printf "  ratio %d / 1:                    %.2f (target <= 1.50) %s\n", n, wn / w1, (wn / w1 <= 1.5 ? "ok" : "MISSED")
	printf "CPU per probe, incluinfo check:     %.2f ms\n", cpu / n * 1000
	printf "CPU per probe, check_curl -P 16:    %.2f ms (wall %.3f s for %d probes)\n", cpup / n * 1000, wp, n
	printf "  ratio incluinfo / check_curl:     %.2f (target <= 0.50) %s\n", cpu / cpup, (cpu / cpup <= 0.5 ? "ok" : "MISSED")
}'

# Counting: the differential test's 100,000-string corpus (one JSON string per line),
# counted by `incluinfo count --batch` and by parseTweet in Node (tests/oracle/bench.js).
# Both sides are timed the same way: the wall time of the whole process, start-up included
# (for Node, loading twitter-text too), reading the corpus file and writing one JSON object
# per line to a file. The runs alternate, the median counts, and the two outputs must be
# identical. bench.js also reports its loop alone (Node's start-up left out), printed too
# as the stricter comparison.
count_repeats=5
node tests/oracle/corpus.js 100000 >"$work/corpus"
wall() { # wall CMD...: the wall seconds of CMD, its output discarded
	local TIMEFORMAT=%3R
	{ time "$@" >/dev/null; } 2>&1
}
c_times=() node_times=() loop_times=()
for _ in $(seq "$count_repeats"); do
	c_times+=("$(wall sh -c '"$1" count --batch <"$2" >"$3"' sh "$bin" "$work/corpus" "$work/c.out")")
	node_times+=("$(wall node tests/oracle/bench.js "$work/corpus" "$work/node.out")")
	loop_times+=("$(node tests/oracle/bench.js "$work/corpus" "$work/node.out")")
done
c_count=$(printf '%s\n' "${c_times[@]}" | median)
node_count=$(printf '%s\n' "${node_times[@]}" | median)
loop_count=$(printf '%s\n' "${loop_times[@]}" | median)
same=$(cmp -s "$work/c.out" "$work/node.out" && echo "identical" || echo "DIFFERENT")
awk -v c="$c_count" -v j="$node_count" -v l="$loop_count" -v same="$same" -v r="$count_repeats" 'BEGIN {
	printf "count 100000 strings (median of %d), whole process, corpus file in, results file out:\n", r
	printf "  incluinfo count --batch:  %.3f s\n", c
	printf "  parseTweet in Node:       %.3f s (its loop alone: %.3f s)\n", j, l
	printf "  ratio Node / incluinfo:   %.1f (target >= 10) %s; loop alone / incluinfo: %.1f\n", j / c, (j / c >= 10 ? "ok" : "MISSED"), l / c
	printf "  results:                  %s\n", same
}'
[[ $same == identical ]]
