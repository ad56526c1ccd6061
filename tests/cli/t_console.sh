# The review console, `incluinfo serve` (issue 15, README "The review console"): its
# refusals without a browser, and tests/cli/console.js driving headless Chromium through
# a stand-in for the sign-in proxy. serve listens on 127.0.0.1 and believes only
# 127.0.0.2, where the test's proxies connect from, so a direct request is a forgery.

NOTICES=notices
TITLE='<script>alert("x")</script> & <b>Cita</b> previa'

# console_conf PORT: Lucía writes and approves (web login lucia), Ana approves (ana), Javier
# runs incidents (the account games); the two-person rule on
console_conf() {
	unset SUDO_USER SUDO_UID SUDO_GID SUDO_COMMAND
	conf_new "notices_dir=$NOTICES"
	conf_service sede "$(web status/200)" 'name=Sede Electrónica' 'in_sentence=la Sede Electrónica'
	conf_raw '[policy]' 'notices = review' 'two_person = true' \
		'[person lmartin]' 'name = Lucía Martín' 'web_login = lucia' 'roles = author approver' \
		'[person agil]' 'name = Ana Gil' 'web_login = ana' 'roles = approver' \
		'[person jgarcia]' 'name = Javier García' 'os_users = games' 'roles = operator' \
		'[serve]' "listen = 127.0.0.1:$1" 'proxies = 127.0.0.2'
}

# notice TEXT: notices/cita.md by Lucía, with markup in its title, turned into a draft
notice() {
	mkdir -p "$T/$NOTICES"
	printf -- "---\ntipo: aviso\ntitulo: '%s'\nautor: Lucía Martín\n---\n%s\n" "$TITLE" "$1" \
		>"$T/$NOTICES/cita.md"
	ii notices
	[[ $RC == 0 ]] || fail "notices failed: $ERR"
}

free_port() {
	node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => {
		console.log(s.address().port); s.close(); })'
}

# start_serve PORT: incluinfo serve in the background until it says it listens
start_serve() {
	"$INCLUINFO" -c "$CONF" serve >"$T/serve.out" 2>"$T/serve.err" </dev/null &
	SERVE_PID=$!
	for _ in $(seq 100); do
		grep -q 'listens on' "$T/serve.out" 2>/dev/null && return
		kill -0 "$SERVE_PID" 2>/dev/null || fail "serve ended: $(cat "$T/serve.err")"
		sleep 0.1
	done
	fail 'serve did not start listening within 10 s'
}

# stop_serve: SIGTERM, and serve must end cleanly, at once
stop_serve() {
	kill -TERM "$SERVE_PID"
	local i
	for i in $(seq 50); do
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$SERVE_PID" 2>/dev/null && fail 'serve still runs 5 s after SIGTERM'
	wait "$SERVE_PID"
	RC=$?
	[[ $RC == 0 ]] || fail "serve exited $RC after SIGTERM: $(cat "$T/serve.err")"
}

# curl_as LOGIN ARGS...: a request from the proxy address, as LOGIN; prints the status
curl_as() {
	local login=$1
	shift
	curl -s -o "$T/page.html" -w '%{http_code}' --interface 127.0.0.2 -H "X-Remote-User: $login" "$@"
}

test_console_in_a_browser() {
	[[ -x /usr/bin/chromium ]] || fail 'no /usr/bin/chromium: run tests/deps.sh'
	local port id
	port=$(free_port)
	console_conf "$port"
	notice 'Pide cita en la sede.'
	notice 'Pide cita previa en la sede electrónica, sin esperas.'
	id=$(db "SELECT uuid FROM draft WHERE source = 'cita.md'")
	SUDO_USER=games SUDO_UID=$(id -u games) ii incident open --scope 'Oficinas de Madrid' \
		--message 'Cerradas por obras.'
	[[ $RC == 0 ]] || fail "incident open failed: $ERR"
	start_serve
	local shots=$CLI_DIR/../../build/console-screenshots
	rm -rf "$shots"
	node "$CLI_DIR/console.js" "http://127.0.0.1:$port" "$id" "$shots" >"$T/browser.out" 2>&1 ||
		fail "in the browser:
$(cat "$T/browser.out")"
	local page
	for page in drafts draft draft-refused draft-approved incidents services; do
		[[ -s $shots/$page.png ]] || fail "no screenshot $page.png"
	done
	[[ $(db "SELECT status FROM draft WHERE uuid = '$id'") == approved ]] || fail 'not approved'
	[[ $(db "SELECT person || ' ' || identified_by FROM audit WHERE action = 'approved' AND draft = '$id'") == 'agil web login ana' ]] ||
		fail 'the approval is not audited as Ana through her web login'
	stop_serve
}

