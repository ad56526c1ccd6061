# Helpers shared by the command-line tests (sourced by run.sh, never run on its own).
#
# Every test runs in a subshell whose working directory is its own fresh folder $T, with
# TEST_NAME set and CONF=$T/incluinfo.conf (where conf_new writes). run.sh exports
# INCLUINFO (the binary), CLI_DIR, CERTS (the output of tests/fakes/mkcerts.sh), PORT_HTTP,
# PORT_GOOD, PORT_EXPIRING, PORT_SELFSIGNED, PORT_WRONGHOST (the listeners of the shared
# tests/fakes/web.js) and DEAD_PORT (where nothing listens).
#
# A failed assertion writes its reason to $T/.reason and exits the test. Inside $(...) the
# exit only leaves the command substitution, but the reason is kept and the test still
# counts as failed.

RUN_TIMEOUT=${RUN_TIMEOUT:-30} # seconds any one command may take before it is killed

# The tests read the English messages whatever the caller's locale (t_i18n.sh sets its
# own): C, in its UTF-8 form, in which bash's printf '\u0301' still writes UTF-8.
export LC_ALL=C.UTF-8
unset LANGUAGE

# --- failing ------------------------------------------------------------------------------

# the first lines of a file, indented, for failure reports
excerpt() {
	if [[ -s $1 ]]; then
		head -n 15 "$1" | sed 's/^/    /'
	else
		echo '    (empty)'
	fi
}

fail() { # fail MESSAGE: ends the test, reporting MESSAGE and the last command run
	{
		printf '%s\n' "$*"
		if [[ -n ${LAST_CMD-} ]]; then
			printf 'last command: %s\nexit status: %s\nstdout:\n' "$LAST_CMD" "${RC-}"
			excerpt "$T/.out"
			echo 'stderr:'
			excerpt "$T/.err"
		fi
	} >>"$T/.reason"
	exit 1
}

# --- running the binary -------------------------------------------------------------------

# run ARGS...: runs the binary; sets RC, OUT and ERR (also kept in $T/.out and $T/.err).
# Crashes, sanitizer reports and hangs fail the test whatever it expected.
# RUN_STDOUT=FILE sends standard output there instead (/dev/full, say); RUN_STDIN=FILE
# reads standard input from FILE instead of /dev/null.
run() {
	LAST_CMD="incluinfo $*"
	: >"$T/.out"
	timeout -k 5 "$RUN_TIMEOUT" "$INCLUINFO" "$@" >"${RUN_STDOUT:-$T/.out}" 2>"$T/.err" <"${RUN_STDIN:-/dev/null}"
	RC=$?
	OUT=$(<"$T/.out")
	ERR=$(<"$T/.err")
	if ((RC == 124)); then
		fail "did not finish within ${RUN_TIMEOUT} s"
	elif ((RC >= 128)); then
		fail "killed by signal $((RC - 128))"
	elif grep -qE 'runtime error:|Sanitizer|LeakSanitizer' "$T/.err"; then
		fail 'sanitizer report on stderr'
	fi
}

ii() { # ii ARGS...: run with -c $CONF
	run -c "$CONF" "$@"
}

# bg_check PIDVAR [ARGS...]: starts `incluinfo -c $CONF check ARGS` in the background,
# straight from this shell (so that its pid is the binary's own), stores its pid in PIDVAR.
# Its output goes to $T/.bg.out and $T/.bg.err. run.sh kills whatever is left of it after
# the test, as it kills everything the test started.
bg_check() {
	local -n pid_ref=$1
	shift
	"$INCLUINFO" -c "$CONF" check "$@" >"$T/.bg.out" 2>"$T/.bg.err" </dev/null &
	pid_ref=$!
}

bg_wait() { # bg_wait PID: waits for a bg_check; sets RC to its exit status
	wait "$1"
	RC=$?
}

bg_kill() { # bg_kill PID: kill -9 of a bg_check, and waits for it
	kill -9 "$1" 2>/dev/null
	bg_wait "$1" 2>/dev/null
}

# as ACCOUNT ARGS...: runs incluinfo -c $CONF ARGS as the account, through sudo's variables
as() {
	local account=$1 uid
	shift
	uid=$(id -u "$account") || fail "no account '$account'"
	SUDO_USER=$account SUDO_UID=$uid ii "$@"
}

