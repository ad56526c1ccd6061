# check's monitoring-plugins contract: exit 0-3 only, and the read-only --passive mode.

test_passive_reports_recorded_states() {
	local t0=1764000000
	conf_new
	conf_service up "$(web status/200)"
	conf_service down "$(web status/503)" failures_to_open=1
	INCLUINFO_NOW=$t0 ii check
	assert_rc 2
	local before probes
	before=$(db_dump)
	probes=$(hits status/503)

	INCLUINFO_NOW=$((t0 + 60)) ii check --passive
	assert_rc 2
	first_line_is "INCLUINFO CRITICAL - down down since 2025-11-24 17:00:00 (HTTP 503) | up_age=60s;;600;0 up_failures=0;;3;0 down_age=60s;;600;0 down_failures=1;;1;0"
	# probed nothing, changed nothing
	assert_eq "$probes" "$(hits status/503)" 'probes of the down service'
	assert_eq "$before" "$(db_dump)" 'the state'

	INCLUINFO_NOW=$((t0 + 60)) ii check --passive --service up
	assert_rc 0
	first_line_is "INCLUINFO OK - 1 service up | up_age=60s;;600;0 up_failures=0;;3;0"
}

test_passive_stale_state_is_unknown() {
	local t0=1764000000
	conf_new
	conf_service up "$(web status/200)"
	INCLUINFO_NOW=$t0 ii check
	assert_rc 0
	# three days without a check: not OK, and not said as a finding about the service
	INCLUINFO_NOW=$((t0 + 3 * 86400)) ii check --passive
	assert_rc 3
	out_has 'INCLUINFO UNKNOWN - up stale: last check 3 d ago ('
	out_has 'more than 10 min | up_age=259200s;;600;0'
	INCLUINFO_NOW=$((t0 + 3 * 86400)) ii check --passive --max-age 5000
	assert_rc 0
	INCLUINFO_NOW=$((t0 + 11 * 60)) ii check --passive
	assert_rc 3
	INCLUINFO_NOW=$((t0 + 9 * 60)) ii check --passive
	assert_rc 0
	# a stale down state is not said to be down
	conf_service down "$(web status/503)" failures_to_open=1
	INCLUINFO_NOW=$t0 ii check --service down
	INCLUINFO_NOW=$((t0 + 3600)) ii check --passive
	assert_rc 3
	out_lacks 'CRITICAL'
}

test_passive_before_any_check_and_bad_options() {
	conf_new
	conf_service up "$(web status/200)"
	ii check --passive
	assert_rc 3
	first_line_is "INCLUINFO UNKNOWN - up never checked | up_age=U;;600;0 up_failures=0;;3;0"
	[[ ! -e state/incluinfo.db ]] || fail 'a passive check created the database'
	for bad in 0 x 10081 -5; do
		ii check --passive --max-age "$bad"
		assert_rc 3
		err_has "invalid value '$bad' for --max-age"
	done
	ii check --max-age 5
	assert_rc 3
	ii --json check --passive
	assert_rc 3
}