test_serve_refuses_what_the_cli_refuses() {
	local port id status
	port=$(free_port)
	console_conf "$port"
	notice 'Pide cita en la sede.'
	id=$(db "SELECT uuid FROM draft WHERE source = 'cita.md'")
	conf_raw '[person pmoral]' 'name = Pedro Moral' 'web_login = pedro' 'roles = author'
	start_serve
	# the cookie and token of Pedro's page, then his approval: he lacks the approver role
	curl_as pedro -c "$T/jar" "http://127.0.0.1:$port/drafts/$id" >/dev/null
	local token
	token=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/page.html" | head -n 1 | cut -d'"' -f4)
	[[ -n $token ]] || fail "no CSRF token on the page: $(head -c 300 "$T/page.html")"
	status=$(curl_as pedro -b "$T/jar" -d "csrf=$token" "http://127.0.0.1:$port/drafts/$id/approve")
	[[ $status == 403 ]] || fail "an author without the approver role approved: $status"
	grep -q 'approver' "$T/page.html" || fail 'the refusal does not name the role'
	# a body over the cap is refused, whatever it holds
	status=$(curl_as pedro -b "$T/jar" --data-binary "csrf=$token&reason=$(head -c 20000 /dev/zero | tr '\0' a)" \
		"http://127.0.0.1:$port/drafts/$id/reject")
	[[ $status == 413 ]] || fail "a 20 kB form: $status, expected 413"
	[[ $(db "SELECT status FROM draft WHERE uuid = '$id'") == pending ]] || fail 'the draft changed'
	# a page that does not exist, and a change asked with GET
	status=$(curl_as ana "http://127.0.0.1:$port/nothing")
	[[ $status == 404 ]] || fail "an unknown page: $status"
	status=$(curl_as ana "http://127.0.0.1:$port/drafts/$id/reject")
	[[ $status == 405 ]] || fail "GET of reject: $status"
	stop_serve
}

# A rejection's reason is kept as written or refused, never cut or altered: a browser's
# line breaks (CR LF) are the CLI's, a reason over the cap is refused rather than dropped,
# and a control character is refused as reject --reason refuses it.
test_serve_keeps_a_reason_as_written_or_refuses_it() {
	local port id status token
	port=$(free_port)
	console_conf "$port"
	notice 'Pide cita en la sede.'
	id=$(db "SELECT uuid FROM draft WHERE source = 'cita.md'")
	start_serve
	curl_as ana -c "$T/jar" "http://127.0.0.1:$port/drafts/$id" >/dev/null
	token=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/page.html" | head -n 1 | cut -d'"' -f4)
	status=$(curl_as ana -b "$T/jar" --data-urlencode "csrf=$token" \
		--data-urlencode "reason=$(head -c 2100 /dev/zero | tr '\0' x)ñ" "http://127.0.0.1:$port/drafts/$id/reject")
	[[ $status == 413 ]] || fail "a reason of 2102 bytes, over the cap: $status, expected 413"
	status=$(curl_as ana -b "$T/jar" --data-urlencode "csrf=$token" \
		--data-urlencode "reason=$(printf 'Falta \033[31mla fuente')" "http://127.0.0.1:$port/drafts/$id/reject")
	[[ $status == 400 ]] || fail "a reason with ESC: $status, expected 400"
	grep -q 'U+001B' "$T/page.html" || fail 'the refusal does not name the character'
	[[ $(db "SELECT status FROM draft WHERE uuid = '$id'") == pending ]] || fail 'a refused reason rejected the draft'
	status=$(curl_as ana -b "$T/jar" --data-urlencode "csrf=$token" \
		--data-urlencode "reason=$(printf 'Falta la fuente.\r\nRevisa el enlace.')" "http://127.0.0.1:$port/drafts/$id/reject")
	[[ $status == 303 ]] || fail "a reason of two lines: $status, expected 303"
	assert_eq "$(printf 'Falta la fuente.\nRevisa el enlace.')" \
		"$(db "SELECT detail FROM audit WHERE action = 'rejected'")" 'the reason in the audit trail'
	stop_serve
	# the command line refuses what the console refuses
	SUDO_USER=games SUDO_UID=$(id -u games) ii reject "$id" --reason "$(printf 'a\033[2Jb')"
	assert_rc 65
	err_has "invalid value for '--reason': control character U+001B"
}

# A proxy that adds its header after the one the client sent leaves two: neither is
# believed, since the first would be the client's.
test_serve_refuses_two_user_headers() {
	local port status
	port=$(free_port)
	console_conf "$port"
	start_serve
	status=$(curl_as ana "http://127.0.0.1:$port/")
	[[ $status == 200 ]] || fail "Ana through the proxy: $status"
	status=$(curl_as lucia -H 'X-Remote-User: ana' "http://127.0.0.1:$port/")
	[[ $status == 403 ]] || fail "two X-Remote-User headers: $status, expected 403"
	status=$(curl_as ana -H 'x-remote-user: ana' "http://127.0.0.1:$port/")
	[[ $status == 403 ]] || fail "the header twice, spelt in two cases: $status, expected 403"
	stop_serve
}

test_serve_needs_someone_with_a_web_login() {
	conf_new
	conf_raw '[person jgarcia]' 'name = Javier García' 'os_users = games' 'roles = operator'
	ii serve
	[[ $RC == 78 ]] || fail "serve without web logins: exit $RC, expected 78"
	[[ $ERR == *"web_login"* ]] || fail "the error does not say what is missing: $ERR"
}
