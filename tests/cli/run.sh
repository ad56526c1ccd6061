#!/usr/bin/env bash
# The command-line tests: tests/cli/run.sh [FILTER]
#
# Runs the built binary ($INCLUINFO, default build/incluinfo; this script builds nothing)
# against one tests/fakes/web.js on 127.0.0.1 started for the whole run. Every function
# named test_* in tests/cli/t_*.sh runs in a subshell in its own fresh folder; FILTER keeps
# the tests whose name, or whose file's name, contains it. Prints "ok - NAME" or
# "not ok - NAME" with the reason, and last "N passed, N failed"; exits 1 when a test
# failed. KEEP=1 keeps the work folder (certificates, failed tests' folders) for a look.
#
# Whatever a test starts (fake servers, the binary in the background, processes in their
# own session) is killed when the test ends, whatever its outcome: each test exports
# II_TEST_TAG=its folder, every process it starts inherits it, and the processes whose
# environment holds it are found in /proc. Process groups would miss what timeout(1) and
# setsid put in groups of their own; a list of pids would miss what the test forgot to add.
set -uo pipefail

cli_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$cli_dir/../.." && pwd)
filter=${1:-}

summary() { # summary PASSED FAILED: the last line, read by tests/run.sh and CI
	[[ ${KEEP:-} == 1 && -n ${work:-} ]] && echo "# work folder kept: $work"
	echo "$1 passed, $2 failed"
	(($2 == 0))
}

bin=${INCLUINFO:-build/incluinfo}
if [[ $bin != /* ]]; then
	# relative to where we were started, else to the repository
	[[ -e $bin ]] && bin=$PWD/$bin || bin=$root/$bin
fi
if [[ ! -x $bin ]]; then
	echo "not ok - setup: no executable at '$bin' (run make first)"
	summary 0 1
	exit
fi

# kill_tagged NAME=VALUE: kill -9 of each process whose environment holds NAME=VALUE (the
# grep runs without it, and alone: nothing else could hold it meanwhile)
kill_tagged() {
	local files file
	mapfile -t files < <(env -u "${1%%=*}" grep -lzxF -- "$1" /proc/[0-9]*/environ 2>/dev/null)
	for file in "${files[@]}"; do
		file=${file#/proc/}
		kill -9 "${file%/environ}" 2>/dev/null
	done
}

work=$(mktemp -d "${TMPDIR:-/tmp}/incluinfo-cli.XXXXXX")
# the fake web server and anything else started outside the tests
export II_CLI_RUN=$work
server=
cleanup() {
	if [[ -n $server ]]; then
		kill "$server" 2>/dev/null
		wait "$server" 2>/dev/null
	fi
	kill_tagged "II_CLI_RUN=$work"
	[[ ${KEEP:-} == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

setup_failed() { # setup_failed MESSAGE
	echo "not ok - setup: $1"
	summary 0 1
	exit
}

export CERTS=$work/certs
"$root/tests/fakes/mkcerts.sh" "$CERTS" || setup_failed 'tests/fakes/mkcerts.sh failed'

tls_args=()
for name in good expiring selfsigned wronghost; do
	tls_args+=(--tls "$name:$CERTS/$name.pem:$CERTS/$name.key")
done
node "$root/tests/fakes/web.js" --port-file "$work/ports" "${tls_args[@]}" >"$work/web.log" 2>&1 &
server=$!
for _ in $(seq 100); do
	[[ -s $work/ports ]] && break
	kill -0 "$server" 2>/dev/null || break
	sleep 0.1
done
[[ -s $work/ports ]] || setup_failed "tests/fakes/web.js did not start: $(head -c 500 "$work/web.log")"

# PORT_HTTP, PORT_GOOD, ... from the port file, and DEAD_PORT: a port just freed, where
# nothing listens (connection refused)
eval "$(node -e '
	const p = JSON.parse(require("fs").readFileSync(process.argv[1]));
	console.log(`export PORT_HTTP=${p.http}`);
	for (const [name, port] of Object.entries(p.tls)) console.log(`export PORT_${name.toUpperCase()}=${port}`);
	const s = require("net").createServer().listen(0, "127.0.0.1", () => {
		console.log(`export DEAD_PORT=${s.address().port}`);
		s.close();
	});
' "$work/ports")"

export INCLUINFO=$bin CLI_DIR=$cli_dir
# shellcheck source=lib.sh
source "$cli_dir/lib.sh"

passed=0
failed=0

# run_test NAME: runs one test function in a subshell in a fresh folder, reports it
run_test() {
	local name=$1 dir=$work/tests/$1 started rc
	mkdir -p "$dir"
	started=$(date +%s%N)
	(
		cd "$dir" || exit 1
		export II_TEST_TAG=$dir
		T=$dir
		TEST_NAME=$name
		CONF=$dir/incluinfo.conf
		"$name"
	) >"$dir/.log" 2>&1 </dev/null
	rc=$?
	kill_tagged "II_TEST_TAG=$dir"
	local took=$((($(date +%s%N) - started) / 1000000))
	if ((rc == 0)) && [[ ! -s $dir/.reason ]]; then
		passed=$((passed + 1))
		printf 'ok - %s (%d ms)\n' "$name" "$took"
		# the figures a test reports (trials, counts) in $T/.figures
		[[ -s $dir/.figures ]] && sed 's/^/#   /' "$dir/.figures"
		[[ ${KEEP:-} == 1 ]] || rm -rf "$dir"
		return
	fi
	failed=$((failed + 1))
	printf 'not ok - %s (%d ms)\n' "$name" "$took"
	if [[ -s $dir/.reason ]]; then
		sed 's/^/#   /' "$dir/.reason"
	else
		echo "#   the test function returned $rc; its output:"
		tail -n 15 "$dir/.log" | sed 's/^/#   /'
	fi
}

for file in "$cli_dir"/t_*.sh; do
	# each file's tests alone: forget the previous file's
	while read -r fn; do
		unset -f "$fn"
	done < <(compgen -A function test_)
	# shellcheck source=/dev/null
	if ! source "$file"; then
		failed=$((failed + 1))
		echo "not ok - ${file##*/}: cannot be sourced"
		continue
	fi
	header="# ${file#"$root"/}"
	while read -r fn; do
		[[ $fn == *"$filter"* || ${file##*/} == *"$filter"* ]] || continue
		[[ -n $header ]] && echo "$header"
		header=
		run_test "$fn"
	done < <(compgen -A function test_ | sort)
done

summary "$passed" "$failed"
