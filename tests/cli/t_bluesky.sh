# Publishing to Bluesky (tests/fakes/bsky.js, a PDS that validates every record with
# @atproto/api's lexicons and checks its facets against RichText and the official app's
# link shortening): records keyed at their claims and dated then, replies chained by root
# and parent, the session kept between runs.

# setup_bluesky [BSKY.JS ARGS...]: setup_publish's X with a Bluesky channel beside it
setup_bluesky() {
	setup_publish
	b_start "$@"
	conf_bluesky
}

# b_posts_js EXPR: EXPR over p, the Bluesky fake's live records, oldest first
b_posts_js() {
	json "(p => $1)(j.posts.filter(x => !x.deleted))" "$(b_get /_posts)"
}

# b_stat NSID: how many requests the fake had for NSID
b_stat() {
	json "j['$1'] || 0" "$(b_get /_stats)"
}

# b_key_times: the time each live record's key (a TID) spells, in microseconds, oldest first
b_key_times() {
	b_posts_js 'p.map(x => [...x.rkey].reduce((n, c) => n * 32n + BigInt("234567abcdefghijklmnopqrstuvwxyz".indexOf(c)), 0n) >> 10n).join(" ")'
}

# assert_b_keys_dated FROM TO: every record key is dated from FROM to TO (Unix seconds, TO
# included) and later than the key of the record before it
assert_b_keys_dated() {
	local t prev=0
	for t in $(b_key_times); do
		((t >= $1 * 1000000 && t < ($2 + 1) * 1000000)) || fail "a record key dated $t µs, not between $1 and $2"
		((t > prev)) || fail "a record key dated $t µs, not after the one before ($prev)"
		prev=$t
	done
	[[ $prev != 0 ]] || fail 'no record'
}

# assert_b_threads N...: the fake holds threads of N posts each, in order: each post answers
# the one before (parent) in a thread whose root is its first post
assert_b_threads() {
	local want="$*"
	assert_eq "$want" "$(b_posts_js '(() => {
		const sizes = [];
		let root = null, prev = null;
		for (const x of p) {
			if (!x.reply_to) { sizes.push(1); root = x.uri; }
			else if (x.reply_to === prev && x.root === root) sizes[sizes.length - 1]++;
			else return "broken at " + x.rkey;
			prev = x.uri;
		}
		return sizes.join(" ");
	})()')" 'threads on the Bluesky fake (posts in each)'
}

# long_rebuttal: the bundled rebuttal (notices/), with a long link and a tag: a thread
long_rebuttal() {
	sed 's/^autor: .*/autor: ana/' "$CLI_DIR/../../notices/bulo-pensiones-enero.md" >"$T/notices/bulo.md"
	printf '\nPide cita en https://sede.seg-social.gob.es/wps/portal/sede/sede/Ciudadanos/cita%%20previa #CitaPrevia\n\nO entra en https://sede.seg-social.gob.es y elige el trámite.\n' \
		>>"$T/notices/bulo.md"
}

test_a_rebuttal_thread_goes_to_bluesky_once() {
	setup_bluesky
	long_rebuttal
	ii notices
	local start end
	start=$(date +%s)
	ii publish
	end=$(date +%s)
	assert_rc 0
	out_has 'Bluesky: published'
	# each record keyed at its post's claim: dated within the run, in the thread's order
	assert_b_keys_dated "$start" "$end"
	local n
	n=$(db "SELECT count(*) FROM post WHERE channel = 'bluesky'")
	((n >= 3)) || fail "the rebuttal is $n posts, not a long thread"
	assert_b_threads "$n"
	# every record as the app would make it: the fake refuses any other, so all are here
	assert_eq "$n" "$(b_stat com.atproto.repo.createRecord)" 'createRecord requests'
	assert_eq es "$(b_posts_js '[...new Set(p.map(x => x.record.langs.join()))].join()')" 'langs'
	assert_eq 'true' "$(b_posts_js 'p.some(x => (x.record.facets || []).some(f => f.features[0].uri === "https://sede.seg-social.gob.es/wps/portal/sede/sede/Ciudadanos/cita%20previa"))')" 'the full link in a facet'
	assert_eq 'true' "$(b_posts_js 'p.some(x => x.text.includes("sede.seg-social.gob.es/wps/portal/s..."))')" 'the link shortened in the text'
	assert_eq 'true' "$(b_posts_js 'p.some(x => (x.record.facets || []).some(f => f.features[0].tag === "CitaPrevia"))')" 'the tag'
	# journalled: each post's reference is its record's uri and cid
	assert_eq "$(b_posts_js 'p.map(x => x.uri + " " + x.cid).join("|")')" \
		"$(db "SELECT group_concat(remote_ref, '|') FROM (SELECT remote_ref FROM publication WHERE channel = 'bluesky' ORDER BY seq)")" \
		'references journalled'
	assert_b_secrets
}

