# Text from outside (file names, --by names, notices, servers' words) reaches the terminal
# escaped: no escape sequence, C1 control or bidirectional override acts on it.

ESC=$'\e'
HOSTILE=$'Ana\e[2J\e]8;;https:\\evil.example\a\xc2\x9b1m\xe2\x80\xaeoigo'

# assert_tame TEXT WHAT: TEXT holds no raw control or bidi override, and shows them escaped
assert_tame() {
	assert_not_contains "$1" "$ESC" "$2"
	assert_not_contains "$1" $'\a' "$2"
	assert_not_contains "$1" $'\xc2\x9b' "$2"
	assert_not_contains "$1" $'\xe2\x80\xae' "$2"
	assert_contains "$1" 'Ana\u001b[2J\u001b]8;;https:\evil.example\u0007\u009b1m\u202eoigo' "$2"
}

test_names_given_by_people_are_refused_and_never_printed_raw() {
	conf_new
	conf_service sede "$(web status/200)"
	conf_raw '[policy]' 'incidents = review'
	# what people type is refused where it comes in: it would be posted and audited
	ii incident open --scope 'Oficinas de Madrid' --message 'Cerrada por obras.' --by "$HOSTILE"
	assert_rc 65
	assert_contains "$ERR" "invalid value for '--by': control character U+001B"
	ii incident open --scope $'Oficina\e[2J\nincluinfo: forged' --message 'Cerrada.'
	assert_rc 65
	ii incident open --scope 'Oficinas de Madrid' --message $'Cerrada \xe2\x80\xae hoy'
	assert_rc 65
	[[ ! -e $T/$DB_FILE ]] || assert_eq 0 "$(db 'SELECT count(*) FROM incident')" 'incidents opened by refused commands'
	ii incident open --scope 'Oficinas de Madrid' --message $'Cerrada por obras.\nAbre el lunes.' --by Ana
	assert_rc 0
	local id
	id=$(db "SELECT uuid FROM draft LIMIT 1")
	ii approve "$id" --by "$HOSTILE"
	assert_rc 65
	ii reject "$id" --by "$HOSTILE"
	assert_rc 65
	# a name that got into the store anyway (an older version wrote it) is shown escaped
	sqlite3 -batch "$T/$DB_FILE" "UPDATE audit SET name = CAST(X'$(printf '%s' "$HOSTILE" | od -An -tx1 | tr -d ' \n')' AS TEXT)" ||
		fail 'cannot plant the name'
	ii log
	assert_tame "$OUT" 'log'
	ii log "$id"
	assert_tame "$OUT" 'log ID'
	ii show "$HOSTILE"
	assert_tame "$ERR" 'an argument in an error'
}

test_file_names_are_printed_escaped() {
	conf_new notices_dir=notices
	conf_service sede "$(web status/200)"
	mkdir -p "$T/notices"
	local name="$HOSTILE"$'\nincluinfo: error: forged'
	printf -- '---\ntipo: aviso\n---\nTexto.\n' >"$T/notices/$name.md"
	ii lint
	assert_rc 65
	assert_tame "$ERR" 'lint'
	assert_contains "$ERR" 'oigo\u000aincluinfo: error: forged.md' 'a newline in a name'
	ii notices
	assert_tame "$ERR" 'notices'
}

test_config_errors_mask_secrets() {
	conf_new
	conf_canary 'http://watch:CAN-S3CRET@canary.example/'
	conf_service sede 'ftp://admin:URL-S3CRET@127.0.0.1/' 'header=Authorization Bearer HDR-S3CRET'
	ii config
	assert_rc 78
	assert_not_contains "$ERR" 'S3CRET' 'config errors'
	assert_contains "$ERR" "invalid url 'ftp://********@127.0.0.1/'"
	assert_contains "$ERR" "invalid url 'http://********@canary.example/'"
	assert_contains "$ERR" "invalid value for 'header': expected 'Name: value'"
}

# X's own words in an error (a refused post) are one line of plain text wherever they go:
# the output, the audit trail and the draft's error.
test_servers_words_cannot_forge_a_line() {
	setup_publish
	thread_notice 1 cita.md
	ii notices
	x_post /_fault '{"kind":"status","status":403,"match":"POST /2/tweets","detail":"bad \u001b[2J\nincluinfo: fake line \u202e"}' >/dev/null
	ii publish
	assert_rc 65
	local out="$OUT$ERR"
	assert_not_contains "$out" "$ESC" 'publish output'
	assert_not_contains "$out" $'\nincluinfo: fake line' 'a forged line in the output'
	ii log
	assert_not_contains "$OUT" $'\nincluinfo: fake line' 'a forged line in the log'
	assert_eq 0 "$(db "SELECT count(*) FROM draft WHERE error LIKE '%' || char(10) || '%' OR error LIKE '%' || char(27) || '%'")" \
		'control characters kept in the draft'
}
