# [canary]: when every canary URL fails, the monitor itself is offline and nothing changes.
# Canaries here fail by refusing the connection or closing it without an answer (a canary
# answering with an HTTP error status is left alone: whether that counts as failed is not
# part of the contract).

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