# assert_b_secrets: the app password and the session's tokens are in no file of the test
# but the credentials file and the database (where the tokens are kept), and the password
# is not in the database either
assert_b_secrets() {
	local secret found
	for secret in "$B_PASSWORD" "$(db "SELECT value FROM channel WHERE name = 'session.access'")" \
		"$(db "SELECT value FROM channel WHERE name = 'session.refresh'")"; do
		[[ -n $secret ]] || fail 'no session kept'
		found=$(grep -rlF --exclude=b.cred --exclude='incluinfo.db*' "$secret" "$T" 2>/dev/null)
		[[ -z $found ]] || fail "a Bluesky secret found in: $found"
	done
	! sqlite3 -readonly "$T/$DB_FILE" .dump | grep -qF "$B_PASSWORD" || fail 'the app password is in the database'
	[[ $(stat -c %a "$T/$DB_FILE") == 600 ]] || fail "the database holding the session is mode $(stat -c %a "$T/$DB_FILE")"
}

test_an_alert_and_its_resolution_are_one_thread_on_bluesky() {
	setup_bluesky
	conf_service caida "$(seq_url caida 503,503,200,200)" failures_to_open=1 successes_to_resolve=1
	INCLUINFO_NOW=1796112000 ii run
	assert_rc 0
	# cron's record gives the post's address in the app, not its record reference
	out_has "on Bluesky: 1 post, the last https://bsky.app/profile/$(b_posts_js 'p[0].uri.split("/")[2]')/post/$(b_posts_js 'p[0].rkey')"
	INCLUINFO_NOW=1796112060 ii run
	INCLUINFO_NOW=1796112120 ii run
	assert_eq 'alerta resuelta' "$(db "SELECT group_concat(kind, ' ') FROM draft")" 'drafts'
	# keyed at the runs' own time, not the host's
	assert_b_keys_dated 1796112000 1796112180
	# the resolution answers the alert: root and parent are the alert's record
	assert_b_threads 2
	assert_contains "$(b_posts_js 'p[1].text')" 'vuelve a funcionar con normalidad'
	assert_eq es "$(b_posts_js 'p.map(x => x.record.langs.join()).join(" ")' | tr ' ' '\n' | sort -u)" 'langs'
}

test_retract_deletes_the_records() {
	setup_bluesky
	thread_notice 3 cita.md
	ii notices
	ii publish
	assert_rc 0
	assert_b_threads 3
	ii retract "$(db "SELECT uuid FROM draft")" --by 'Ana' --reason 'Aviso erróneo'
	assert_rc 0
	assert_eq 0 "$(b_posts_js 'p.length')" 'records left'
	assert_eq 3 "$(b_stat com.atproto.repo.deleteRecord)" 'deleteRecord requests'
	assert_eq rejected "$(db "SELECT status FROM draft")" 'draft status'
	# show tells every channel alike, X too, now that none of it is public
	ii show "$(db "SELECT uuid FROM draft")"
	out_has 'public:  0 of 3 posts on X'
	out_has 'public:  0 of 3 posts on bluesky'
}

test_the_session_is_kept_across_runs() {
	setup_bluesky
	local i
	for ((i = 1; i <= 20; i++)); do
		notice_paragraphs "a$i.md" "Aviso $i" "La oficina número $i abre el lunes a las nueve."
		ii notices
		ii publish
		assert_rc 0
	done
	assert_eq 20 "$(b_posts_js 'p.length')" 'records'
	assert_eq '1 0' "$(b_stat com.atproto.server.createSession) $(b_stat com.atproto.server.refreshSession)" \
		'logins and refreshes in 20 runs'
	assert_b_secrets
}