# needs_root: whether the test may stand in for people through sudo's variables (else it
# says it is skipped)
needs_root() {
	[[ $(id -u) -eq 0 ]] && return 0
	echo 'skipped: the callers are simulated through sudo, which needs root'
	return 1
}

# --- configuration ------------------------------------------------------------------------

kv() { # kv KEY=VALUE...: "KEY = VALUE" lines (the value may hold '=')
	local pair
	for pair in "$@"; do
		printf '%s = %s\n' "${pair%%=*}" "${pair#*=}"
	done
}

# conf_new [KEY=VALUE...]: a fresh $CONF whose [general] holds the pairs given, and
# state_dir = state (the test's own) unless state_dir is among them
conf_new() {
	local defaults=(state_dir=state)
	[[ " $* " == *" state_dir="* ]] && defaults=()
	mkdir -p "$(dirname "$CONF")"
	{
		echo '; written by tests/cli/lib.sh'
		echo '[general]'
		kv "${defaults[@]}" "$@"
	} >"$CONF"
}

conf_service() { # conf_service ID URL [KEY=VALUE...]
	local id=$1 url=$2
	shift 2
	{
		printf '\n[service %s]\n' "$id"
		kv "url=$url" "$@"
	} >>"$CONF"
}

conf_services() { # conf_services N [PATH]: services s1..sN on the fake server's PATH
	local i
	for ((i = 1; i <= $1; i++)); do
		conf_service "s$i" "$(web "${2:-status/200}")"
	done
}

conf_canary() { # conf_canary URL...
	{
		printf '\n[canary]\n'
		kv "${@/#/url=}"
	} >>"$CONF"
}

conf_raw() { # conf_raw LINE...: appends lines as they are
	printf '%s\n' "$@" >>"$CONF"
}

# --- the fake web server ------------------------------------------------------------------

web() { # web PATH: the plain HTTP URL of PATH
	echo "http://127.0.0.1:$PORT_HTTP/${1#/}"
}

tls_url() { # tls_url LISTENER PATH: good, expiring, selfsigned or wronghost
	local var=PORT_${1^^}
	echo "https://127.0.0.1:${!var}/${2#/}"
}

# seq_url NAME STEPS: a /seq/ URL whose counter belongs to this test alone
seq_url() {
	web "seq/$TEST_NAME-$1?steps=$2"
}

dead_url() { # a loopback URL where nothing listens: connection refused
	echo "http://127.0.0.1:$DEAD_PORT/"
}

# server_count TABLE KEY: a request count from the fake server's /_stats
server_count() {
	node -e '
		const http = require("http");
		http.get({ host: "127.0.0.1", port: process.argv[1], path: "/_stats" }, (res) => {
			let body = "";
			res.on("data", (d) => (body += d));
			res.on("end", () => console.log(JSON.parse(body)[process.argv[2]][process.argv[3]] || 0));
		}).on("error", (e) => { console.error(e.message); process.exit(1); });
	' "$PORT_HTTP" "$1" "$2"
}

# hits TARGET: how many requests the fake server got for TARGET (path and query, exactly)
hits() {
	server_count urls "/${1#/}"
}

hits_method() { # hits_method METHOD TARGET
	server_count methods "$1 /${2#/}"
}

# --- JSON and the database ----------------------------------------------------------------

# The JavaScript that json and assert_json run: j is the parsed JSON, show(v) the text of
# a value (strings as they are, anything else as JSON: "null", "undefined", "3").
JS_PRELUDE='
	let j;
	try { j = JSON.parse(process.env.JSON_TEXT); } catch (e) {
		console.log(`not JSON (${e.message})`); process.exit(2);
	}
	const show = (v) => (typeof v === "string" ? v : v === undefined ? "undefined" : JSON.stringify(v));
'

# json EXPR [TEXT]: the value of the JavaScript expression EXPR over j = JSON.parse(TEXT)
# (default $OUT), shown as above
json() {
	local value
	value=$(JSON_TEXT=${2-$OUT} node -e "$JS_PRELUDE"'console.log(show(eval(process.argv[1])))' "$1" 2>&1) ||
		fail "json '$1': $value"
	printf '%s\n' "$value"
}

