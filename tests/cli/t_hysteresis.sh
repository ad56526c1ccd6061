# Hysteresis over several runs: confirmed down after failures_to_open failed checks, up
# after successes_to_resolve good ones, and the incidents that go with it. Each service's
# answers come from a /seq/ URL: one step per check.
#
# The database is read through its tables service, probe (one row per check: service, at,
# result) and incident (uuid, service, opened_at, resolved_at); times are Unix seconds.

# step EXPECTED_RC: one `--json check`, which must exit EXPECTED_RC
step() {
	ii --json check
	assert_rc "$1"
}

# probe_time N: when the Nth check (from 1) of service sede happened
probe_time() {
	db "SELECT at FROM probe WHERE service = 'sede' ORDER BY id LIMIT 1 OFFSET $(($1 - 1))"
}

incident_count() {
	db "SELECT count(*) FROM incident WHERE service = 'sede'"
}

UUID_RE='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

test_down_after_failures_to_open() {
	conf_new
	conf_service sede "$(seq_url sede 503)" failures_to_open=3
	step 1
	assert_json j.status WARNING
	svc_is 0 result down state unknown consecutive_failures 1 incident null
	# a second apart, so that the incident's start can only be the first check's time
	sleep 1.1
	step 1
	svc_is 0 state unknown consecutive_failures 2 incident null
	assert_eq 0 "$(incident_count)" 'incidents after 2 failed checks'
	ii check
	assert_rc 2
	first_line_is '^INCLUINFO CRITICAL - sede down \(HTTP 503, 3 checks\)'
	assert_eq 1 "$(incident_count)" 'incidents after 3 failed checks'
	assert_eq "$(probe_time 1)" "$(db 'SELECT opened_at FROM incident')" 'incident start'
	[[ $(probe_time 1) != "$(probe_time 3)" ]] || fail 'the first and third checks share a second'
	assert_eq '' "$(db 'SELECT resolved_at FROM incident')" 'incident end'

	local uuid
	uuid=$(db 'SELECT uuid FROM incident')
	assert_match "$uuid" "$UUID_RE" 'incident uuid'
	step 2
	svc_is 0 result down state down consecutive_failures 4 incident "$uuid"
	assert_eq 1 "$(incident_count)" 'incidents after 4 failed checks'
}

test_up_after_successes_to_resolve() {
	conf_new
	conf_service sede "$(seq_url sede 503,503,503,200,200,200)" failures_to_open=3 \
		successes_to_resolve=2
	step 1
	step 1
	step 2
	local uuid
	uuid=$(json 'j.services[0].incident')
	assert_match "$uuid" "$UUID_RE" 'incident in the JSON output'
	# one good check: still down, the incident stays open
	step 2
	svc_is 0 result up state down incident "$uuid"
	assert_eq '' "$(db 'SELECT resolved_at FROM incident')" 'incident end after 1 good check'
	sleep 1.1
	# the second: up again, resolved as of the first good check
	step 0
	# the resolving run names the incident it resolved; later runs name none
	svc_is 0 result up state up consecutive_failures 0 incident "$uuid" transition resolved
	assert_json j.status OK
	assert_eq "$(probe_time 4)" "$(db 'SELECT resolved_at FROM incident')" 'incident end'
	[[ $(probe_time 4) != "$(probe_time 5)" ]] || fail 'the 4th and 5th checks share a second'
	step 0
	svc_is 0 state up incident null transition null
	assert_eq 1 "$(incident_count)" 'incidents'
}

test_failures_must_be_consecutive() {
	conf_new
	conf_service sede "$(seq_url sede 503,503,200,503,503,200)" failures_to_open=3
	local rc
	for rc in 1 1 0 1 1 0; do
		step "$rc"
	done
	svc_is 0 state up
	assert_eq 0 "$(incident_count)" 'incidents'
}

test_failure_resets_recovery() {
	conf_new
	conf_service sede "$(seq_url sede 503,200,503,200,200)" failures_to_open=1 \
		successes_to_resolve=2
	local rc
	for rc in 2 2 2 2 0; do
		step "$rc"
	done
	assert_eq 1 "$(incident_count)" 'incidents'
	assert_eq "$(probe_time 4)" "$(db 'SELECT resolved_at FROM incident')" 'incident end'
}

test_second_outage_second_incident() {
	conf_new
	conf_service sede "$(seq_url sede 503,200,503)" failures_to_open=1 successes_to_resolve=1
	step 2
	local first
	first=$(json 'j.services[0].incident')
	step 0
	step 2
	svc_is 0 state down
	assert_eq 2 "$(incident_count)" 'incidents'
	assert_eq 1 "$(db "SELECT count(*) FROM incident WHERE resolved_at IS NULL")" 'open incidents'
	assert_js "j.services[0].incident !== '$first'"
}

test_services_counted_separately() {
	conf_new
	conf_service a "$(seq_url a 503)" failures_to_open=2
	conf_service b "$(seq_url b 200,503)" failures_to_open=2
	step 1
	step 2
	svc_is 0 state down consecutive_failures 2
	svc_is 1 state up consecutive_failures 1
	ii check
	first_line_is '^INCLUINFO CRITICAL - a down .*b down|^INCLUINFO CRITICAL - b down .*a down'
}

test_degraded_opens_no_incident() {
	conf_new
	conf_service sede "$(seq_url sede d1200)" degraded_ms=1000 timeout_ms=8000 failures_to_open=1
	step 1
	step 1
	svc_is 0 result degraded state degraded consecutive_failures 0 incident null
	assert_eq 0 "$(incident_count)" 'incidents'
}
