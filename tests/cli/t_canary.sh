# [canary]: when every canary URL fails, the monitor itself is offline and nothing changes.
# A canary fails without an answer, and also with an answer outside its expected statuses
# (2xx and 3xx unless its url line says otherwise): a proxy whose upstream is down answers.

test_canary_offline_changes_nothing() {
	conf_new
	conf_service sede "$(seq_url sede 200,503)" failures_to_open=1
	# the first canary answers once, then closes connections; the second never answers
	conf_canary "$(seq_url canary 200,reset)" "$(dead_url)"
	ii --json check
	assert_rc 0
	assert_json j.canary ok
	local before
	before=$(db_dump)

	ii check
	assert_rc 3
	first_line_is '^INCLUINFO UNKNOWN - monitor offline: all canaries failed'
	assert_eq "$before" "$(db_dump)" 'services and incidents after an offline check'

	ii --json check
	assert_rc 3
	assert_json j.status UNKNOWN j.canary offline
	assert_eq "$before" "$(db_dump)" 'services and incidents after an offline check'
	assert_eq 0 "$(db 'SELECT count(*) FROM incident')" 'incidents'
}

test_canary_partly_failing_is_believed() {
	conf_new
	conf_service sede "$(web status/503)" failures_to_open=1
	conf_canary "$(dead_url)" "$(web status/200)"
	ii --json check
	assert_rc 2
	assert_json j.status CRITICAL j.canary ok
	svc_is 0 state down
	assert_eq 1 "$(db 'SELECT count(*) FROM incident')" 'incidents'
}

test_canary_all_answering() {
	conf_new
	conf_service sede "$(web status/200)"
	conf_canary "$(web "status/200?$TEST_NAME-1")" "$(web "status/200?$TEST_NAME-2")"
	ii --json check
	assert_rc 0
	assert_json j.canary ok
	# every canary is probed, once
	assert_eq 1 "$(hits "status/200?$TEST_NAME-1")" 'requests to canary 1'
	assert_eq 1 "$(hits "status/200?$TEST_NAME-2")" 'requests to canary 2'
}

test_canary_answering_502_is_failed() {
	conf_new
	conf_service sede "$(web status/503)" failures_to_open=1
	# an outbound proxy whose upstream is down: it answers, with 502
	conf_canary "$(web status/502)"
	ii check
	assert_rc 3
	first_line_is '^INCLUINFO UNKNOWN - monitor offline: all canaries failed'
	[[ ! -e $T/$DB_FILE ]] || assert_eq 0 "$(db 'SELECT count(*) FROM incident')" 'incidents'
	ii -v --json check
	assert_json j.canary offline j.reason 'monitor offline: all canaries failed'
}

test_canary_redirect_is_good_by_default() {
	conf_new
	conf_service sede "$(web status/200)"
	conf_canary "$(web status/301)"
	ii -v check
	assert_rc 0
	out_has 'canary 1: ok (HTTP 301)'
}

test_canary_expected_statuses_per_url() {
	conf_new
	conf_service sede "$(web status/503)" failures_to_open=1
	conf_raw '' '[canary]' "url = $(web status/200)   204" "url = $(web status/404) 404,410"
	ii -v check
	assert_rc 2
	out_has 'canary 1: failed (HTTP 200)'
	out_has 'canary 2: ok (HTTP 404)'
	ii config
	out_has "url = $(web status/200) 204"
	conf_new
	conf_service sede "$(web status/503)" failures_to_open=1
	conf_raw '' '[canary]' "url = $(web status/200) 204"
	ii check
	assert_rc 3
	first_line_is 'monitor offline'
}

test_canary_timeout_follows_the_services() {
	conf_new
	conf_service sede "$(web status/200)" timeout_ms=1500 degraded_ms=1000
	conf_canary "$(web "hang?$TEST_NAME")" "$(web status/200)"
	ii -v check
	assert_rc 0
	# the hanging canary is given up after the services' longest timeout, not 10 s
	# curl names the time it waited: 1,5xx ms, not 10,000
	assert_match "$OUT" 'canary 1: failed \(timeout error: Operation timed out after 1[0-9]{3} milliseconds' stdout
	ii --json config
	assert_json j.canary.timeout_ms 1500
}

test_canary_timeout_configured() {
	conf_new
	conf_service sede "$(web status/200)"
	conf_canary "$(web "hang?$TEST_NAME")" "$(web status/200)"
	conf_raw 'timeout_ms = 700'
	ii -v check
	assert_rc 0
	assert_match "$OUT" 'canary 1: failed \(timeout error: Operation timed out after [0-9]{3} milliseconds' stdout
}

# a run with every canary failing says so once, however many runs it lasts, and once that
# it ended, with how long; status lists it meanwhile
test_run_offline_says_so_once_per_change() {
	mkdir -p "$T/notices"
	conf_new
	conf_service sede "$(web status/200)"
	conf_canary "$(dead_url)"
	INCLUINFO_NOW=1764000000 ii run
	assert_rc 69
	assert_eq 'incluinfo: error: monitor offline: all canaries failed; no service is judged until one answers' \
		"$ERR" 'stderr of the first offline run'
	local i
	for i in 1 2 3; do
		INCLUINFO_NOW=$((1764000000 + 60 * i)) ii run
		assert_rc 69
		assert_eq '' "$OUT$ERR" "output of offline run $((i + 1))"
	done
	INCLUINFO_NOW=1764000300 ii status
	assert_match "$OUT" 'condition +monitor offline: all canaries failed' stdout
	INCLUINFO_NOW=1764000300 ii --json status
	assert_json 'j.conditions.length' 1 'j.conditions[0].kind' monitor_offline
	# the canary answers again
	conf_new
	conf_service sede "$(web status/200)"
	conf_canary "$(web status/200)"
	INCLUINFO_NOW=$((1764000000 + 11400)) ii run
	assert_rc 0
	assert_eq 'incluinfo: notice: monitor online again after 3 h 10 min' "$ERR" 'stderr when it ended'
	INCLUINFO_NOW=$((1764000000 + 11460)) ii run
	assert_eq '' "$OUT$ERR" 'output of the run after'
	ii --json status
	assert_json 'j.conditions.length' 0
}