test_an_expired_access_token_is_refreshed_not_a_new_login() {
	setup_bluesky
	thread_notice 2 uno.md
	ii notices
	ii publish
	assert_rc 0
	# the PDS says the access token expired before its exp (a clock ahead, a shorter life)
	b_post /_expire '{}' >/dev/null
	notice_paragraphs dos.md 'Otro aviso' 'La oficina de Lugo abre el lunes a las nueve.' \
		'La de Vigo, el martes a las diez.'
	ii notices
	ii publish
	assert_rc 0
	assert_eq 'ExpiredToken' "$(json 'j.requests.filter(x => x.error === "ExpiredToken").map(x => x.error).join()' "$(b_get /_requests)")" 'the refusal'
	assert_eq '1 1' "$(b_stat com.atproto.server.createSession) $(b_stat com.atproto.server.refreshSession)" \
		'logins and refreshes'
	assert_b_threads 2 2
}

test_a_token_near_its_expiry_is_refreshed_before_use() {
	setup_bluesky --access-ttl-s 30
	local i
	for ((i = 1; i <= 3; i++)); do
		notice_paragraphs "a$i.md" "Aviso $i" "La oficina número $i abre el lunes a las nueve."
		ii notices
		ii publish
		assert_rc 0
	done
	# 30 s is within the margin: each later run refreshes first, and nothing is refused
	assert_eq '1 2' "$(b_stat com.atproto.server.createSession) $(b_stat com.atproto.server.refreshSession)" \
		'logins and refreshes'
	assert_eq 0 "$(json 'j.requests.filter(x => x.status >= 400).length' "$(b_get /_requests)")" 'refused requests'
}

test_a_revoked_session_logs_in_once_again() {
	setup_bluesky
	thread_notice 2 uno.md
	ii notices
	ii publish
	assert_rc 0
	b_post /_revoke '{}' >/dev/null
	notice_paragraphs dos.md 'Otro aviso' 'La oficina de Lugo abre el lunes a las nueve.'
	ii notices
	ii publish
	assert_rc 0
	notice_paragraphs tres.md 'Otro aviso más' 'La oficina de Vigo abre el martes a las nueve.'
	ii notices
	ii publish
	assert_rc 0
	assert_eq '2 1' "$(b_stat com.atproto.server.createSession) $(b_stat com.atproto.server.refreshSession)" \
		'logins and refreshes'
	assert_b_threads 2 1 1
}

test_wrong_app_password_stops_the_channel_alone() {
	setup_bluesky
	printf 'identifier=incluinfo.bsky.social\napp_password=wrong-password\n' >"$T/b.cred"
	thread_notice 2 uno.md
	ii notices
	ii publish
	assert_rc 69
	err_has "Bluesky refused the credentials in '$T/b.cred': posting stopped"
	assert_one_chain 2
	assert_eq 0 "$(b_posts_js 'p.length')" 'records'
	# a file without the app password is said so, and Bluesky is never asked
	printf 'identifier=incluinfo.bsky.social\n' >"$T/b.cred"
	ii publish
	err_has "$T/b.cred: expected both identifier and app_password"
	assert_eq 1 "$(b_stat com.atproto.server.createSession)" 'logins'
}

test_rate_limit_defers_bluesky_until_its_reset() {
	setup_bluesky
	thread_notice 2 uno.md
	ii notices
	b_post /_fault "{\"kind\":\"rate\",\"reset\":$(($(date +%s) + 600)),\"match\":\"POST /xrpc/com.atproto.repo.createRecord\"}" >/dev/null
	ii publish
	assert_rc 75
	out_has 'Bluesky: deferred'
	assert_one_chain 2
	local asked
	asked=$(b_stat com.atproto.repo.createRecord)
	ii publish
	assert_eq "$asked" "$(b_stat com.atproto.repo.createRecord)" 'createRecord asked before the reset'
	assert_eq 0 "$(b_posts_js 'p.length')" 'records'
}

