# incluinfo check: how one probe is classified, and what check prints.

# check_one URL [KEY=VALUE...]: one service "sede" on URL, then `--json check`
check_one() {
	local url=$1
	shift
	conf_new
	conf_service sede "$url" "$@"
	ii --json check
}

test_up() {
	conf_new
	conf_service sede "$(web status/200)"
	ii check
	assert_rc 0
	first_line_is '^INCLUINFO OK - '
	ii --json check
	assert_rc 0
	svc_is 0 result up state up reason 'HTTP 200' http_status 200
	assert_json j.status OK
}

test_503_is_down_and_warning_below_threshold() {
	check_one "$(web status/503)"
	assert_rc 1
	assert_json j.status WARNING
	svc_is 0 result down reason 'HTTP 503' http_status 503 consecutive_failures 1 incident null
}

test_unexpected_status_per_expect_status() {
	# 404 is fine when expected; 200 then is not
	check_one "$(web status/404)" expect_status=200,404
	svc_is 0 result up
	check_one "$(web status/200)" expect_status=301-302,404
	svc_is 0 result down reason 'HTTP 200'
}

test_timeout() {
	check_one "$(web "hang?$TEST_NAME")" timeout_ms=500 degraded_ms=400
	assert_rc 1
	svc_is 0 result down reason 'timeout after 500 ms' http_status null
	# a timeout is not retried in the run (retries is for refused or reset connections)
	assert_eq 1 "$(hits "hang?$TEST_NAME")" 'requests to /hang'
}

test_connection_refused_is_down() {
	check_one "$(dead_url)"
	svc_is 0 result down http_status null
	assert_js 'j.services[0].reason.length > 0'
}

test_maintenance_text_with_200() {
	check_one "$(web html/maintenance)" reject_text=mantenimiento
	svc_is 0 result down reason "text 'mantenimiento' found" http_status 200
}

test_reject_text_absent_is_up() {
	check_one "$(web html/ok)" reject_text=mantenimiento
	svc_is 0 result up
}

test_expect_text_present() {
	check_one "$(web html/ok)" 'expect_text=Seguridad Social' expect_text=operativo
	svc_is 0 result up
}

test_expect_text_missing() {
	# each expect_text must be there: the second one is not
	check_one "$(web html/ok)" 'expect_text=Seguridad Social' 'expect_text=Cl@ve caída'
	assert_rc 1
	svc_is 0 result down
	assert_contains "$(json 'j.services[0].reason')" 'Cl@ve caída' reason
}

test_expect_text_is_byte_for_byte() {
	check_one "$(web 'body?text=Ingreso%20M%C3%ADnimo%20Vital')" 'expect_text=ingreso mínimo vital'
	svc_is 0 result down
	check_one "$(web 'body?text=Ingreso%20M%C3%ADnimo%20Vital')" 'expect_text=Ingreso Mínimo Vital'
	svc_is 0 result up
}

test_expect_xpath_match() {
	check_one "$(web html/ok)" "expect_xpath=//div[@id='estado'][text()='operativo']"
	assert_rc 0
	svc_is 0 result up
}

test_expect_xpath_no_match() {
	check_one "$(web html/maintenance)" "expect_xpath=//div[@id='estado'][text()='operativo']"
	assert_rc 1
	svc_is 0 result down
	assert_contains "$(json 'j.services[0].reason')" "//div[@id='estado']" reason
}

test_expect_xpath_sloppy_html() {
	# libxml2's HTML parser copes with unclosed tags and unquoted attributes
	check_one "$(web html/sloppy)" "expect_xpath=//div[@id='estado' and .='operativo']"
	svc_is 0 result up
}

# timed_ii ARGS...: ii ARGS, its wall and CPU seconds (children's included) in $COST
timed_ii() {
	local TIMEFORMAT='%R %U %S'
	{ time ii "$@"; } 2>"$T/.time"
	COST=$(awk '{ print $1, $2 + $3 }' "$T/.time")
}

