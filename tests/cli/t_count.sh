# `incluinfo count`: the weighted length of standard input as X counts a post, --json,
# --batch, the exit statuses and the size cap. tests/oracle/diff.js compares the counts
# themselves with twitter-text on 100,000 strings; these check the command around them.

# count_text TEXT [ARGS...]: runs `count ARGS` with TEXT (printf's %b escapes, no newline
# added) on standard input
count_text() {
	local text=$1
	shift
	printf '%b' "$text" >"$T/in"
	RUN_STDIN=$T/in run count "$@"
}

# count_lines LINE...: runs `count --batch` with one line per argument on standard input
count_lines() {
	printf '%s\n' "$@" >"$T/in"
	RUN_STDIN=$T/in run count --batch
}

# outputs_are VALUE...: each line of $OUT in turn is a count whose weightedLength is VALUE,
# or an error whose message is VALUE
outputs_are() {
	local i=0 value line
	for value in "$@"; do
		i=$((i + 1))
		line=$(sed -n "${i}p" <<<"$OUT")
		assert_eq "$value" "$(json 'j.error === undefined ? j.weightedLength : j.error' "$line")" \
			"output line $i"
	done
}

test_count_plain() {
	count_text 'Hi http://test.co'
	assert_rc 0
	assert_eq 26 "$OUT" 'weighted length'
	assert_eq '' "$ERR" stderr
}

# The published conformance figures of twitter-text's configuration v3.
test_count_published_figures() {
	local text expected
	while IFS='|' read -r text expected; do
		count_text "$text"
		assert_eq "$expected" "$OUT" "weighted length of '$text'"
		assert_rc 0
	done <<-'EOF'
		Hi http://test.co|26
		H🐱☺👨‍👩‍👧‍👦|7
		🙋🏽👨‍🎤|4
		1⃣|2
		A\u0301B|2
	EOF
	local cjk
	cjk=$(printf '的%.0s' {1..160})
	count_text "$cjk" --json
	assert_rc 1
	assert_json j.weightedLength 320 j.valid false j.validRangeEnd 139 j.displayRangeEnd 159
}

test_count_json_fields() {
	count_text 'hola 😀' --json
	assert_rc 0
	assert_eq 1 "$(wc -l <<<"$OUT")" 'lines of output'
	assert_json 'Object.keys(j).join()' \
		'weightedLength,valid,permillage,validRangeStart,validRangeEnd,displayRangeStart,displayRangeEnd' \
		j.weightedLength 7 j.valid true j.permillage 25 j.validRangeStart 0 j.validRangeEnd 6 \
		j.displayRangeStart 0 j.displayRangeEnd 6
	# the global option works before the command too
	RUN_STDIN=$T/in run --json count
	assert_json j.weightedLength 7
}

# 0 for a valid post, 1 for a text X would refuse, with its count all the same.
test_count_exit_status() {
	count_text "$(printf 'a%.0s' {1..280})"
	assert_rc 0
	assert_eq 280 "$OUT"
	count_text "$(printf 'a%.0s' {1..281})"
	assert_rc 1
	assert_eq 281 "$OUT"
	count_text ''
	assert_rc 1
	assert_eq 0 "$OUT" 'count of the empty text'
	count_text 'ab\uFEFFcd' --json
	assert_rc 1
	assert_json j.valid false j.weightedLength 6 j.validRangeEnd 1
	count_text 'x\uFFFF'
	assert_rc 1
}

test_count_invalid_utf8() {
	count_text 'ab\xc3'
	assert_rc 65
	assert_eq '' "$OUT" stdout
	assert_eq 'incluinfo: error: invalid UTF-8 at byte 2' "$ERR" stderr
	count_text '\xed\xa0\x80' # a surrogate, encoded
	assert_rc 65
	err_has 'invalid UTF-8 at byte 0'
}

# One trailing newline is what echo and editors add: ignored. Any other is counted.
test_count_trailing_newline() {
	count_text 'abc'
	assert_eq 3 "$OUT" 'without a newline'
	count_text 'abc\n'
	assert_eq 3 "$OUT" 'with one newline'
	count_text 'abc\n\n'
	assert_eq 4 "$OUT" 'with two newlines'
	count_text '\n'
	assert_eq 0 "$OUT" 'a newline alone'
	assert_rc 1
}