# assert_json EXPR EXPECTED [EXPR EXPECTED...]: each expression over the JSON on stdout
# ($OUT) shows as EXPECTED (one node process for them all)
assert_json() {
	local problems
	problems=$(JSON_TEXT=$OUT node -e "$JS_PRELUDE"'
		const a = process.argv.slice(1);
		for (let i = 0; i + 1 < a.length; i += 2) {
			let got;
			try { got = show(eval(a[i])); } catch (e) { got = `(${e.message})`; }
			if (got !== a[i + 1]) console.log(`${a[i]}: expected \x27${a[i + 1]}\x27, got \x27${got}\x27`);
		}
	' "$@" 2>&1)
	[[ -z $problems ]] || fail "$problems"
}

# svc_is INDEX FIELD EXPECTED [FIELD EXPECTED...]: fields of services[INDEX] on stdout
svc_is() {
	local index=$1 pairs=()
	shift
	while (($# >= 2)); do
		pairs+=("j.services[$index].$1" "$2")
		shift 2
	done
	assert_json "${pairs[@]}"
}

# assert_js CONDITION: a JavaScript condition over the JSON on stdout that must hold
assert_js() {
	assert_json "Boolean($1)" true
}

DB_FILE=state/incluinfo.db # relative to $T, where state_dir = state puts it

db() { # db SQL: a query on the test's database, read-only; fails when it does not exist
	[[ -f $T/$DB_FILE ]] || fail "no database at $DB_FILE"
	sqlite3 -readonly -batch "$T/$DB_FILE" "$1" 2>&1 || fail "sqlite3 failed: $1"
}

db_dump() { # the service and incident tables, for comparing before and after
	db 'SELECT * FROM service ORDER BY id; SELECT * FROM incident ORDER BY uuid;'
}

# --- assertions ---------------------------------------------------------------------------

assert_rc() { # assert_rc EXPECTED: the last run's exit status
	[[ $RC == "$1" ]] || fail "expected exit status $1, got $RC"
}

assert_eq() { # assert_eq EXPECTED ACTUAL [WHAT]
	[[ $2 == "$1" ]] || fail "${3:-value}: expected '$1', got '$2'"
}

assert_contains() { # assert_contains HAYSTACK NEEDLE [WHAT]
	[[ $1 == *"$2"* ]] || fail "${3:-text} does not contain '$2'"
}

assert_not_contains() { # assert_not_contains HAYSTACK NEEDLE [WHAT]
	[[ $1 != *"$2"* ]] || fail "${3:-text} contains '$2'"
}

assert_match() { # assert_match TEXT ERE [WHAT]
	[[ $1 =~ $2 ]] || fail "${3:-text} does not match /$2/: '$1'"
}

out_has() { assert_contains "$OUT" "$1" stdout; }
err_has() { assert_contains "$ERR" "$1" stderr; }
out_lacks() { assert_not_contains "$OUT" "$1" stdout; }

# first_line_is REGEX: the plugin line (first line of stdout) matches REGEX
first_line_is() {
	assert_match "${OUT%%$'\n'*}" "$1" 'first line of stdout'
}

# --- waiting ------------------------------------------------------------------------------

# wait_for SECONDS COMMAND...: polls COMMAND every 50 ms until it succeeds; false on time out
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		((SECONDS < deadline)) || return 1
		sleep 0.05
	done
}

# --- the fake X API -----------------------------------------------------------------------

# Secrets of the account the fake X API accepts: no output, log, row or feed may hold them.
X_SECRETS=(cs-S3CRET-consumer ats-S3CRET-token bearer-S3CRET-value)

# x_start: writes $T/x.cred (mode 0600) and starts tests/fakes/xapi.js for this test alone;
# sets X_PORT and X_URL. run.sh stops it when the test ends.
x_start() {
	printf '%s\n' 'consumer_key=ck-incluinfo' "consumer_secret=${X_SECRETS[0]}" \
		'access_token=1512345678901234567-at' "access_token_secret=${X_SECRETS[1]}" >"$T/x.cred"
	chmod 600 "$T/x.cred"
	node "$CLI_DIR/../fakes/xapi.js" --port-file "$T/x.port" --cred "$T/x.cred" "$@" \
		>"$T/x.log" 2>&1 &
	local _
	for _ in $(seq 100); do
		[[ -s $T/x.port ]] && break
		sleep 0.05
	done
	[[ -s $T/x.port ]] || fail "tests/fakes/xapi.js did not start: $(head -c 300 "$T/x.log")"
	X_PORT=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).http)' "$T/x.port")
	X_URL=http://127.0.0.1:$X_PORT
}