test_a_lost_answer_is_settled_by_its_record_key() {
	setup_bluesky
	thread_notice 2 uno.md
	ii notices
	# the first record is made and its answer lost; then a 503 on the second, made or not
	b_post /_fault '[{"kind":"drop","match":"POST /xrpc/com.atproto.repo.createRecord"},
		{"kind":"status","status":503,"match":"GET /xrpc/com.atproto.repo.getRecord"}]' >/dev/null
	ii publish
	ii publish
	assert_b_threads 2
	assert_eq published "$(db "SELECT status FROM draft")" 'draft status'
	# the request sent again named the same record: the PDS refused it as existing
	assert_eq true "$(json 'j.requests.some(x => x.path.endsWith("createRecord") && x.status === 500 && x.error === "InternalServerError" && !x.fault)' "$(b_get /_requests)")" \
		'a createRecord refused for its key'
}

test_a_refusal_of_an_existing_record_is_settled_by_its_key() {
	setup_bluesky
	thread_notice 2 uno.md
	ii notices
	# the record is made, and the answer says it exists, as a PDS naming that error would
	b_post /_fault '{"kind":"after","status":400,"error":"RecordAlreadyExists","match":"POST /xrpc/com.atproto.repo.createRecord"}' >/dev/null
	ii publish
	assert_rc 0
	assert_b_threads 2
	assert_eq published "$(db "SELECT status FROM draft")" 'draft status'
}

# faults and kill -9 trials: tests/cli/t_channels.sh, on the three channels at once

test_status_show_and_feeds_link_to_bluesky() {
	setup_bluesky
	thread_notice 2 cita.md
	ii notices
	ii publish
	assert_rc 0
	local id url
	id=$(db "SELECT uuid FROM draft")
	url="https://bsky.app/profile/$(b_posts_js 'p[0].uri.split("/")[2]')/post/$(b_posts_js 'p[0].rkey')"
	ii show "$id"
	out_has 'public:  2 of 2 posts on bluesky'
	ii status
	out_has 'bluesky'
	assert_contains "$(cat "$T/feeds/avisos.atom")" "<link rel=\"related\" href=\"$url\" type=\"text/html\" title=\"Bluesky\"/>" 'avisos.atom'
}

test_a_login_refused_for_its_rate_waits_for_the_reset() {
	setup_bluesky
	thread_notice 2 uno.md
	ii notices
	b_post /_fault "{\"kind\":\"rate\",\"reset\":$(($(date +%s) + 300)),\"match\":\"POST /xrpc/com.atproto.server.createSession\"}" >/dev/null
	ii publish
	assert_rc 75
	out_has 'Bluesky: deferred'
	ii publish
	assert_eq '1 0' "$(b_stat com.atproto.server.createSession) $(b_stat com.atproto.repo.createRecord)" \
		'logins and records: none asked again before the reset'
	assert_one_chain 2
}

test_a_bluesky_section_is_checked() {
	conf_new
	conf_raw '[channel bsky]' 'type = bluesky' 'api_url = http://handle:S3CRET-pw@bsky.example'
	ii config
	assert_rc 78
	# at its line and at the section's, the URL's user and password masked as everywhere
	local line
	line=$(grep -n '^api_url' "$CONF" | cut -d: -f1)
	err_has "$CONF:$line: error: invalid url 'http://********@bsky.example': http is allowed only for loopback hosts"
	err_has "[channel bsky]: invalid api_url 'http://********@bsky.example': http is allowed only for loopback hosts"
	assert_not_contains "$ERR" 'S3CRET-pw' stderr
	err_has "[channel bsky] has no 'credentials'"
	conf_new
	printf 'identifier=incluinfo.bsky.social\n' >"$T/b.cred"
	chmod 600 "$T/b.cred"
	conf_raw '[channel bsky]' 'type = bluesky' 'api_url = https://bsky.social' "credentials = $T/b.cred"
	ii config
	assert_rc 0
	out_has 'type = bluesky'
}