# At most 64 KiB of text (65,536 bytes), its trailing newline not counted; more is 65.
test_count_over_length() {
	head -c 65536 /dev/zero | tr '\0' a >"$T/max"
	RUN_STDIN=$T/max run count
	assert_rc 1
	assert_eq 65536 "$OUT" 'count of the longest text'
	echo >>"$T/max"
	RUN_STDIN=$T/max run count
	assert_eq 65536 "$OUT" 'count of the longest text and its newline'
	printf 'a' >>"$T/max"
	RUN_STDIN=$T/max run count
	assert_rc 65
	assert_eq '' "$OUT" stdout
	assert_eq 'incluinfo: error: the text is longer than 65536 bytes' "$ERR" stderr
}

test_count_batch() {
	count_lines '"Hi http://test.co"' '"H🐱☺👨‍👩‍👧‍👦"' '"A\u0301B"' '"ab\ufeffcd"' '""'
	assert_rc 0
	assert_eq 5 "$(wc -l <<<"$OUT")" 'lines of output'
	assert_eq '26 true' "$(json '`${j.weightedLength} ${j.valid}`' "$(sed -n 1p <<<"$OUT")")" 'line 1'
	assert_eq 7 "$(json j.weightedLength "$(sed -n 2p <<<"$OUT")")" 'line 2'
	assert_eq 2 "$(json j.weightedLength "$(sed -n 3p <<<"$OUT")")" 'line 3, an escaped accent'
	assert_eq '6 false' "$(json '`${j.weightedLength} ${j.valid}`' "$(sed -n 4p <<<"$OUT")")" 'line 4'
	assert_eq '0 false' "$(json '`${j.weightedLength} ${j.valid}`' "$(sed -n 5p <<<"$OUT")")" 'line 5'
	# the same objects as the single-text --json
	count_text 'Hi http://test.co' --json
	local single=$OUT
	count_lines '"Hi http://test.co"'
	assert_eq "$single" "$OUT" '--batch against --json'
}

# A bad line gets an {"error": …} line of its own in its place, the others are still
# counted, and the exit status is 65 at the end.
test_count_batch_bad_lines() {
	printf '%s\n' '"one"' 'two' '"ab\xc3"' '"three"' '42' '"nul \u0000 inside"' '"x" y' '' \
		'"four"' | sed 's/\\xc3/\xc3/' >"$T/in"
	RUN_STDIN=$T/in run count --batch
	assert_rc 65
	assert_eq 9 "$(wc -l <<<"$OUT")" 'lines of output'
	local expected=(
		3 'line 2: not a JSON string' 'line 3: invalid UTF-8 at byte 2' 5
		'line 5: not a JSON string' 'line 6: U+0000 (\u0000) is not counted'
		'line 7: not a JSON string' 'line 8: not a JSON string' 4
	)
	outputs_are "${expected[@]}"
}

# --batch counts blocks of 4,096 lines in two halves on two threads: across several
# blocks and halves, every result keeps its line's place and every error its number.
test_count_batch_blocks() {
	awk 'BEGIN { for (i = 1; i <= 10000; i++) print (i % 2049 == 0 ? "bad" : "\"" substr("xxxxxxx", 1, i % 7 + 1) "\"") }' >"$T/in"
	RUN_STDIN=$T/in run count --batch
	assert_rc 65
	assert_eq 10000 "$(wc -l <<<"$OUT")" 'lines of output'
	local expected got
	expected=$(awk 'BEGIN { for (i = 1; i <= 10000; i++) print (i % 2049 == 0 ? "line " i ": not a JSON string" : i % 7 + 1) }')
	got=$(node -e 'for (const l of require("fs").readFileSync(0, "utf8").trim().split("\n")) { const j = JSON.parse(l); console.log(j.error ?? j.weightedLength) }' <<<"$OUT")
	assert_eq "$expected" "$got" 'every line in its place'
}