# conf_twitter [KEY=VALUE...]: the [twitter] section for the fake, no pause between posts
conf_twitter() {
	{
		printf '\n[twitter]\n'
		kv "api_url=$X_URL" "credentials=$T/x.cred" thread_delay_ms=0 "$@"
	} >>"$CONF"
}

# thread_notice N FILE: a notice of N short paragraphs, the title sharing the first: a
# thread of N posts
thread_notice() {
	local n=$1 i text
	text=$'---\ntipo: aviso\ntitulo: Cómo pedir cita previa\nautor: ana\n---\n'
	for ((i = 1; i <= n; i++)); do
		text+="Paso $i: entra en la sede electrónica y elige el trámite número $i."$'\n\n'
	done
	printf '%s' "$text" >"$T/notices/$2"
}

# notice_paragraphs FILE TITLE PARAGRAPH...: an aviso of those paragraphs
notice_paragraphs() {
	local file=$1 title=$2 text
	shift 2
	text=$'---\ntipo: aviso\ntitulo: '"$title"$'\nautor: ana\n---\n'
	for p in "$@"; do
		text+="$p"$'\n\n'
	done
	printf '%s' "$text" >"$T/notices/$file"
}

# setup_publish [XAPI ARGS...]: the fake X API, a service, notices_dir = notices with
# [policy] auto, [twitter] and [feeds]: what publishing needs
setup_publish() {
	x_start "$@"
	conf_new notices_dir=notices
	conf_service sede "$(web status/200)" 'name=Sede Electrónica'
	conf_raw '[policy]' 'notices = auto' 'incidents = auto'
	conf_twitter
	conf_raw '[feeds]' 'base_url = https://www.seg-social.es/feeds/'
	mkdir -p "$T/notices"
}

# kill_after MS ARGS...: starts `incluinfo -c $CONF ARGS` and kill -9s it MS ms later, as a
# power cut would; RC is 137 when the kill found it still running
kill_after() {
	local ms=$1 pid
	shift
	"$INCLUINFO" -c "$CONF" "$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid"
	RC=$?
}

# x_get PATH / x_post PATH JSON: the fake's control routes; the answer on stdout
# x_request METHOD PATH BODY [METHOD PATH BODY...]: requests to the fake, in order, in one
# node process; the last answer on stdout
x_request() {
	fake_request 'X API' "$X_PORT" "$@"
}

# fake_request NAME PORT METHOD PATH BODY [METHOD PATH BODY...]: x_request to the fake
# NAME listening on PORT
fake_request() {
	local name=$1 port=$2
	shift 2
	node -e '
		const [port, ...calls] = process.argv.slice(1);
		const http = require("http");
		const one = (method, path, body) => new Promise((done, failed) => {
			const req = http.request({ host: "127.0.0.1", port, path, method,
				headers: { "content-type": "application/json" } }, (res) => {
				let text = "";
				res.on("data", (d) => (text += d));
				res.on("end", () => done(text));
			});
			req.on("error", failed);
			req.end(body || undefined);
		});
		(async () => {
			let last = "";
			for (let i = 0; i < calls.length; i += 3) last = await one(calls[i], calls[i + 1], calls[i + 2]);
			console.log(last);
		})().catch((e) => { console.error(e.message); process.exit(1); });
	' "$port" "$@" || fail "$1 $2 on the fake $name failed"
}
x_get() {
	x_request GET "$1" ''
}
x_post() {
	x_request POST "$1" "$2"
}

# posts_js EXPR: EXPR over p, the fake's accepted posts (deleted ones left out)
posts_js() {
	local posts
	posts=$(x_get /_posts)
	json "(p => $1)(j.posts.filter(x => !x.deleted))" "$posts"
}

# assert_one_chain N: the fake holds N posts, each answering the one before, no text twice
assert_one_chain() {
	assert_eq "$1 chained unique" "$(posts_js '[p.length,
		p.every((x, i) => i === 0 ? x.reply_to === null : x.reply_to === p[i - 1].id) ? "chained" : "broken",
		new Set(p.map(x => x.sent_text)).size === p.length ? "unique" : "twice"].join(" ")')" \
		'posts on the fake: how many, whether each answers the one before, whether any is twice'
}

