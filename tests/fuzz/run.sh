#!/bin/sh
# tests/fuzz/run.sh TARGET SECONDS: runs build/fuzz/fuzz_TARGET for SECONDS from its seed
# corpus (rebuilt each time in build/fuzz/corpus/TARGET). Every input must finish within
# the per-input time limit: a parse whose time grows faster than its input is a failure,
# as a crash or a leak is. Prints one summary line; exits 1 on a finding.
set -eu
target=$1 seconds=$2
bin=build/fuzz/fuzz_$target corpus=build/fuzz/corpus/$target log=build/fuzz/$target.log
rm -rf "$corpus" && mkdir -p "$corpus"
seed() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus/$(echo "$f" | tr / _)"; done; return 0; }
# The longest input is long enough for a quadratic cost to pass the time limit.
case $target in
notice)
	seed notices/*.md tests/notices-invalid/*.md
	# deep nesting in the front matter: quadratic in libyaml unless stopped early
	{ printf -- '---\ntipo: aviso\netiquetas: '; head -c 60000 /dev/zero | tr '\0' '['
	  printf '\n---\nTexto.\n'; } >"$corpus/nested.md"
	max_len=65536 ;;
config)
	seed etc/*.conf etc/*.conf.example tests/cli/config-invalid/*.conf
	max_len=16384 ;;
tweet)
	seed notices/*.md
	printf 'Hola https://www.seg-social.es/pensiones 🙋🏽👨‍🎤 #IMV @incluinfo' >"$corpus/mixed.txt"
	max_len=65536 ;;
*)
	echo "tests/fuzz/run.sh: no fuzz target '$target'" >&2
	exit 2 ;;
esac
if ! "$bin" -max_total_time="$seconds" -max_len="$max_len" -timeout=2 -rss_limit_mb=2048 -artifact_prefix=build/fuzz/ \
	-print_final_stats=1 "$corpus" 2>"$log"; then
	tail -n 40 "$log"
	echo "0 passed, 1 failed (fuzz $target)"
	exit 1
fi
grep -E '^stat::number_of_executed_units' "$log" |
	awk -v t="$target" -v s="$seconds" '{ print "fuzz " t ": " $2 " inputs in " s " s, no crash, no leak, none over 2 s" }'
