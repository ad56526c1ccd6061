#!/usr/bin/env bash
# Runs every test: the cmocka unit test binaries given as arguments, then the
# differential tests of the counters (X, Bluesky), then the command-line tests. Prints each suite's
# output and, last, one line for CI:
# "N passed, N failed".
# Last of all it checks that nothing it started is still running: every process started
# from here inherits II_TEST_RUN, and one that still holds it at the end (a fake server a
# test left behind, say) is named, killed and counted as a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
II_TEST_RUN=$$-$(date +%s%N)
export II_TEST_RUN

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # count LABEL: adds the suite's figures read from $log
	local p f
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p; s/^\([0-9]*\) passed, [0-9]* failed.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p; s/^[0-9]* passed, \([0-9]*\) failed.*/\1/p' "$log" | tail -n 1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	# a suite that crashed or printed no summary still counts as a failure
	if [[ $1 -ne 0 && ${f:-0} -eq 0 ]]; then
		echo "error: '$2' exited $1 without reporting a failed test"
		failed=$((failed + 1))
	fi
}

# lib/ must give the same results in any locale: every unit test runs under C and under
# es_ES.UTF-8 (tests/unit/unit.h sets every category from the environment).
locales=(C)
if locale -a 2>/dev/null | grep -qixE 'es_ES\.utf-?8'; then
	locales+=(es_ES.UTF-8)
elif [[ $(id -u) -eq 0 ]]; then
	echo "error: locale es_ES.UTF-8 is not installed: run tests/deps.sh"
	failed=$((failed + 1))
else
	echo "== skipped: the unit tests under es_ES.UTF-8 (locale not installed; as root, run tests/deps.sh)"
fi
for loc in "${locales[@]}"; do
	for unit in "$@"; do
		echo "== $unit (LC_ALL=$loc)"
		LC_ALL=$loc "$unit" >"$log" 2>&1
		rc=$?
		cat "$log"
		count "$rc" "$unit under $loc"
	done
done

# every field of parseTweet on a fixed-seed corpus of 100,000 strings (one per string)
echo "== differential test: incluinfo count against twitter-text"
node tests/oracle/diff.js build/incluinfo 2>&1 | tee "$log"
count "${PIPESTATUS[0]}" tests/oracle/diff.js

# graphemes and facets against @atproto/api's RichText on 20,000 strings
echo "== differential test: Bluesky counting and facets against @atproto/api"
node tests/oracle/bsky_diff.js build/oracle/bsky_driver 2>&1 | tee "$log"
count "${PIPESTATUS[0]}" tests/oracle/bsky_diff.js

echo "== command-line tests"
INCLUINFO=build/incluinfo tests/cli/run.sh 2>&1 | tee "$log"
count "${PIPESTATUS[0]}" tests/cli/run.sh

# the grep runs without the mark, and alone: nothing else could hold it meanwhile
mapfile -t left < <(env -u II_TEST_RUN grep -lzxF "II_TEST_RUN=$II_TEST_RUN" /proc/[0-9]*/environ 2>/dev/null)
for pid in "${left[@]}"; do
	pid=${pid#/proc/}
	pid=${pid%/environ}
	echo "error: still running after the tests: pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
	kill -9 "$pid" 2>/dev/null
	failed=$((failed + 1))
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
