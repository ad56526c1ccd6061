# The state lock, and runs killed with SIGKILL.

# started_probing TARGET: the fake server got the request for TARGET, so the run that sent
# it holds the lock (check takes the lock before it probes)
started_probing() {
	[[ $(hits "$1") -ge 1 ]]
}

test_lock_contention() {
	local slow="delay/5000?$TEST_NAME" holder
	conf_new
	conf_service slow "$(web "$slow")" degraded_ms=9000 timeout_ms=10000
	conf_service fast "$(web status/200)"
	bg_check holder
	wait_for 10 started_probing "$slow" || fail 'the first run never probed'

	# a plugin's exit status is 0-3: UNKNOWN, the reason on the plugin line and stderr
	ii check
	assert_rc 3
	assert_contains "$OUT" "INCLUINFO UNKNOWN - another incluinfo run holds the lock (pid $holder)" stdout
	assert_eq "incluinfo: error: another incluinfo run holds the lock (pid $holder)" "$ERR" stderr
	# "at once": the holder is still busy with its 5 s probe
	kill -0 "$holder" 2>/dev/null || fail 'the second run waited for the first one to finish'
	ii --json check
	assert_rc 3

	# what takes no lock still works meanwhile
	ii --json check --dry-run --service fast
	assert_rc 0
	ii status
	assert_rc 0
	ii config
	assert_rc 0

	# a killed holder leaves the lock free
	bg_kill "$holder"
	ii check --service fast
	assert_rc 0
}

test_lock_released_after_normal_run() {
	local holder
	conf_new
	conf_service sede "$(web "delay/300?$TEST_NAME")"
	bg_check holder
	bg_wait "$holder"
	assert_rc 0
	ii check
	assert_rc 0
	[[ -f state/incluinfo.lock ]] || fail 'no state/incluinfo.lock'
}

test_kill_9_during_runs() {
	local i pause pid
	conf_new
	# "down" fails every check and never opens an incident, so its counter is the number
	# of runs that committed; the others make each run's probing and writing last longer
	conf_service down "$(web status/503)" failures_to_open=100
	for ((i = 1; i <= 40; i++)); do
		conf_service "s$i" "$(web "delay/$((i * 5))?$TEST_NAME-$i")"
	done
	ii check
	assert_rc 1

	# kill runs while they probe (the first 200 ms) and while they write
	for pause in 0.05 0.1 0.15 0.2 0.22 0.24 0.26 0.3 0.35 0.5; do
		bg_check pid
		sleep "$pause"
		bg_kill "$pid"
	done

	assert_eq ok "$(db 'PRAGMA integrity_check')" 'integrity_check'
	local failures probes
	failures=$(db "SELECT failures FROM service WHERE id = 'down'")
	probes=$(db "SELECT count(*) FROM probe WHERE service = 'down'")
	# each run commits its counters and its probe rows together, or nothing
	assert_eq "$probes" "$failures" 'consecutive failures against recorded probes'

	ii --json check
	assert_rc 1
	svc_is 0 consecutive_failures $((failures + 1))
	assert_eq $((probes + 1)) "$(db "SELECT count(*) FROM probe WHERE service = 'down'")" \
		'recorded probes'
}
