#!/usr/bin/env bash
# `make bench`: `incluinfo check` over 1, 200 and 2,000 loopback services that each answer
# after 500 ms (wall time, as ratios to one service), its CPU per probe against Debian's
# check_curl over the same 200 endpoints with `xargs -P 16`, and the counter against
# twitter-text (the section at the end). The web server is build/bench/delay_server, one
# epoll thread; its own CPU is printed beside each figure and counted for neither side.
#
# A figure counts only if its run really happened: every probe of either side must have
# said OK (incluinfo: exit 0 and every service `up` in --json; check_curl: exit 0 and
# "HTTP OK" for each), the server must have sent one delayed answer per probe, and no
# run may be faster than the endpoints' delay. Anything else, or a missed target, makes
# the benchmark exit 1 naming what went wrong, after printing every figure.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=$PWD/build/incluinfo
server_bin=$PWD/build/bench/delay_server
check_curl=/usr/lib/nagios/plugins/check_curl
services=200
scale=2000
delay_ms=500
peer_parallel=16
repeats=3
work=$(mktemp -d)
problems=()
problem() { problems+=("$*"); }

# check_curl -V exits 3 (UNKNOWN) even when it works: its banner is the sign that it runs.
version=$("$check_curl" -V 2>&1) || true
if [[ $version != check_curl\ v* ]]; then
	echo "incluinfo bench: error: check_curl cannot run, so there is nothing to compare with:" >&2
	printf '  %s\n' "$version" >&2
	echo "  (tests/deps.sh --bench installs it and the libraries it links)" >&2
	exit 1
fi

"$server_bin" "$work/port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do
	[[ -s $work/port ]] && break
	sleep 0.1
done
port=$(<"$work/port")

write_config() { # write_config FILE COUNT
	{
		printf '[general]\nstate_dir = state-%s\n' "$2"
		for i in $(seq "$2"); do
			printf '\n[service s%d]\nurl = http://127.0.0.1:%s/delay/%d?s=%d\n' "$i" "$port" "$delay_ms" "$i"
			printf 'degraded_ms = 5000\ntimeout_ms = 10000\n'
		done
	} >"$1"
}

served() { curl -sf "http://127.0.0.1:$port/served"; }
clock_ticks=$(getconf CLK_TCK)
server_cpu() { awk -v hz="$clock_ticks" '{ printf "%.3f\n", ($14 + $15) / hz }' "/proc/$server/stat"; }

# timed NAME PROBES CMD...: runs CMD once, its output into $work/NAME.out, and appends
# "wall user+sys server-cpu" in seconds to $work/NAME.times. Names the run as a problem
# when CMD fails, when the server did not send PROBES delayed answers, or when it took
# less than the delay.
timed() {
	local name=$1 probes=$2 TIMEFORMAT='%3R %3U %3S' t rc=0
	shift 2
	local served0 cpu0
	served0=$(served)
	cpu0=$(server_cpu)
	t=$({ time "$@" >"$work/$name.out" 2>"$work/$name.err" || echo "rc=$?" >"$work/$name.rc"; } 2>&1)
	[[ -e $work/$name.rc ]] && rc=$(sed 's/rc=//' "$work/$name.rc") && rm "$work/$name.rc"
	local answered=$(($(served) - served0)) cpu1 wall user sys
	cpu1=$(server_cpu)
	read -r wall user sys <<<"$t"
	((rc == 0)) || problem "$name: exit status $rc: $(head -c 300 "$work/$name.err")"
	((answered == probes)) || problem "$name: the server sent $answered delayed answers, not $probes"
	awk -v w="$wall" -v d="$delay_ms" 'BEGIN { exit !(w * 1000 >= d) }' ||
		problem "$name: took $wall s, less than the endpoints' $delay_ms ms delay"
	awk -v w="$wall" -v u="$user" -v s="$sys" -v a="$cpu0" -v b="$cpu1" \
		'BEGIN { printf "%s %.3f %.3f\n", w, u + s, b - a }' >>"$work/$name.times"
}