test_expect_xpath_hostile_page_is_bounded() {
	# issue 13, case 1: one element with thousands of attributes costs libxml2's HTML
	# parser time that grows with their square; the page is judged within 2 s or is down
	local xpath="expect_xpath=//div[@id='estado']" normal hostile
	conf_new
	conf_service sede "$(web heavy/normal/1900)" "$xpath" timeout_ms=3000 degraded_ms=2500
	timed_ii --json check
	svc_is 0 result up
	normal=$COST
	conf_new
	conf_service sede "$(web heavy/attrs/800)" "$xpath" timeout_ms=3000 degraded_ms=2500
	timed_ii --json check
	hostile=$COST
	# a normal page of 2 MiB takes 0.1-0.5 s; the hostile one at most the 2 s limit more
	awk -v n="$normal" -v h="$hostile" 'BEGIN {
		split(n, a); split(h, b)
		exit !(b[1] <= 25 * (a[1] > 0.05 ? a[1] : 0.05) && b[2] <= 25 * (a[2] > 0.05 ? a[2] : 0.05))
	}' || fail "hostile page cost $hostile s (wall, CPU), a normal one $normal s"
	svc_is 0 result down reason "XPath '//div[@id='estado']' not judged: the page was not parsed within 2000 ms"
}

test_slow_is_degraded() {
	check_one "$(web "delay/1500?$TEST_NAME")" degraded_ms=1000 timeout_ms=8000
	assert_rc 1
	assert_json j.status WARNING
	svc_is 0 result degraded state degraded
	assert_match "$(json 'j.services[0].reason')" '^slow: [0-9]+ ms$' reason
	assert_js 'j.services[0].time_ms >= 1500'
	ii check
	first_line_is '^INCLUINFO WARNING - '
}

test_redirects_followed_within_limit() {
	check_one "$(web "redirect/3?$TEST_NAME")" follow_redirects=3
	assert_rc 0
	svc_is 0 result up http_status 200
	assert_eq 1 "$(hits "status/200?$TEST_NAME")" 'requests to the end of the chain'
}

test_redirects_beyond_limit() {
	check_one "$(web "redirect/4?$TEST_NAME")" follow_redirects=3
	assert_rc 1
	svc_is 0 result down
	# the fourth hop is never requested
	assert_eq 0 "$(hits "status/200?$TEST_NAME")" 'requests to the end of the chain'
}

test_redirects_not_followed_with_zero() {
	check_one "$(web redirect/1)" follow_redirects=0
	svc_is 0 result down reason 'HTTP 302'
	check_one "$(web redirect/1)" follow_redirects=0 expect_status=302
	svc_is 0 result up
}

test_retries_reset_connection() {
	# the first attempt is cut without an answer, the in-run retry gets 200
	check_one "$(seq_url flaky reset,200)" retries=1
	svc_is 0 result up
	assert_eq 2 "$(hits "seq/$TEST_NAME-flaky?steps=reset,200")" 'attempts'
	check_one "$(seq_url once reset,200)" retries=0
	svc_is 0 result down
}

test_http_errors_not_retried() {
	check_one "$(web "status/503?$TEST_NAME")" retries=3
	svc_is 0 result down
	assert_eq 1 "$(hits "status/503?$TEST_NAME")" 'attempts'
}

test_head_method() {
	check_one "$(web "status/200?$TEST_NAME")" method=HEAD
	svc_is 0 result up
	assert_eq 1 "$(hits_method HEAD "status/200?$TEST_NAME")" 'HEAD requests'
	assert_eq 0 "$(hits_method GET "status/200?$TEST_NAME")" 'GET requests'
}

test_headers_sent() {
	check_one "$(web echo)" 'header=X-Incluinfo-Test: uno dos' 'header=Accept-Language: es' \
		'expect_text=x-incluinfo-test: uno dos' 'expect_text=accept-language: es'
	svc_is 0 result up
}

test_body_cap_2mib() {
	# text beyond the first 2 MiB is not seen, and reading stops there
	check_one "$(web 'big/3072?head=PRINCIPIO&tail=FINAL')" expect_text=PRINCIPIO
	svc_is 0 result up
	check_one "$(web 'big/3072?tail=FINAL')" expect_text=FINAL
	svc_is 0 result down
	check_one "$(web 'big/1024?tail=FINAL')" expect_text=FINAL
	svc_is 0 result up
}