# Escaped lines are decoded as cJSON decodes them: the simple escapes, \u escapes and
# surrogate pairs, and a lone surrogate or unknown escape is not a string.
test_count_batch_escapes() {
	count_lines '"a\u00e9\/b"' '"\ud83d\ude00 \uD83D\uDE00"' '"tab\there\nline \\ \""' '"\ud83d"' \
		'"\ude00x"' '"\q"' '"\u12"' '"ab\"'
	assert_rc 65
	local expected=(4 5 17 'line 4: not a JSON string' 'line 5: not a JSON string'
		'line 6: not a JSON string' 'line 7: not a JSON string' 'line 8: not a JSON string')
	outputs_are "${expected[@]}"
}

# Numbers of one to six digits, written digit pair by digit pair: the fields of a long
# text, printed exactly as JSON.stringify prints them.
test_count_batch_numbers() {
	local long
	long=$(head -c 60000 /dev/zero | tr '\0' x)
	count_lines '"x"' "\"$(printf 'x%.0s' {1..10})\"" "\"$(printf 'x%.0s' {1..105})\"" "\"$long\""
	assert_rc 0
	assert_eq '{"weightedLength":1,"valid":true,"permillage":3,"validRangeStart":0,"validRangeEnd":0,"displayRangeStart":0,"displayRangeEnd":0}' \
		"$(sed -n 1p <<<"$OUT")" 'one digit'
	assert_eq '{"weightedLength":10,"valid":true,"permillage":35,"validRangeStart":0,"validRangeEnd":9,"displayRangeStart":0,"displayRangeEnd":9}' \
		"$(sed -n 2p <<<"$OUT")" 'two digits'
	assert_eq '{"weightedLength":105,"valid":true,"permillage":375,"validRangeStart":0,"validRangeEnd":104,"displayRangeStart":0,"displayRangeEnd":104}' \
		"$(sed -n 3p <<<"$OUT")" 'three digits'
	assert_eq '{"weightedLength":60000,"valid":false,"permillage":214285,"validRangeStart":0,"validRangeEnd":279,"displayRangeStart":0,"displayRangeEnd":59999}' \
		"$(sed -n 4p <<<"$OUT")" 'five and six digits'
}

test_count_batch_long_line() {
	{
		printf '"'
		head -c 70000 /dev/zero | tr '\0' a
		printf '"\n"after"\n'
	} >"$T/in"
	RUN_STDIN=$T/in run count --batch
	assert_rc 65
	assert_eq 2 "$(wc -l <<<"$OUT")" 'lines of output'
	assert_eq 'line 1: longer than 65536 bytes' "$(json j.error "$(sed -n 1p <<<"$OUT")")"
	assert_eq 5 "$(json j.weightedLength "$(sed -n 2p <<<"$OUT")")" 'the line after it'
}

# Input is read in chunks of 256 KiB: a line over the cap that spans several of them is
# one error, the lines after it are counted, and so is a last line without its newline.
test_count_batch_chunks() {
	{
		printf '"'
		head -c 600000 /dev/zero | tr '\0' a
		printf '"\n"after"\n'
		awk 'BEGIN { for (i = 1; i <= 30000; i++) print "\"" substr("xxxxxxxxxx", 1, i % 10 + 1) "\"" }'
		printf '"no newline"'
	} >"$T/in"
	RUN_STDIN=$T/in run count --batch
	assert_rc 65
	assert_eq 30003 "$(wc -l <<<"$OUT")" 'lines of output'
	local expected got
	expected=$(awk 'BEGIN { print "line 1: longer than 65536 bytes"; print 5
		for (i = 1; i <= 30000; i++) print i % 10 + 1; print 10 }')
	got=$(node -e 'for (const l of require("fs").readFileSync(0, "utf8").trim().split("\n")) { const j = JSON.parse(l); console.log(j.error ?? j.weightedLength) }' <<<"$OUT")
	assert_eq "$expected" "$got" 'every line in its place'
}

test_count_usage() {
	count_text 'x' --bogus
	assert_rc 64
	err_has "unexpected argument '--bogus' for 'count'"
	err_has 'usage: incluinfo count'
	run help count
	assert_rc 0
	out_has --batch
	# count needs no configuration
	INCLUINFO_CONFIG=$T/missing.conf count_text 'x'
	assert_rc 0
}