# check_ok NAME COUNT: every service of the --json output `up`, and the status OK.
check_ok() {
	local why
	why=$(node -e '
		const [file, count] = process.argv.slice(1);
		const r = JSON.parse(require("fs").readFileSync(file, "utf8"));
		const up = r.services.filter((s) => s.result === "up").length;
		if (r.status !== "OK" || up !== Number(count)) {
			console.log(`status ${r.status}, ${up} of ${count} services up`);
			process.exit(1);
		}' "$work/$1.out" "$2" 2>&1) || problem "$1: $(head -c 300 <<<"$why")"
}

probe_with_check_curl() {
	seq "$services" | xargs -P "$peer_parallel" -I{} "$check_curl" -H 127.0.0.1 -p "$port" \
		-u "/delay/$delay_ms?s={}" -t 10
}
# every probe of the peer said HTTP OK (xargs already fails when one exits non-zero)
peer_ok() {
	local ok
	ok=$(grep -c '^HTTP OK' "$work/$1.out" || true)
	((ok == services)) || problem "$1: $ok of $services check_curl probes said HTTP OK"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# col NAME K: the median of column K of NAME's runs
col() { awk -v k="$2" '{ print $k }' "$work/$1.times" | median; }

echo "incluinfo bench: loopback services answering after $delay_ms ms, median of $repeats runs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 1 "$services" "$scale"; do
	write_config "$work/check-$n.conf" "$n"
done
for _ in $(seq "$repeats"); do
	for n in 1 "$services" "$scale"; do
		timed "check-$n" "$n" "$bin" --json -c "$work/check-$n.conf" check
		check_ok "check-$n" "$n"
	done
	timed check_curl "$services" probe_with_check_curl
	peer_ok check_curl
done

awk -v n="$services" -v big="$scale" -v par="$peer_parallel" \
	-v w1="$(col check-1 1)" -v wn="$(col "check-$services" 1)" -v wb="$(col "check-$scale" 1)" \
	-v cpun="$(col "check-$services" 2)" -v cpub="$(col "check-$scale" 2)" \
	-v srvn="$(col "check-$services" 3)" -v srvb="$(col "check-$scale" 3)" \
	-v wp="$(col check_curl 1)" -v cpup="$(col check_curl 2)" -v srvp="$(col check_curl 3)" 'BEGIN {
	printf "wall time, check of 1 service:        %.3f s\n", w1
	printf "wall time, check of %d services:     %.3f s (server CPU %.3f s)\n", n, wn, srvn
	printf "  ratio %d / 1:                      %.2f (target <= 1.50) %s\n", n, wn / w1, (wn / w1 <= 1.5 ? "ok" : "MISSED")
	printf "wall time, check of %d services:    %.3f s (server CPU %.3f s, incluinfo CPU %.3f s)\n", big, wb, srvb, cpub
	printf "  ratio %d / 1:                     %.2f (target <= 1.50) %s\n", big, wb / w1, (wb / w1 <= 1.5 ? "ok" : "MISSED")
	printf "CPU per probe, incluinfo check:       %.2f ms (%d services)\n", cpun / n * 1000, n
	printf "CPU per probe, check_curl -P %d:      %.2f ms (wall %.3f s for %d probes, server CPU %.3f s)\n", par, cpup / n * 1000, wp, n, srvp
	printf "  ratio incluinfo / check_curl:       %.2f (target <= 0.50) %s\n", cpun / cpup, (cpun / cpup <= 0.5 ? "ok" : "MISSED")
	exit !(wn / w1 <= 1.5 && wb / w1 <= 1.5 && cpun / cpup <= 0.5)
}' || problem "a check target was missed"

# Counting: the differential test's 100,000-string corpus (one JSON string per line),
# counted by `incluinfo count --batch` and by parseTweet in Node (tests/oracle/bench.js).
# Both sides are timed the same way: the wall time of the whole process, start-up included
# (for Node, loading twitter-text too), reading the corpus file and writing one JSON object
# per line to a file. The runs alternate, the median counts, and the two outputs must be
# identical. bench.js also reports its loop alone (Node's start-up left out), printed too
# as the stricter comparison.
count_repeats=5
count_target=20
node tests/oracle/corpus.js 100000 >"$work/corpus"
wall() { # wall CMD...: "wall user+sys" seconds of CMD, its output discarded
	local TIMEFORMAT='%3R %3U %3S'
	{ time "$@" >/dev/null; } 2>&1 | awk '{ printf "%s %.3f\n", $1, $2 + $3 }'
}
c_times=() node_times=() loop_times=()
for _ in $(seq "$count_repeats"); do
	c_times+=("$(wall sh -c '"$1" count --batch <"$2" >"$3"' sh "$bin" "$work/corpus" "$work/c.out")")
	node_times+=("$(wall node tests/oracle/bench.js "$work/corpus" "$work/node.out")")
	loop_times+=("$(node tests/oracle/bench.js "$work/corpus" "$work/node.out")")
done
c_count=$(printf '%s\n' "${c_times[@]}" | awk '{ print $1 }' | median)
c_cpu=$(printf '%s\n' "${c_times[@]}" | awk '{ print $2 }' | median)
node_count=$(printf '%s\n' "${node_times[@]}" | awk '{ print $1 }' | median)
node_cpu=$(printf '%s\n' "${node_times[@]}" | awk '{ print $2 }' | median)
loop_count=$(printf '%s\n' "${loop_times[@]}" | median)
same=$(cmp -s "$work/c.out" "$work/node.out" && echo "identical" || echo "DIFFERENT")
[[ $same == identical ]] || problem "count: the results of incluinfo and twitter-text differ"
awk -v c="$c_count" -v j="$node_count" -v l="$loop_count" -v same="$same" -v r="$count_repeats" \
	-v t="$count_target" -v cc="$c_cpu" -v jc="$node_cpu" 'BEGIN {
	printf "count 100000 strings (median of %d), whole process, corpus file in, results file out:\n", r
	printf "  incluinfo count --batch:  %.3f s (CPU %.3f s, two counting threads)\n", c, cc
	printf "  parseTweet in Node:       %.3f s (CPU %.3f s; its loop alone: %.3f s)\n", j, jc, l
	printf "  ratio Node / incluinfo:   %.1f (target >= %d) %s; loop alone / incluinfo: %.1f\n", j / c, t, (j / c >= t ? "ok" : "MISSED"), l / c
	printf "  CPU Node / incluinfo:     %.1f\n", jc / cc
	printf "  results:                  %s\n", same
	exit !(j / c >= t)
}' || problem "the counter target was missed"

if ((${#problems[@]})); then
	echo "incluinfo bench: FAILED:" >&2
	printf '  %s\n' "${problems[@]}" >&2
	exit 1
fi
echo "incluinfo bench: every run checked, every target met"