# quoting_pds_start MODE: a PDS (not the fake: an inline server) whose refusals quote back
# what it was sent, as a proxy's or a debugging server's error page may: with MODE login,
# createSession is refused with the request's body (the app password) in the message; with
# MODE token, createSession answers a session of JWTs and every other call is refused with
# the request's Authorization (the access token) in the message. Writes $T/b.cred and sets
# B_URL.
quoting_pds_start() {
	printf 'identifier=incluinfo.bsky.social\napp_password=%s\n' "$B_PASSWORD" >"$T/b.cred"
	chmod 600 "$T/b.cred"
	node -e '
		const [portFile, mode] = process.argv.slice(1);
		const fs = require("fs");
		const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
		const jwt = (ttl, sig) => `${b64({ alg: "HS256" })}.${b64({ exp: Math.floor(Date.now() / 1000) + ttl })}.${sig}`;
		const server = require("http").createServer((req, res) => {
			let body = "";
			req.on("data", (d) => (body += d));
			req.on("end", () => {
				const send = (status, o) => {
					res.writeHead(status, { "content-type": "application/json" });
					res.end(JSON.stringify(o));
				};
				if (mode === "login")
					return send(401, { error: "AuthenticationRequired", message: `cannot log in with ${body}` });
				if (req.url.endsWith("createSession"))
					return send(200, { did: "did:plc:quoting", handle: "incluinfo.bsky.social",
						accessJwt: jwt(7200, "access-S3CRET"), refreshJwt: jwt(86400, "refresh-S3CRET") });
				send(400, { error: "InvalidRequest", message: `not with ${req.headers.authorization} and ${body}` });
			});
		});
		server.listen(0, "127.0.0.1", () => {
			fs.writeFileSync(portFile + ".tmp", String(server.address().port));
			fs.renameSync(portFile + ".tmp", portFile);
		});
	' "$T/quoting.port" "$1" >"$T/quoting.log" 2>&1 &
	wait_for 5 test -s "$T/quoting.port" || fail "the quoting PDS did not start: $(head -c 300 "$T/quoting.log")"
	B_URL=http://127.0.0.1:$(<"$T/quoting.port")
}

# assert_said_without_secrets: the refusal was told, and neither the app password nor a
# session token is in any output, file or database row (the session's own rows aside)
assert_said_without_secrets() {
	assert_contains "$OUT" "$1" stdout
	local found
	found=$(grep -rlE --exclude=b.cred --exclude='incluinfo.db*' "$B_PASSWORD|(access|refresh)-S3CRET" "$T" 2>/dev/null)
	[[ -z $found ]] || fail "a Bluesky secret found in: $found"
	found=$(sqlite3 -readonly "$T/$DB_FILE" .dump | grep -v '^INSERT INTO channel VALUES' | grep -E "$B_PASSWORD|(access|refresh)-S3CRET")
	[[ -z $found ]] || fail "a Bluesky secret in the database: $(head -c 300 <<<"$found")"
}

test_a_refusal_quoting_the_app_password_shows_none_of_it() {
	setup_publish
	quoting_pds_start login
	conf_bluesky
	thread_notice 2 uno.md
	ii notices
	ii publish
	assert_rc 69
	assert_said_without_secrets 'cannot log in with'
}

test_a_refusal_quoting_the_session_token_shows_none_of_it() {
	setup_publish
	quoting_pds_start token
	conf_bluesky
	thread_notice 2 uno.md
	ii notices
	ii publish
	assert_said_without_secrets 'not with Bearer'
}

# show is what a person approves: Bluesky's posts as Bluesky shows them, long links
# shortened as in preview, with the length counted so
test_show_gives_bluesky_posts_as_shown() {
	setup_bluesky
	notice_paragraphs cita.md 'Cita previa' 'Pide cita en https://sede.seg-social.gob.es/wps/portal/sede/sede/Ciudadanos/CitaPrevia y elige el trámite.'
	ii preview --channel bluesky "$T/notices/cita.md"
	out_has 'sede.seg-social.gob.es/wps/portal/s...'
	local shown=$OUT
	ii notices
	ii show "$(db "SELECT uuid FROM draft")"
	assert_rc 0
	local bluesky=${OUT#*posts on bluesky:}
	assert_contains "$bluesky" "${shown#*Bluesky: 1 post}" "show's Bluesky post"
	assert_contains "${OUT%%posts on bluesky:*}" 'https://sede.seg-social.gob.es/wps/portal/sede/sede/Ciudadanos/CitaPrevia' "X's post"
}