test_json_shape() {
	conf_new
	conf_service sede "$(web status/503)" 'name=Sede Electrónica de la Seguridad Social'
	conf_service portal "$(web status/200)"
	ii --json check
	assert_rc 1
	assert_json j.status WARNING j.canary none j.services.length 2 \
		'["id", "name", "result", "state", "reason", "http_status", "time_ms",
		  "consecutive_failures", "incident"].every((k) => j.services.every((s) => k in s))' true \
		'j.services.every((s) => Number.isInteger(s.time_ms) && s.time_ms >= 0)' true \
		'j.services.every((s) => Number.isInteger(s.consecutive_failures))' true
	svc_is 0 id sede name 'Sede Electrónica de la Seguridad Social' result down state unknown \
		reason 'HTTP 503' http_status 503 consecutive_failures 1 incident null
	# the name defaults to the id
	svc_is 1 id portal name portal result up state up http_status 200 consecutive_failures 0
}

test_verbose_line_per_service() {
	conf_new
	conf_services 3
	ii -v check
	assert_rc 0
	local id
	for id in s1 s2 s3; do
		assert_eq 1 "$(grep -cE "^${id}[: ]" <<<"$OUT")" "lines of -v output about $id"
	done
	assert_eq 4 "$(wc -l <<<"$OUT")" 'lines of -v output'
}

test_quiet_prints_nothing_when_fine() {
	conf_new
	conf_services 1
	ii -q check
	assert_rc 0
	assert_eq '' "$OUT" stdout
}

test_perfdata() {
	conf_new
	conf_service sede "$(web status/200)" degraded_ms=2500 timeout_ms=7000
	conf_service portal "$(web status/503)"
	ii check
	first_line_is ' \| sede_time=[0-9]+\.[0-9]{3}s;2\.500;7\.000;0 portal_time=[0-9]+\.[0-9]{3}s;3\.000;10\.000;0$'
}

test_summary_names_failing_service() {
	conf_new
	conf_service sede "$(web status/503)" failures_to_open=1
	conf_service portal "$(web status/200)"
	ii check
	assert_rc 2
	first_line_is '^INCLUINFO CRITICAL - .*sede down \(HTTP 503'
}

test_many_services_at_once() {
	# 60 services that each answer after 1 s: probed at the same time, well within the
	# 24 s limit (which, with its retry, fits in run_timeout; one after the other would take a minute)
	conf_new
	local i
	for ((i = 1; i <= 60; i++)); do
		conf_service "s$i" "$(web "delay/1000?$TEST_NAME-$i")" degraded_ms=20000 timeout_ms=24000
	done
	ii --json check
	assert_rc 0
	assert_js 'j.services.length === 60 && j.services.every((s) => s.result === "up")'
}

test_service_option() {
	conf_new
	conf_service a "$(web "status/503?$TEST_NAME-a")"
	conf_service b "$(web "status/200?$TEST_NAME-b")"
	conf_service c "$(web "status/200?$TEST_NAME-c")"
	ii --json check --service b --service c
	assert_rc 0
	assert_json 'j.services.map((s) => s.id).join()' b,c
	assert_eq 0 "$(hits "status/503?$TEST_NAME-a")" 'requests for service a'
	assert_eq "b
c" "$(db 'SELECT id FROM service ORDER BY id')" 'services in the database'
	ii check --service b
	first_line_is ' \| b_time=[^ ]*$'
}

test_service_option_unknown() {
	conf_new
	conf_services 1
	ii check --service nosuch
	assert_rc 3
	err_has "unknown service 'nosuch'"
}

test_dry_run_creates_nothing() {
	conf_new
	conf_service sede "$(web status/503)" failures_to_open=1
	ii --json check --dry-run
	svc_is 0 result down
	[[ ! -e state ]] || fail "--dry-run created the state directory"
}