# fake_start NAME SCRIPT ARGS...: starts tests/fakes/SCRIPT for this test alone, with
# --port-file $T/NAME.port and its output in $T/NAME.log; sets FAKE_PORT. run.sh stops it
# when the test ends.
fake_start() {
	local name=$1 script=$2
	shift 2
	node "$CLI_DIR/../fakes/$script" --port-file "$T/$name.port" "$@" >"$T/$name.log" 2>&1 &
	wait_for 5 test -s "$T/$name.port" || fail "tests/fakes/$script did not start: $(head -c 300 "$T/$name.log")"
	FAKE_PORT=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).http)' "$T/$name.port")
	FAKE_URL=http://127.0.0.1:$FAKE_PORT
}

# channel_fake_start NAME CREDENTIALS SCRIPT ARGS...: writes CREDENTIALS to $T/NAME.cred
# (mode 0600), then fake_start NAME SCRIPT ARGS...
channel_fake_start() {
	local name=$1 credentials=$2
	shift 2
	printf '%s' "$credentials" >"$T/$name.cred"
	chmod 600 "$T/$name.cred"
	fake_start "$name" "$@"
}

# conf_fake_channel TYPE URL CREDENTIALS [KEY=VALUE...]: [channel TYPE] of type TYPE for the
# fake at URL, no pause between posts
conf_fake_channel() {
	local type=$1 url=$2 credentials=$3
	shift 3
	{
		printf '\n[channel %s]\n' "$type"
		kv "type=$type" "api_url=$url" "credentials=$credentials" thread_delay_ms=0 "$@"
	} >>"$CONF"
}

# quoting_start: a server (not a fake: inline) whose every refusal quotes the request's
# Authorization back, as a proxy's or a debugging server's error page may: 422 with the
# quote in JSON ("error" as Mastodon says it, "detail" as X does) and as a bare page, in
# turn; Mastodon's instance description is unavailable (503). Sets QUOTING_URL.
quoting_start() {
	node -e '
		const [portFile] = process.argv.slice(1);
		const fs = require("fs");
		let n = 0;
		const server = require("http").createServer((req, res) => {
			req.resume();
			req.on("end", () => {
				if (req.url.startsWith("/api/v2/instance")) { res.writeHead(503); return res.end(); }
				const quote = `not with ${req.headers.authorization}`;
				if (n++ % 2) { res.writeHead(422, { "content-type": "text/plain" }); return res.end(quote); }
				res.writeHead(422, { "content-type": "application/json" });
				res.end(JSON.stringify({ error: quote, title: "Unprocessable", detail: quote }));
			});
		});
		server.listen(0, "127.0.0.1", () => {
			fs.writeFileSync(portFile + ".tmp", String(server.address().port));
			fs.renameSync(portFile + ".tmp", portFile);
		});
	' "$T/quoting.port" >"$T/quoting.log" 2>&1 &
	wait_for 5 test -s "$T/quoting.port" || fail "the quoting server did not start: $(head -c 300 "$T/quoting.log")"
	QUOTING_URL=http://127.0.0.1:$(<"$T/quoting.port")
}

# --- the fake Mastodon instance -----------------------------------------------------------

M_TOKEN=mastodon-S3CRET-token

# m_start [MASTODON.JS ARGS...]: writes $T/m.cred (mode 0600) and starts
# tests/fakes/mastodon.js for this test alone; sets M_PORT and M_URL.
m_start() {
	channel_fake_start m "access_token=$M_TOKEN"$'\n' mastodon.js --token "$M_TOKEN" "$@"
	M_PORT=$FAKE_PORT M_URL=$FAKE_URL
}

# conf_mastodon [KEY=VALUE...]: [channel mastodon] for the fake, no pause between posts
conf_mastodon() {
	conf_fake_channel mastodon "$M_URL" "$T/m.cred" "$@"
}

# m_get PATH / m_post PATH JSON: the Mastodon fake's control routes, as x_get and x_post
m_get() {
	fake_request Mastodon "$M_PORT" GET "$1" ''
}
m_post() {
	fake_request Mastodon "$M_PORT" POST "$1" "$2"
}

