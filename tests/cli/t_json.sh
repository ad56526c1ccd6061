# --json everywhere: one key style (snake_case; count keeps parseTweet's names) and the
# README's block of JSON shapes against what the commands print.

AVISO=$'---\ntipo: aviso\ntitulo: Cita previa\nautor: ana\n---\nPide cita previa en la sede electrónica.\n'

# record LABEL ARGS...: runs `--json ARGS` and appends its standard output to json/LABEL
record() {
	local label=$1
	shift
	ii --json "$@"
	mkdir -p "$T/json"
	printf '%s\n' "$OUT" >>"$T/json/$label"
}

# draft_of SOURCE: the id of the draft made from notices/SOURCE
draft_of() {
	db "SELECT uuid FROM draft WHERE source = '$1'"
}

# collect_json: a state with a service down and its incident open, manual incidents,
# drafts pending, published, failed, deferred and changed after publication, and every
# command that prints JSON run over it into json/ (run's lines into json-run/)
collect_json() {
	x_start
	conf_new notices_dir=notices
	conf_service sede "$(web status/503)" 'name=Sede Electrónica' failures_to_open=1
	conf_service portal "$(web status/200)"
	conf_raw '[policy]' 'notices = review' 'incidents = auto'
	conf_twitter
	conf_raw '[feeds]' 'base_url = https://www.seg-social.es/feeds/'
	mkdir -p "$T/notices"
	printf '%s' "$AVISO" >"$T/notices/cita.md"
	printf '%s' "${AVISO/Cita previa/Oficinas}" >"$T/notices/oficinas.md"
	printf '%s' "${AVISO/Cita previa/Horario}" >"$T/notices/horario.md"
	printf '%s' $'---\ntipo: aviso\n---\nSin título.\n' >"$T/notices/mala.md"

	record check check
	assert_rc 2
	record count count <<<''
	RUN_STDIN=<(printf 'hola') record count count
	record config config
	# config prints the optional keys only when they are set: once more with all of them
	local conf=$CONF
	CONF=$T/full.conf
	mkdir -p "$T/plantillas"
	conf_new "templates_dir=$T/plantillas" "ca_file=$CERTS/ca.pem"
	conf_service completo "$(web status/200)" 'header=Authorization: Bearer x' expect_text=Sede \
		reject_text=mantenimiento 'expect_xpath=//title' "ca_file=$CERTS/ca.pem"
	conf_canary "$(web status/200)"
	conf_twitter "ca_file=$CERTS/ca.pem"
	conf_raw '[feeds]' 'base_url = https://www.seg-social.es/feeds/' \
		'author_url = https://www.seg-social.es/' 'rebuttal_url = https://www.seg-social.es/bulos/{slug}' 'notice_url = https://www.seg-social.es/avisos/{slug}' \
		'aviso_legal = La información de esta cuenta tiene carácter meramente informativo.'
	conf_raw '[person lmartin]' 'name = Lucía Martín' 'email = lucia.martin@seg-social.es' \
		'os_users = lmartin' 'web_login = lucia.martin' 'aliases = L. Martín' 'roles = approver'
	record config config
	assert_rc 0
	CONF=$conf
	record preview preview "$T/notices/cita.md"
	record notices notices
	assert_rc 65
	ii approve "$(draft_of cita.md)" --by Luis
	assert_rc 0
	record publish publish
	assert_rc 0
	# changed after publication, revised and unchanged
	printf '%s' "${AVISO/sede/sede electrónica o llama}" >"$T/notices/cita.md"
	printf '%s' "${AVISO/Cita previa/Horarios}" >"$T/notices/horario.md"
	record notices notices
	# failed: X refuses the post
	ii approve "$(draft_of oficinas.md)" --by Luis
	x_post /_fault '{"kind":"status","status":400,"match":"POST /2/tweets"}' >/dev/null
	record publish publish
	assert_rc 65
	record 'incident open, update, resolve' incident open --scope 'Oficinas de Madrid' --message 'Cerradas por obras'
	local manual
	manual=$(json j.id)
	record 'incident open, update, resolve' incident update "$manual" --message 'Abren el lunes' --status identificado
	record 'incident open, update, resolve' incident resolve "$manual" --message 'Ya han abierto.'
	record 'incident list' incident list --all
	# deferred: the account's usage cap is reached
	x_post /_fault '{"kind":"usage_cap","match":"POST /2/tweets"}' >/dev/null
	record publish publish
	assert_rc 75
	# run records the pause as a condition, which status lists
	ii run
	record drafts drafts --all
	record show show "$(draft_of cita.md)"
	record log log
	record status status
	# once more with a Mastodon channel, whose limits status shows
	local conf=$CONF
	CONF=$T/mastodon.conf
	cp "$conf" "$CONF"
	m_start
	conf_mastodon
	record status status
	CONF=$conf
	record feeds feeds
	ii --json run
	mkdir -p "$T/json-run"
	printf '%s\n' "$OUT" >"$T/json-run/run"
}

test_every_json_key_is_snake_case() {
	collect_json
	local problems
	problems=$(node "$CLI_DIR/json_keys.js" snake "$T/json" "$T/json-run" 2>&1) || fail "$problems"
	# the state the keys were read from is not empty
	assert_eq true "$(json 'j.published.length > 0 && j.posts === undefined' "$(sed -n 1p "$T/json/publish")")" \
		'publish --json published something'
	assert_eq true "$(json 'j.failed.length > 0' "$(sed -n 2p "$T/json/publish")")" 'publish --json failed one'
	assert_eq true "$(json 'j.deferred.length > 0' "$(sed -n 3p "$T/json/publish")")" 'publish --json deferred one'
	assert_eq true "$(json 'j.services[0].incident !== null && j.channel.paused_until !== null &&
		j.conditions.some(c => c.kind === "x_paused")' \
		"$(sed -n 1p "$T/json/status")")" 'status --json: an open incident, a paused channel and its condition'
	assert_eq 500 "$(json 'j.channels.find(c => c.id === "mastodon").limits.max_characters' \
		"$(sed -n 2p "$T/json/status")")" "status --json: a Mastodon channel's limits"
	assert_eq true "$(json 'j.posts[0].remote_id !== null && j.post_count === j.posts.length' \
		"$(<"$T/json/show")")" 'show --json: a published post'
}

test_readme_documents_the_json_keys() {
	collect_json
	local problems
	problems=$(node "$CLI_DIR/json_keys.js" readme "$CLI_DIR/../../README.md" "$T/json" 2>&1) ||
		fail "$problems"
}

test_json_key_checks_catch_a_wrong_key() {
	# the checkers themselves: a camelCase key, an undocumented one and a missing one
	mkdir -p "$T/json"
	echo '{"status":"OK","canary":"ok","services":[{"id":"a","timeMs":1}]}' >"$T/json/check"
	run_checker() { node "$CLI_DIR/json_keys.js" "$@" 2>&1; }
	local out
	out=$(run_checker snake "$T/json") && fail 'snake accepted timeMs'
	assert_contains "$out" "check: key 'timeMs' at services[].timeMs is not snake_case"
	out=$(run_checker readme "$CLI_DIR/../../README.md" "$T/json") && fail 'readme accepted a wrong check'
	assert_contains "$out" 'check: prints services[].timeMs, which README does not document'
	assert_contains "$out" 'check: README documents services[].name, which it does not print'
}
