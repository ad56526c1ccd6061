#!/usr/bin/env bash
# `make demo`: runs `incluinfo check` on etc/demo.conf once a "minute" (two seconds here)
# against simulated endpoints that fail and recover, and tells what changed.
set -uo pipefail
cd "$(dirname "$0")/.."

bin=build/incluinfo
conf=etc/demo.conf
runs=9
workdir=$(mktemp -d)
rm -rf var/demo

node tests/fakes/web.js --http-port 47801 --port-file "$workdir/ports" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$workdir"' EXIT
for _ in $(seq 50); do
	[[ -s $workdir/ports ]] && break
	sleep 0.1
done
if [[ ! -s $workdir/ports ]]; then
	echo "incluinfo demo: error: the simulated endpoints did not start on 127.0.0.1:47801" >&2
	exit 1
fi

echo "Simulated Seguridad Social endpoints on 127.0.0.1:47801; configuration: $conf"
echo "The sede fails for four checks, the portal is slow once, Importass shows a"
echo "maintenance page twice. An incident opens after 3 failed checks and is resolved"
echo "after 2 good ones."
echo

for run in $(seq "$runs"); do
	out=$("$bin" -c "$conf" -v check)
	rc=$?
	printf 'check %d (exit %d): %s\n' "$run" "$rc" "$(head -n 1 <<<"$out" | cut -d'|' -f1)"
	grep -E ': (confirmed down|working again) ' <<<"$out" | sed 's/^/    -> /'
	((run < runs)) && sleep 2
done

echo
echo "incluinfo status:"
"$bin" -c "$conf" status | sed 's/^/    /'
echo
echo "The state is in var/demo/incluinfo.db; run '$bin -c $conf status' to see it again."