test_dry_run_changes_nothing() {
	conf_new
	conf_service sede "$(seq_url sede 200,503)" failures_to_open=1
	ii check
	assert_rc 0
	local before
	before=$(db 'SELECT * FROM service; SELECT * FROM probe; SELECT * FROM incident;')
	ii --json check --dry-run
	svc_is 0 result down
	assert_eq "$before" "$(db 'SELECT * FROM service; SELECT * FROM probe; SELECT * FROM incident;')" \
		'database after --dry-run'
	# the real run afterwards still starts from the stored state
	ii --json check
	assert_rc 2
	svc_is 0 consecutive_failures 1
}

test_no_services() {
	conf_new
	ii check
	assert_rc 3
	first_line_is '^INCLUINFO UNKNOWN'
}

test_state_dir_created_0700() {
	conf_new
	conf_services 1
	ii check
	assert_rc 0
	assert_eq 700 "$(stat -c %a state)" 'mode of state_dir'
	[[ -f $DB_FILE ]] || fail "no database at $DB_FILE"
}

test_unwritable_state_dir_is_unknown() {
	# state_dir below a regular file cannot be created
	touch blocker
	conf_new state_dir=blocker/state
	conf_services 1
	ii check
	assert_rc 3
	first_line_is '^INCLUINFO UNKNOWN'
	assert_match "$ERR" '^incluinfo: error: ' stderr
}

test_corrupt_database_is_unknown() {
	conf_new
	conf_services 1
	mkdir -m 700 state
	printf 'not a database\n%.0s' {1..200} >"$DB_FILE"
	ii check
	assert_rc 3
	first_line_is '^INCLUINFO UNKNOWN'
	err_has 'incluinfo: error: '
}

test_history_days_prunes_probes() {
	conf_new history_days=5
	conf_service sede "$(web status/200)"
	ii check
	assert_rc 0
	# two older probes put straight into the history: 10 days old and 3 days old
	local day=86400 now
	now=$(date +%s)
	sqlite3 "$DB_FILE" "INSERT INTO probe (service, at, result, reason) VALUES
		('sede', $((now - 10 * day)), 'up', 'HTTP 200'), ('sede', $((now - 3 * day)), 'up', 'HTTP 200')" ||
		fail 'cannot add probes to the history'
	ii check
	assert_rc 0
	assert_eq 0 "$(db "SELECT count(*) FROM probe WHERE at < $((now - 5 * day))")" 'probes older than 5 days'
	assert_eq 1 "$(db "SELECT count(*) FROM probe WHERE at = $((now - 3 * day))")" 'the probe of 3 days ago'
	assert_eq 3 "$(db "SELECT count(*) FROM probe")" 'probes kept'
}

# up_count: how many services of the last --json check came back `up`
up_count() {
	json 'j.services.filter((s) => s.result === "up").length' "$OUT"
}

# With the usual soft limit of open files far below what the probes need, check raises
# it towards the hard limit: 150 services still all come back up.
test_check_raises_open_file_limit() {
	conf_new
	local i
	for ((i = 1; i <= 150; i++)); do
		conf_service "s$i" "$(web "status/200?$i")"
	done
	ulimit -Sn 64 || fail 'cannot lower the soft limit of open files'
	ii --json check
	assert_rc 0
	assert_eq 150 "$(up_count)" 'services up'
}

# When even the hard limit is too low, the probes wait for a free connection slot rather
# than fail, and the wait does not count against a probe's timeout: 150 probes of 300 ms
# through a dozen slots take longer than each one's 2,000 ms timeout, and all are up.
test_check_queues_probes_beyond_open_file_limit() {
	conf_new
	local i
	for ((i = 1; i <= 150; i++)); do
		conf_service "s$i" "$(web "delay/300?$TEST_NAME$i")" timeout_ms=2000 degraded_ms=1900
	done
	ulimit -n 64 || fail 'cannot lower the limit of open files'
	local start=$SECONDS
	ii --json check
	assert_rc 0
	assert_eq 150 "$(up_count)" 'services up'
	assert_js "$((SECONDS - start)) >= 3" 'the probes waited for slots (a run of at least 3 s)'
}