# assert_no_secrets: nothing under $T but the credentials file, and no database row,
# holds a secret of the account
assert_no_secrets() {
	local secret found
	for secret in "${X_SECRETS[@]}"; do
		found=$(grep -rlF --exclude=x.cred "$secret" "$T" 2>/dev/null)
		[[ -z $found ]] || fail "secret found in: $found"
		if [[ -f $T/$DB_FILE ]] && sqlite3 -readonly "$T/$DB_FILE" .dump | grep -qF "$secret"; then
			fail 'secret found in the database'
		fi
	done
}

# --- the fake Bluesky PDS -----------------------------------------------------------------

B_PASSWORD=bsky-S3CRET-app-password

# b_start [BSKY.JS ARGS...]: writes $T/b.cred (mode 0600) and starts tests/fakes/bsky.js for
# this test alone; sets B_PORT and B_URL.
b_start() {
	channel_fake_start b "identifier=incluinfo.bsky.social"$'\n'"app_password=$B_PASSWORD"$'\n' \
		bsky.js --identifier incluinfo.bsky.social --password "$B_PASSWORD" "$@"
	B_PORT=$FAKE_PORT B_URL=$FAKE_URL
}

# conf_bluesky [KEY=VALUE...]: [channel bluesky] for the fake, no pause between posts
conf_bluesky() {
	conf_fake_channel bluesky "$B_URL" "$T/b.cred" "$@"
}

# b_get PATH / b_post PATH JSON: the Bluesky fake's control routes, as x_get and x_post
b_get() {
	fake_request Bluesky "$B_PORT" GET "$1" ''
}
b_post() {
	fake_request Bluesky "$B_PORT" POST "$1" "$2"
}

# --- every channel at once: exactly once, chained, after faults and kills -------------------

# live_posts CHANNEL: the live posts of CHANNEL's fake (x, mastodon or bluesky), oldest
# first, as JSON [{ref, text, reply_to}] in the journal's terms: ref is what publish
# journals for the post, reply_to the ref of the post it answers (null: none)
live_posts() {
	case $1 in
	x) json 'JSON.stringify(j.posts.filter((p) => !p.deleted).map((p) => ({ ref: p.id, text: p.sent_text, reply_to: p.reply_to })))' "$(x_get /_posts)" ;;
	mastodon) json 'JSON.stringify(j.posts.filter((p) => !p.deleted).map((p) => ({ ref: p.id, text: p.text, reply_to: p.reply_to })))' "$(m_get /_posts)" ;;
	bluesky) json 'JSON.stringify(j.posts.filter((p) => !p.deleted).map((p) => ({ ref: p.uri + " " + p.cid, text: p.text,
		reply_to: p.record.reply ? p.record.reply.parent.uri + " " + p.record.reply.parent.cid : null })))' "$(b_get /_posts)" ;;
	*) fail "live_posts: no fake for channel '$1'" ;;
	esac
}

