# incluinfo status: the state store as people and scripts read it.

ISO_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)$'

test_status_before_any_check() {
	conf_new
	conf_services 2
	ii status
	assert_rc 0
	ii --json status
	assert_rc 0
	assert_json j.services.length 2 'j.services.map((s) => s.id).join()' s1,s2
	svc_is 0 state unknown last_check null incident null
	# status only reads: it creates no database
	[[ ! -e $DB_FILE ]] || fail 'status created the database'
}

# Review of issue 12, 8: a service checked but not yet confirmed says so in words
test_status_of_a_service_not_confirmed_yet() {
	conf_new
	conf_service sede "$(web status/503)" failures_to_open=3
	ii check
	ii status
	assert_match "$OUT" '^sede +not confirmed yet; last check [0-9: -]+ down \(HTTP 503' stdout
}

test_status_after_runs() {
	conf_new
	conf_service sede "$(web status/503)" failures_to_open=2 'name=Sede Electrónica'
	conf_service portal "$(web status/200)"
	ii check
	ii check
	assert_rc 2
	local uuid opened checked
	uuid=$(db 'SELECT uuid FROM incident')
	opened=$(db 'SELECT opened_at FROM incident')
	checked=$(db "SELECT max(at) FROM probe WHERE service = 'sede'")

	ii status
	assert_rc 0
	local sede portal
	sede=$(grep -E '^ *sede([: ]|$)' <<<"$OUT")
	portal=$(grep -E '^ *portal([: ]|$)' <<<"$OUT")
	assert_contains "$sede" down 'status line of sede'
	assert_contains "$sede" 'HTTP 503' 'status line of sede'
	assert_contains "$sede" "$uuid" 'status line of sede'
	assert_contains "$portal" up 'status line of portal'

	ii --json status
	assert_rc 0
	assert_js '["id", "name", "state", "since", "last_check", "last_result", "last_reason",
		"consecutive_failures", "consecutive_successes", "incident"]
		.every((k) => j.services.every((s) => k in s))'
	svc_is 0 id sede name 'Sede Electrónica' state down last_result down last_reason 'HTTP 503' \
		consecutive_failures 2 consecutive_successes 0
	svc_is 1 id portal state up last_result up last_reason 'HTTP 200' incident null \
		consecutive_failures 0 consecutive_successes 2
	local field
	for field in 'services[0].since' 'services[0].last_check' 'services[1].since'; do
		assert_match "$(json "j.$field")" "$ISO_RE" "$field"
	done
	# since: the incident's start, the first failed check; last_check: the latest
	assert_js "Date.parse(j.services[0].since) / 1000 === $opened"
	assert_js "Date.parse(j.services[0].last_check) / 1000 === $checked"
	# the incident: its id, as a string or as the "id" of an object
	assert_js "[j.services[0].incident, (j.services[0].incident || {}).id].includes('$uuid')"
}