# --- a fault of this host is not an outage -------------------------------------------------

test_host_trust_store_fault_is_unknown() {
	conf_new
	# the test CA is not among the system's: every service fails verification alike
	conf_service sede "$(tls_url good status/200)" failures_to_open=1
	conf_service portal "https://localhost:$PORT_GOOD/status/200" failures_to_open=1
	conf_canary "$(web status/200)"
	ii check
	assert_rc 3
	first_line_is '^INCLUINFO UNKNOWN - monitor host fault, not an outage: every service fails on certificate verification against the local trust store \(tls error: SSL certificate problem: unable to get local issuer certificate\)'
	err_has 'incluinfo: error: monitor host fault, not an outage'
	[[ ! -e $T/$DB_FILE ]] || assert_eq 0 "$(db 'SELECT count(*) FROM incident')" 'incidents'
	ii --json check
	assert_json j.status UNKNOWN 'j.services[0].state' null
	assert_contains "$(json j.reason)" 'local trust store' reason
	# run: nothing opened either, and the staff read why on stderr
	ii run
	assert_rc 69
	err_has 'every service fails on certificate verification against the local trust store'
	assert_eq 0 "$(db 'SELECT count(*) FROM incident')" 'incidents'
	assert_eq '' "$(db "SELECT id FROM service WHERE state = 'down'")" 'services down'
	# with the CA given once for every service, both are up
	conf_new "ca_file=$CERTS/ca.pem"
	conf_service sede "$(tls_url good status/200)"
	conf_service portal "https://localhost:$PORT_GOOD/status/200"
	ii check
	assert_rc 0
}

# Review of issue 12, 5: a host fault is a condition of run: one line when it starts, none
# while it lasts (cron would mail every minute), listed by status, one line when it ends
test_host_fault_is_a_condition_said_once() {
	mkdir -p "$T/notices"
	conf_new
	conf_service sede "$(tls_url good status/200)"
	conf_service portal "https://localhost:$PORT_GOOD/status/200"
	INCLUINFO_NOW=1764000000 ii run
	assert_rc 69
	assert_match "$ERR" '^incluinfo: error: monitor host fault, not an outage: every service fails on certificate verification' stderr
	assert_eq 1 "$(wc -l <<<"$ERR")" 'lines on stderr'
	INCLUINFO_NOW=1764000060 ii run
	assert_rc 69
	assert_eq '' "$OUT$ERR" 'output of the next run'
	INCLUINFO_NOW=1764000060 ii status
	assert_match "$OUT" 'condition +monitor host fault, not an outage' stdout
	conf_new "ca_file=$CERTS/ca.pem"
	conf_service sede "$(tls_url good status/200)"
	conf_service portal "https://localhost:$PORT_GOOD/status/200"
	INCLUINFO_NOW=1764000600 ii run
	assert_rc 0
	assert_eq "incluinfo: notice: the monitor host's fault is gone after 10 min" "$ERR" 'stderr when it ended'
}

test_one_bad_certificate_is_the_services_fault() {
	conf_new
	# the others verify: this one's chain is its own problem
	conf_service sede "$(tls_url good status/200)" failures_to_open=1
	conf_service portal "$(tls_url good status/200)" "ca_file=$CERTS/ca.pem"
	ii --json check
	assert_rc 2
	assert_json 'j.services[0].state' down 'j.services[1].state' up
	# a self-signed leaf is the server's, even when it is the only service
	conf_new
	conf_service sede "$(tls_url selfsigned status/200)" failures_to_open=1
	ii --json check
	assert_rc 2
	svc_is 0 state down
}

test_host_dns_fault_is_unknown_unless_a_canary_resolved() {
	conf_new
	conf_service sede "https://sede.$TEST_NAME.invalid/" failures_to_open=1
	conf_service portal "https://portal.$TEST_NAME.invalid/" failures_to_open=1
	ii check
	assert_rc 3
	first_line_is '^INCLUINFO UNKNOWN - monitor host fault, not an outage: every service fails on DNS resolution'
	err_has 'DNS resolution'
	# a canary that resolved its name shows the resolver works: the names are at fault
	conf_canary "http://localhost:$PORT_HTTP/status/200"
	ii --json check
	assert_rc 2
	assert_json 'j.services[0].state' down 'j.services[1].state' down
}