# assert_once_everywhere N CHANNEL...: every draft is published, N posts in all, each on
# every CHANNEL exactly once: the journal's reference of each post is a live post of that
# text, answering the reference of the post before it in its draft (the first answering
# nothing), and the fakes hold nothing else
assert_once_everywhere() {
	local n=$1 channel journal problems
	shift
	assert_eq 0 "$(db "SELECT count(*) FROM draft WHERE status <> 'published'")" 'drafts not published'
	journal=$(sqlite3 -readonly -json "$T/$DB_FILE" "SELECT j.draft, j.channel, j.seq, j.state,
		j.remote_ref AS ref, p.text FROM publication j JOIN post p ON p.draft = j.draft AND p.channel = j.channel AND p.seq = j.seq
		ORDER BY j.channel, j.draft, j.seq")
	for channel; do
		problems+=$(node -e '
			const [journal, posts, ch, n] = process.argv.slice(1);
			const live = JSON.parse(posts);
			const mine = JSON.parse(journal || "[]").filter((r) => r.channel === ch);
			const byRef = new Map(live.map((p) => [p.ref, p]));
			const out = [];
			if (mine.length !== Number(n)) out.push(`${ch}: ${mine.length} posts journalled, not ${n}`);
			if (live.length !== Number(n)) out.push(`${ch}: ${live.length} live posts, not ${n}`);
			mine.forEach((r, i) => {
				const p = byRef.get(r.ref);
				const before = r.seq === 0 ? null : mine[i - 1].ref;
				if (r.state !== "sent") out.push(`${ch}: ${r.draft} post ${r.seq} is ${r.state}`);
				else if (!p) out.push(`${ch}: ${r.draft} post ${r.seq}: ${r.ref} is not there`);
				else if (p.text !== r.text) out.push(`${ch}: ${r.ref} holds another text`);
				else if (p.reply_to !== before) out.push(`${ch}: ${r.ref} answers ${p.reply_to}, not ${before}`);
			});
			if (out.length) console.log(out.join("\n"));
		' "$journal" "$(live_posts "$channel")" "$channel" "$n") || fail "checking $channel failed"
	done
	[[ -z $problems ]] || fail "$problems"
}

# publish_under_faults CHANNEL...: 20 drafts of two posts each published, while the fakes
# the caller set in chaos fail (at most 80 runs); the figures go to .figures, and every
# post must be on every CHANNEL exactly once
publish_under_faults() {
	local i runs
	for ((i = 10; i < 30; i++)); do
		notice_paragraphs "a$i.md" "Aviso $i" "Primera parte del aviso número $i: la sede cambia." \
			"Segunda parte del aviso número $i: pida cita previa."
	done
	ii notices
	for ((runs = 1; runs <= 80; runs++)); do
		ii publish
		[[ $(db "SELECT count(*) FROM draft WHERE status <> 'published'") == 0 ]] && break
	done
	echo "20 drafts, 40 posts on each of $*, under faults: published in $runs runs" >>"$T/.figures"
	assert_once_everywhere 40 "$@"
}

# kill_9_trials TRIALS FAULTS CHANNEL...: TRIALS (the TRIALS variable overrides it) kill -9s
# of publish at a random moment (TRIALS_SEED, default $$), each after a new two-post notice
# and after the command FAULTS TRIAL (to queue a fault now and then); then runs publish
# until every draft is published, prints the figures to .figures and checks that the
# kills found runs at work and that every post is on every CHANNEL exactly once. A pause
# between posts, as in production, makes a kill fall between two posts of a thread as often
# as inside a request.
kill_9_trials() {
	local n=${TRIALS:-$1} faults=$2 seed=${TRIALS_SEED:-$$} trial killed=0 runs before took start
	shift 2
	sed -i 's/^thread_delay_ms = 0$/thread_delay_ms = 30/' "$CONF"
	RANDOM=$seed
	notice_paragraphs a0.md 'Aviso 0' 'Parte uno del aviso 0: la sede cambia.' 'Parte dos del aviso 0: pida cita.'
	ii notices
	start=$EPOCHREALTIME
	ii publish
	took=$(((${EPOCHREALTIME/./} - ${start/./}) / 1000))
	for ((trial = 1; trial <= n; trial++)); do
		notice_paragraphs "a$trial.md" "Aviso $trial" "Parte uno del aviso $trial: la sede cambia." \
			"Parte dos del aviso $trial: pida cita."
		ii notices
		"$faults" "$trial"
		# within the first three quarters of a run: the end of one is spent on the feeds
		kill_after $((RANDOM % (took * 3 / 4 + 1))) publish
		((RC == 137)) && killed=$((killed + 1))
		[[ $(sqlite3 -readonly "$T/$DB_FILE" 'PRAGMA integrity_check') == ok ]] ||
			fail "trial $trial (TRIALS_SEED=$seed): the database is damaged"
	done
	# what the killed runs sent: the trials must have killed runs at work, not only starting
	before=$(db "SELECT count(*) FROM publication WHERE state = 'sent'")
	for ((runs = 1; runs <= 10; runs++)); do
		ii publish
		[[ $(db "SELECT count(*) FROM draft WHERE status <> 'published'") == 0 ]] && break
	done
	echo "$n kill -9 trials on $* (TRIALS_SEED=$seed), $killed killed while running (one run: $took ms), $before posts sent by the killed runs, $((2 * (n + 1))) posts per channel, all published after $runs more runs" >>"$T/.figures"
	((killed * 3 >= n)) || fail "only $killed of $n kills found publish running (TRIALS_SEED=$seed)"
	((before * 2 >= n)) || fail "the killed runs sent only $before posts (TRIALS_SEED=$seed)"
	assert_once_everywhere $((2 * (n + 1))) "$@"
}
