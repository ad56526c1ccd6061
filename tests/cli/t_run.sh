# run, the cron cycle: one report of its own steps (check, notices, publish), silent when
# all is well. No X account here: nothing it drafts is due without approval.

# setup_run: a failing service that opens an incident at once, and one valid notice; what
# they draft waits for review
setup_run() {
	conf_new notices_dir=notices "$@"
	conf_service sede "$(web status/503)" failures_to_open=1
	conf_raw '[policy]' 'incidents = review'
	mkdir -p "$T/notices"
	cp "$root/notices/aviso-cita-previa.md" "$T/notices/cita.md"
}

test_run_json_is_one_report_of_its_steps() {
	setup_run
	ii --json run
	assert_rc 0
	# one object, not one per nested command
	assert_json 'Object.keys(j).join()' 'check,notices,publish' \
		'j.check.status' CRITICAL 'j.check.services[0].id' sede \
		'j.check.services[0].state' down 'j.check.services[0].transition' opened \
		'/^[0-9a-f-]{36}$/.test(j.check.services[0].incident)' true \
		'j.notices.new.map(x => x.file).join()' cita.md \
		'j.publish.published.length' 0 'j.publish.failed.length' 0
	assert_eq "$(db "SELECT uuid FROM draft WHERE source = 'cita.md'")" \
		"$(json 'j.notices.new[0].draft')" 'the notice draft in the report'
	ii --json run
	assert_json 'j.check.services[0].transition' null 'j.notices.new.length' 0 \
		'j.notices.unchanged.map(x => x.file).join()' cita.md
}

test_run_quiet_unless_verbose() {
	setup_run
	ii run
	assert_rc 0
	# what waits for a person is said once, when it starts waiting: cron mails it
	assert_match "$OUT" '^waiting for approval: [0-9a-f]{8} "sede: alerta" \(incluinfo show [0-9a-f]{8}\)
waiting for approval: [0-9a-f]{8} "Cómo pedir cita previa en un CAISS" \(incluinfo show [0-9a-f]{8}\)$' \
		'output of a run that found an outage and a notice'
	assert_eq '' "$ERR" 'stderr of that run'
	ii run
	assert_eq '' "$OUT$ERR" 'output of a run that found nothing new'
	ii -q run
	assert_eq '' "$OUT$ERR" 'output of run -q'
	# -v: what check -v and notices would say, in that order
	rm -rf "$T/state"
	ii -v run
	assert_rc 0
	first_line_is '^INCLUINFO CRITICAL - sede down \(HTTP 503, 1 check\)'
	out_has 'sede: confirmed down since '
	assert_match "$(grep -A1 '^new draft' <<<"$OUT")" "^new draft [0-9a-f]{8} from 'cita.md'
waiting for approval: " 'the notices step, then what waits'
	assert_match "${OUT##*$'\n'}" '^waiting for approval: [0-9a-f]{8} "Cómo pedir' 'last line'
}

test_run_reports_broken_templates_once() {
	setup_run templates_dir=plantillas
	mkdir -p "$T/plantillas"
	ii run
	# the check could not draft, so it could not judge
	assert_rc 69
	assert_eq 1 "$(grep -c 'plantillas/alerta.txt: error: cannot read the template' <<<"$ERR")" \
		'reports of the missing template'
	assert_eq '' "$OUT" stdout
	# nothing was judged or drafted
	assert_eq 0 "$(db 'SELECT count(*) FROM draft')" drafts
	assert_eq 0 "$(db 'SELECT count(*) FROM probe')" probes
}

# run_timeout: a step that ends after it is the last, said in one line, once per change.
# Every probe fits in run_timeout (config refuses one that does not), but judging the
# XPath of a hostile page takes up to 2 s more: the check step ends after run_timeout.
# hold_store SECONDS: another writer holds the state database for SECONDS (a second host's
# long transaction, say): a run's check waits for it (SQLite's busy timeout)
hold_store() {
	(printf 'BEGIN IMMEDIATE;\n'; sleep "$1"; printf 'COMMIT;\n') | sqlite3 -batch "$T/$DB_FILE" &
	local _
	for _ in $(seq 50); do
		sqlite3 -batch "$T/$DB_FILE" 'BEGIN IMMEDIATE; COMMIT;' 2>/dev/null || return 0
		sleep 0.05
	done
	fail 'the store was never held'
}

test_run_timeout_stops_between_steps_and_says_so_once() {
	mkdir -p "$T/notices"
	cp "$root/notices/aviso-cita-previa.md" "$T/notices/cita.md"
	conf_new notices_dir=notices run_timeout=2
	conf_service sede "$(web status/200)" timeout_ms=500 degraded_ms=400 retries=0
	INCLUINFO_NOW=1763999940 ii check
	assert_rc 0
	# the check step waits 3 s for the store: past run_timeout
	hold_store 3
	INCLUINFO_NOW=1764000000 ii run
	assert_rc 75
	assert_eq 'incluinfo: error: run stopped: run_timeout (2 s) passed during the check step; the next run resumes' \
		"$ERR" 'stderr of a run that ran out of time'
	# the check's findings are kept, the notices wait for the next run
	assert_eq 2 "$(db 'SELECT count(*) FROM probe')" probes
	assert_eq 0 "$(db 'SELECT count(*) FROM draft')" drafts
	wait
	hold_store 3
	INCLUINFO_NOW=1764000060 ii run
	assert_rc 75
	assert_eq '' "$OUT$ERR" 'output of the second run out of time'
	wait
	INCLUINFO_NOW=1764000060 ii status
	assert_match "$OUT" 'condition +run stopped: run_timeout \(2 s\) passed during the check step' stdout
	INCLUINFO_NOW=1764000600 ii run
	assert_rc 0
	assert_eq 'incluinfo: notice: runs finish within run_timeout again after 10 min' "$ERR" 'stderr when it ended'
	assert_eq 1 "$(db "SELECT count(*) FROM draft WHERE source = 'cita.md'")" 'the notice, drafted at last'
}

# the pages of expect_xpath, judged one after another, must fit in run_timeout too
test_xpath_pages_must_fit_in_run_timeout() {
	conf_new run_timeout=4
	local i
	for i in 1 2; do
		conf_service "s$i" "$(web status/200)" "expect_xpath = //p" timeout_ms=500 degraded_ms=400 retries=0
	done
	ii config
	assert_rc 78
	assert_contains "$ERR" 'the 2 services with expect_xpath cannot be judged within run_timeout (4 s): the slowest probe + 2 × 2000 ms + 1000 ms = 5500 ms is over 4000 ms'
}

# a step that outlasts run_timeout by its grace is stopped where it is, in one line: here
# publishing, as X holds every post back for 20 s
test_run_timeout_backstop_names_the_step() {
	x_start
	conf_new notices_dir=notices run_timeout=2
	conf_service sede "$(web status/200)" timeout_ms=1000 degraded_ms=900 retries=0
	conf_raw '[policy]' 'notices = auto'
	conf_twitter
	conf_raw '[feeds]' 'base_url = https://www.seg-social.es/feeds/'
	mkdir -p "$T/notices"
	thread_notice 1 cita.md
	x_post /_fault '{"kind":"delay","ms":20000,"match":"POST /2/tweets"}' >/dev/null
	ii run
	assert_rc 75
	assert_eq 'incluinfo: error: run stopped in the publish step, 2 s after run_timeout (2 s); the next run resumes' \
		"$ERR" 'stderr of a run stopped by its backstop'
}