test_host_without_route_is_unknown() {
	conf_new
	# documentation addresses: no route leads there (ENETUNREACH, or EHOSTUNREACH from the
	# gateway), unless this host's network drops the packets silently (then a timeout)
	conf_service sede 'https://[2001:db8::1]/' failures_to_open=1 retries=0 timeout_ms=5000
	conf_service portal 'https://[2001:db8::2]/' failures_to_open=1 retries=0 timeout_ms=5000
	ii check
	[[ $OUT == *timeout* ]] && return
	assert_rc 3
	first_line_is 'every service fails on no route to the network'
}

# --- compressed pages ----------------------------------------------------------------------

test_gzip_page_is_read_decoded() {
	check_one "$(web gzip/ok)" expect_text=operativo "expect_xpath=//div[@id='estado']"
	assert_rc 0
	svc_is 0 result up
	check_one "$(web gzip/maintenance)" reject_text=mantenimiento 'header=Accept-Encoding: gzip'
	svc_is 0 result down reason "text 'mantenimiento' found"
	check_one "$(web gzip/ok)" expect_text=operativo 'header=Accept-Encoding: gzip'
	svc_is 0 result up
}

test_gzip_bomb_is_cut_at_2_mib_decoded() {
	# 1 MiB decoded: all of it is read
	check_one "$(web 'gzip-big/1024?tail=operativo')" expect_text=operativo
	svc_is 0 result up
	# 64 MiB decoded from 64 KiB sent: reading stops at 2 MiB, the tail is never seen
	check_one "$(web 'gzip-big/65536?tail=operativo')" expect_text=operativo
	svc_is 0 result down reason "text 'operativo' not found"
	check_one "$(web 'gzip-big/65536?tail=mantenimiento')" reject_text=mantenimiento
	svc_is 0 result up
}

# --- the plugin line and the terminal ------------------------------------------------------

test_pipe_in_reason_stays_out_of_perfdata() {
	check_one "$(web html/ok)" "expect_xpath=//form[@id='acceso'] | //div[@id='login']"
	ii check
	assert_rc 1
	local line=${OUT%%$'\n'*}
	# one '|' only: the one before the performance data
	assert_eq 1 "$(tr -cd '|' <<<"$line" | wc -c)" "'|' in the plugin line"
	assert_contains "$line" "XPath '//form[@id='acceso'] ¦ //div[@id='login']' matched nothing" 'plugin line'
	assert_match "$line" '\| sede_time=[0-9.]+s;3\.000;10\.000;0$' 'performance data'
}

# Review of issue 12, 6: the long output of -v is read by the monitoring system too: no
# line but the plugin line's performance data carries a '|'
test_pipe_in_reason_stays_out_of_the_verbose_lines() {
	conf_new
	conf_service sede "$(web html/ok)" "expect_xpath=//form[@id='acceso'] | //div[@id='nada']" \
		failures_to_open=1
	ii -v check
	assert_rc 2
	assert_eq 1 "$(tr -cd '|' <<<"$OUT" | wc -c)" "'|' in the whole output"
	assert_contains "$OUT" $'\nsede: down (XPath \'//form[@id=\'acceso\'] ¦ //div[@id=\'nada\']\' matched nothing)' '-v line'
	assert_contains "$OUT" "confirmed down since" 'transition line'
}

test_control_characters_never_reach_the_terminal() {
	check_one "$(web html/ok)" $'expect_text=\e[2J\e]0;pwned\a'
	for args in check '-v check' status '-v run'; do
		# shellcheck disable=SC2086
		ii $args
		[[ $OUT != *$'\e'* && $OUT != *$'\a'* ]] || fail "control characters in '$args': $(cat -v <<<"$OUT")"
	done
	assert_contains "$OUT" "text '?[2J?]0;pwned?' not found" 'run -v'
}
