# Publishing to X against the fake X API (tests/fakes/xapi.js), started by each test for
# itself: threads, the journal and crash safety, rate limits, faults, credentials, feeds.

test_six_part_thread_in_order_and_chained() {
	setup_publish
	thread_notice 6 cita.md
	ii --json preview "$T/notices/cita.md"
	local preview=$OUT
	assert_eq 6 "$(json 'j.posts.length')" 'posts in the preview'
	ii notices
	ii --json publish
	assert_rc 0
	assert_json 'j.published.length' 1 'j.published[0].post_count' 6 'j.failed.length' 0
	assert_one_chain 6
	assert_eq "$(json 'j.posts.map(x => x.text).join("\n")' "$preview")" \
		"$(posts_js 'p.map(x => x.sent_text).join("\n")')" 'texts against the preview'
	local id
	id=$(db "SELECT uuid FROM draft")
	assert_eq "$(posts_js 'p.map(x => x.id).join(" ")')" \
		"$(db "SELECT group_concat(remote_ref, ' ') FROM (SELECT remote_ref FROM publication WHERE channel = 'x' ORDER BY seq)")" 'ids journalled'
	ii --json log "$id"
	assert_json 'j.map(x => x.action).join()' 'created,approved,published'
	# nothing is due any more: a second run sends nothing
	ii publish
	assert_rc 0
	assert_one_chain 6
	assert_no_secrets
}

test_dry_run_sends_nothing() {
	setup_publish
	thread_notice 2 cita.md
	ii notices
	ii publish --dry-run
	assert_rc 0
	assert_contains "$OUT" 'would publish'
	assert_eq 0 "$(posts_js 'p.length')" 'posts after a dry run'
	assert_eq approved "$(db 'SELECT status FROM draft')" 'draft after a dry run'
}

test_crash_safety_fifty_kills() {
	setup_publish
	local trial published=0 seed=20261129
	for ((trial = 1; trial <= 50; trial++)); do
		rm -rf "$T/state" "$T/notices"/*
		thread_notice 3 "hilo.md"
		ii notices
		# every request takes 10-40 ms; one trial in three, a post is committed and its
		# answer lost, as when the connection drops
		local faults="{\"kind\":\"delay\",\"ms\":$((10 + RANDOM % 30)),\"count\":20}"
		((trial % 3 == 0)) && faults+=',{"kind":"drop","match":"POST /2/tweets","count":1}'
		x_request POST /_reset '{}' POST /_fault "[$faults]" >/dev/null
		kill_after $((RANDOM % 150)) publish
		# then runs until it is all out, as cron would
		local runs
		for ((runs = 0; runs < 5; runs++)); do
			ii publish
			[[ $(db "SELECT status FROM draft") == published ]] && break
		done
		[[ $(db "SELECT status FROM draft") == published ]] ||
			fail "trial $trial: not published after 5 runs: $(db 'SELECT state FROM publication')"
		assert_one_chain 3
		published=$((published + 1))
	done
	assert_eq 50 "$published" 'trials'
	: "$seed"
}

# assert_store_matches_fake: every post the journal says is sent is on the fake with its
# text, no reference is recorded twice, and no text is on the fake twice
assert_store_matches_fake() {
	local posts journal
	posts=$(x_get /_posts)
	journal=$(db "SELECT json_group_array(json_object('ref', j.remote_ref, 'text', p.text))
		FROM publication j JOIN post p USING (draft, seq) WHERE j.state = 'sent'")
	assert_eq 'ok' "$(JOURNAL=$journal json '(() => {
		const live = j.posts.filter(x => !x.deleted), sent = JSON.parse(process.env.JOURNAL);
		if (new Set(live.map(x => x.sent_text)).size !== live.length) return "a text twice on X";
		if (new Set(sent.map(x => x.ref)).size !== sent.length) return "a post claimed by two drafts";
		const bad = sent.find(s => !live.some(x => x.id === s.ref && x.sent_text === s.text));
		return bad ? "journal holds " + bad.ref + ", not on X with its text" : "ok";
	})()' "$posts")" "trial $1: the store against the fake"
}

test_crash_safety_kills_among_duplicate_answers() {
	setup_publish
	local trial
	for ((trial = 1; trial <= 18; trial++)); do
		rm -rf "$T/state" "$T/notices"/*
		thread_notice 3 "hilo.md"
		notice_paragraphs lunes.md 'Aviso del lunes' "Aviso repetido número $trial."
		x_request POST /_reset '{}' >/dev/null
		# Monday's identical post, made by hand a day ago, in one trial of two
		if ((trial % 2)); then
			ii --json preview "$T/notices/lunes.md"
			x_request POST /_posts "$(json '({text: j.posts[0].text,
				created_at: new Date(Date.now() - 86400e3).toISOString()})')" >/dev/null
		fi
		ii notices
		# every request slow; some posts made and then answered 403 duplicate, or dropped
		local faults="{\"kind\":\"delay\",\"ms\":$((10 + RANDOM % 30)),\"count\":20}"
		faults+=",{\"kind\":\"duplicate\",\"match\":\"POST /2/tweets\",\"count\":$((1 + RANDOM % 2))}"
		((trial % 3 == 0)) && faults+=',{"kind":"drop","match":"POST /2/tweets","count":1}'
		x_request POST /_fault "[$faults]" >/dev/null
		kill_after $((RANDOM % 150)) publish
		local runs
		for ((runs = 0; runs < 5; runs++)); do
			ii publish
			[[ $(db "SELECT count(*) FROM draft WHERE status = 'approved'") == 0 ]] && break
		done
		assert_eq published "$(db "SELECT status FROM draft WHERE source = 'hilo.md'")" "trial $trial: the thread"
		assert_store_matches_fake "$trial"
		# the one-post notice is out exactly once, or failed when Monday's post was there
		local expected=published
		((trial % 2)) && expected=failed
		assert_eq "$expected" "$(db "SELECT status FROM draft WHERE source = 'lunes.md'")" "trial $trial: the one-post notice"
	done
}

test_chaos_thirty_drafts_thirty_percent_faults() {
	setup_publish
	local i
	for ((i = 10; i < 40; i++)); do
		printf -- '---\ntipo: aviso\ntitulo: Aviso %d\n---\nTexto del aviso número %d.\n' "$i" "$i" >"$T/notices/a$i.md"
	done
	ii notices
	# a 429 on the fifth post, and 30 % of every request failing in one way or another
	local reset=$(($(date +%s) + 2))
	x_post /_fault "[{\"kind\":\"delay\",\"ms\":1,\"match\":\"POST /2/tweets\",\"count\":4},{\"kind\":\"rate\",\"reset\":$reset,\"scope\":\"window\",\"match\":\"POST /2/tweets\"}]" >/dev/null
	x_post /_chaos '{"probability":0.3,"seed":7,"faults":[{"kind":"status","status":503},{"kind":"drop"},{"kind":"reset"},{"kind":"status","status":500}]}' >/dev/null
	local runs
	for ((runs = 0; runs < 60; runs++)); do
		ii publish
		[[ $(db "SELECT count(*) FROM draft WHERE status <> 'published'") == 0 ]] && break
		sleep 0.2
	done
	x_post /_chaos '{"probability":0}' >/dev/null
	assert_eq 0 "$(db "SELECT count(*) FROM draft WHERE status <> 'published'")" "drafts left after $runs runs"
	assert_eq 30 "$(posts_js 'p.length')" 'posts on the fake'
	assert_eq true "$(posts_js 'new Set(p.map(x => x.sent_text)).size === 30')" 'each exactly once'
	assert_eq true "$(posts_js 'p.every((x, i) => i === 0 || Number(x.sent_text.match(/\d+/)[0]) > Number(p[i - 1].sent_text.match(/\d+/)[0]))')" \
		'published in order'
	# no request before a 429's reset
	local requests
	requests=$(x_get /_requests)
	assert_eq true "$(json 'j.requests.some(x => x.status === 429)' "$requests")" 'a 429 was answered'
	assert_eq true "$(json '(() => {
		const r = j.requests.filter(x => x.path.startsWith("/2/"));
		const limited = r.filter(x => x.status === 429);
		return limited.every(l => r.every(x => x.at_ms <= l.at_ms || x.at_ms >= '"$reset"' * 1000));
	})()' "$requests")" 'requests before the reset'
	assert_no_secrets
}

test_unauthorized_stops_posting() {
	setup_publish
	thread_notice 2 cita.md
	ii notices
	# the fake knows other secrets now
	sed -i 's/^consumer_secret=.*/consumer_secret=otro-valor/' "$T/x.cred"
	ii publish
	assert_rc 69
	assert_contains "$ERR" "incluinfo: error: X refused the credentials in '$T/x.cred': posting stopped"
	assert_eq 0 "$(posts_js 'p.length')" 'posts'
	assert_eq approved "$(db 'SELECT status FROM draft')" 'the draft waits'
	assert_eq 'pending,pending' "$(db "SELECT group_concat(coalesce(state, 'pending')) FROM post LEFT JOIN publication USING (draft, seq)")" 'journal'
	assert_no_secrets
}

# run says once that X refuses the credentials, not on every run, and once that it ended
test_run_says_refused_credentials_once() {
	setup_publish
	thread_notice 1 cita.md
	ii notices
	sed -i 's/^consumer_secret=.*/consumer_secret=otro-valor/' "$T/x.cred"
	INCLUINFO_NOW=1764000000 ii run
	assert_rc 69
	assert_eq "incluinfo: error: X refused the credentials in '$T/x.cred': posting stopped" "$ERR" stderr
	INCLUINFO_NOW=1764000060 ii run
	assert_rc 69
	assert_eq '' "$OUT$ERR" 'output of the next run'
	sed -i "s/^consumer_secret=.*/consumer_secret=${X_SECRETS[0]}/" "$T/x.cred"
	INCLUINFO_NOW=1764003600 ii run
	assert_rc 0
	assert_eq 'incluinfo: notice: the X account posts again after 1 h' "$ERR" 'stderr when it ended'
	assert_eq 1 "$(posts_js 'p.length')" 'posts'
}

test_bad_request_fails_the_draft() {
	setup_publish
	thread_notice 2 cita.md
	ii notices
	x_post /_fault '{"kind":"status","status":400,"match":"POST /2/tweets"}' >/dev/null
	ii --json publish
	assert_rc 65
	assert_json 'j.failed.length' 1
	assert_contains "$(json 'j.failed[0].error')" 'X refused post 1'
	assert_eq failed "$(db 'SELECT status FROM draft')" 'draft'
	ii drafts
	assert_contains "$OUT" 'failed'
}

test_duplicate_is_reconciled_never_resent() {
	setup_publish
	thread_notice 1 cita.md
	ii notices
	# the post is already on X: the fake answers 403 duplicate
	ii --json preview "$T/notices/cita.md"
	local text
	text=$(json 'j.posts[0].text')
	x_post /_fault '{"kind":"drop","match":"POST /2/tweets"}' >/dev/null
	ii publish
	ii publish
	assert_rc 0
	assert_eq 1 "$(posts_js 'p.length')" 'posts'
	assert_eq "$text" "$(posts_js 'p[0].sent_text')" 'the post'
	assert_eq published "$(db 'SELECT status FROM draft')" 'draft'
}

test_usage_cap_defers_until_it_resets() {
	setup_publish
	thread_notice 2 cita.md
	ii notices
	x_post /_fault '{"kind":"usage_cap","match":"POST /2/tweets"}' >/dev/null
	ii --json publish
	# rate limited: try again later
	assert_rc 75
	assert_json 'j.deferred.length' 1
	assert_contains "$(json 'j.deferred[0].reason')" 'rate limited'
	assert_eq 0 "$(posts_js 'p.length')" 'posts'
	# the channel stays closed: the next run does not even try
	local before
	before=$(x_get /_requests | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>console.log(JSON.parse(t).requests.length))')
	ii --json publish
	assert_rc 75
	assert_contains "$(json 'j.deferred[0].reason')" 'posting is paused until'
	assert_eq "$before" "$(x_get /_requests | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>console.log(JSON.parse(t).requests.length))')" \
		'requests while paused'
	ii status
	assert_contains "$OUT" 'paused until'
}

# a 429 whose reset is years ahead pauses a day at most, and run says so once, with the
# time X asked for, and once that the pause ended
test_far_reset_pauses_a_day_and_run_says_so_once() {
	setup_publish
	thread_notice 1 cita.md
	ii notices
	local now decade
	now=$(date +%s)
	decade=$((now + 10 * 365 * 86400))
	x_post /_fault "{\"kind\":\"rate\",\"reset\":$decade,\"scope\":\"window\",\"match\":\"POST /2/tweets\"}" >/dev/null
	INCLUINFO_NOW=$now ii run
	assert_rc 75
	assert_match "$ERR" "^incluinfo: error: posting to X is paused until [0-9: -]+: rate limited \(X asked to wait until $(date -d "@$decade" +%Y)-[0-9: -]+, more than 24 h ahead\)$" stderr
	assert_eq $((now + 86400)) "$(db "SELECT value FROM channel WHERE name = 'stopped_until'")" 'the pause'
	INCLUINFO_NOW=$((now + 60)) ii run
	assert_rc 75
	assert_eq '' "$OUT$ERR" 'output of the next run'
	INCLUINFO_NOW=$((now + 60)) ii status
	assert_match "$OUT" 'condition +posting to X is paused until' stdout
	# the pause ends on another day: publish names it
	INCLUINFO_NOW=$((now + 60)) ii publish
	assert_contains "$OUT" "posting is paused until $(TZ=Europe/Madrid date -d "@$((now + 86400))" '+%Y-%m-%d %H:%M')"
	# a day later X takes the post
	x_request POST /_reset '{}' >/dev/null
	INCLUINFO_NOW=$((now + 86400 + 60)) ii run
	assert_rc 0
	assert_eq 'incluinfo: notice: posting to X no longer paused after 1 d' "$ERR" 'stderr when it ended'
	assert_eq 1 "$(posts_js 'p.length')" 'posts'
}

test_budget_must_cover_the_whole_thread() {
	setup_publish
	x_post /_budget "{\"route\":\"POST /2/tweets\",\"window_remaining\":3,\"window_reset\":$(($(date +%s) + 600))}" >/dev/null
	thread_notice 1 uno.md
	ii notices
	ii publish
	assert_rc 0
	# two posts left, a thread of four: it waits for the reset rather than start
	thread_notice 4 cita.md
	ii notices
	local before
	before=$(x_get /_requests)
	ii --json publish
	assert_rc 75
	assert_contains "$(json 'j.deferred[0].reason')" 'the rate-limit budget does not cover the thread until'
	assert_eq "$(json 'j.requests.length' "$before")" "$(json 'j.requests.length' "$(x_get /_requests)")" \
		'requests for a thread the budget cannot cover'
	assert_eq 1 "$(posts_js 'p.length')" 'posts'
}

test_credentials_open_to_others_are_refused() {
	setup_publish
	thread_notice 1 cita.md
	ii notices
	chmod 644 "$T/x.cred"
	ii publish
	assert_rc 78
	assert_contains "$ERR" "chmod 600 '$T/x.cred'"
	assert_no_secrets
}

test_http_api_only_on_loopback() {
	conf_new
	conf_service sede "$(web status/200)"
	conf_raw '[twitter]' 'api_url = http://api.x.com'
	ii config
	assert_rc 78
	assert_contains "$ERR" "incluinfo.conf:8: error: invalid url 'http://api.x.com': http is allowed only for loopback hosts"
}

test_trace_redacts_authorization() {
	setup_publish
	thread_notice 1 cita.md
	ii notices
	ii -v -v publish
	assert_rc 0
	assert_contains "$ERR" 'Authorization: [redacted]'
	assert_no_secrets
}

test_retract_deletes_the_posts() {
	setup_publish
	thread_notice 3 cita.md
	ii notices
	ii publish
	local id
	id=$(db "SELECT uuid FROM draft")
	ii retract "${id:0:8}" --by Luis --reason 'Dato equivocado'
	assert_rc 0
	assert_eq 0 "$(posts_js 'p.length')" 'posts left'
	ii --json log "$id"
	assert_json 'j[j.length - 1].action' retracted 'j[j.length - 1].name' Luis
}

test_incident_thread_is_published_as_one_thread_and_fed() {
	setup_publish
	conf_service caida "$(seq_url caida 503,503,200,200)" failures_to_open=1 successes_to_resolve=1
	INCLUINFO_NOW=1796112000 ii run
	assert_rc 0
	# run's one line: what the public now sees, on which channel, with its id
	assert_eq "published $(db "SELECT substr(uuid, 1, 8) FROM draft") \"caida: alerta\" on X: 1 post, the last https://x.com/i/web/status/$(db "SELECT remote_ref FROM publication")" \
		"$OUT" 'what run prints'
	assert_eq '' "$ERR" 'stderr of run'
	INCLUINFO_NOW=1796112060 ii run
	INCLUINFO_NOW=1796112120 ii run
	assert_eq 'alerta resuelta' "$(db "SELECT group_concat(kind, ' ') FROM draft")" 'drafts'
	assert_one_chain 2
	assert_contains "$(posts_js 'p[1].sent_text')" 'vuelve a funcionar con normalidad'
	# the feeds follow
	assert_contains "$(cat "$T/feeds/incidencias.atom")" '[Resuelto] caida'
	ls "$T/feeds/cap/"*.xml >/dev/null 2>&1 || fail 'no CAP message'
	assert_no_secrets
}

test_feeds_validate_and_escape_hostile_text() {
	setup_publish
	conf_service caida "$(seq_url caida 503,200)" failures_to_open=1 successes_to_resolve=1
	printf '%s' '---
tipo: bulo
titulo: "Las <b>pensiones</b> & los ]]> bulos \u200f no bajan"
bulo: Un mensaje dice "que <script>alert(1)</script> bajarán" un 20 % en enero y muchas cosas más que no caben en setenta y cinco caracteres
veredicto: sin contexto
fuentes: [https://www.boe.es/?a=1&b=2]
etiquetas: [pensiones]
---
Texto con <etiquetas> & ampersands ]]> y emoji 👨‍👩‍👧‍👦.
' >"$T/notices/hostil.md"
	INCLUINFO_NOW=1796112000 ii run
	INCLUINFO_NOW=1796112060 ii run
	assert_rc 0
	ii feeds
	assert_rc 0
	assert_contains "$OUT" "feeds written to $T/feeds: incidencias.atom (2 entries), avisos.atom (1), cap/ (2 messages), desmentidos/ (1 ClaimReview)"
	local f
	for f in "$T/feeds/incidencias.atom" "$T/feeds/avisos.atom" "$T/feeds/cap/index.atom"; do
		xmllint --noout --relaxng "$root/tests/schemas/atom.rng" "$f" 2>"$T/.xmllint" ||
			fail "${f##*/} does not validate: $(<"$T/.xmllint")"
	done
	for f in "$T/feeds/cap/"*.xml; do
		xmllint --noout --relaxng "$root/tests/schemas/cap12.rng" "$f" 2>"$T/.xmllint" ||
			fail "${f##*/} does not validate: $(<"$T/.xmllint")"
	done
	# the hostile title comes back as it was written
	# (issue 14: what it is before the fact, never the verdict before the fact)
	assert_eq 'Bulo desmentido: Las <b>pensiones</b> & los ]]> bulos ‏ no bajan' \
		"$(xmllint --xpath 'string(//*[local-name()="entry"]/*[local-name()="title"])' "$T/feeds/avisos.atom")" \
		'the title in avisos.atom'
	# the second CAP message of the incident refers to the first
	local second
	second=$(ls "$T/feeds/cap/"*-2.xml)
	assert_contains "$(xmllint --xpath 'string(//*[local-name()="references"])' "$second")" '-1,'
	assert_eq AllClear "$(xmllint --xpath 'string(//*[local-name()="responseType"])' "$second")" 'resolution'
	# the ClaimReview, read back
	local review
	review=$(cat "$T/feeds/desmentidos/"*.jsonld)
	OUT=$review assert_json 'j["@type"]' ClaimReview 'j.reviewRating.alternateName' 'SIN CONTEXTO' \
		'j.reviewRating.ratingValue' 3 '[...j.claimReviewed].length <= 75' true \
		'j.itemReviewed.text.includes("<script>")' true \
		'j.headline.startsWith("Bulo desmentido: Las <b>pensiones</b>")' true
	assert_no_secrets
}

test_run_without_credentials_is_quiet_while_nothing_is_due() {
	conf_new
	conf_service sede "$(web status/200)"
	mkdir -p "$T/notices"
	ii run
	assert_rc 0
	assert_eq '' "$OUT$ERR" 'output of a monitoring-only run'
	# something due and no account: that is an error
	ii incident open --scope sede --message 'La sede va lenta.'
	ii run
	assert_rc 78
	assert_contains "$ERR" 'no [twitter] credentials'
}

# Issue 12 case 4 (a): a reject while the thread is being sent does not say "rejected" of a
# thread that goes out: refused, naming how much is public, and the audit agrees.
test_reject_while_publishing_is_refused_and_the_audit_agrees() {
	setup_publish
	thread_notice 3 cita.md
	ii notices
	local id
	id=$(db "SELECT uuid FROM draft")
	# every post takes 400 ms: the reject comes while the thread is out in part
	x_post /_fault '{"kind":"delay","ms":400,"match":"POST /2/tweets","count":3}' >/dev/null
	"$INCLUINFO" -c "$CONF" publish >"$T/publish.out" 2>&1 &
	local pid=$!
	local _
	for _ in $(seq 100); do
		[[ $(db "SELECT count(*) FROM publication WHERE state = 'sent'") -ge 1 ]] && break
		sleep 0.02
	done
	ii reject "${id:0:8}" --by Luis --reason 'No era verdad'
	wait "$pid"
	assert_rc 65
	assert_contains "$ERR" "incluinfo: error: cannot reject draft '${id:0:8}': it is being published,"
	assert_contains "$ERR" 'of 3 posts are public; retract it once it is published'
	assert_eq published "$(db "SELECT status FROM draft")" 'status'
	assert_one_chain 3
	assert_eq 0 "$(db "SELECT count(*) FROM audit WHERE action = 'rejected'")" 'rejections audited'
	# retracted once published: gone from X, and the draft says so
	ii retract "${id:0:8}" --by Luis --reason 'No era verdad'
	assert_rc 0
	assert_eq 0 "$(posts_js 'p.length')" 'posts left'
}

# Issue 12 case 4 (b): with notices = auto, a retracted rebuttal whose file is edited waits
# for a person; its ClaimReview leaves the feeds at once; show and publish agree.
test_retracted_rebuttal_edited_is_not_republished_by_auto_policy() {
	setup_publish
	printf '%s' $'---\ntipo: bulo\ntitulo: Las pensiones no bajan\nbulo: Dicen que bajan un 20 %\nveredicto: FALSO\nfuentes: [https://www.boe.es/pensiones]\n---\nLas pensiones suben en enero.\n' \
		>"$T/notices/pensiones.md"
	ii run
	assert_eq true "$(posts_js 'p.length > 0')" 'published'
	ls "$T/feeds/desmentidos/"*.jsonld >/dev/null 2>&1 || fail 'no ClaimReview after publication'
	printf '%s' $'---\ntipo: bulo\ntitulo: Las pensiones no bajan\nbulo: Dicen que bajan un 20 %\nveredicto: FALSO\nfuentes: [https://www.boe.es/pensiones]\n---\nLas pensiones suben en enero, un 2,8 %.\n' \
		>"$T/notices/pensiones.md"
	ii notices
	local id
	id=$(db "SELECT uuid FROM draft")
	ii retract "${id:0:8}" --by Luis --reason 'Dato equivocado'
	assert_rc 0
	ls "$T/feeds/desmentidos/"*.jsonld >/dev/null 2>&1 && fail 'the ClaimReview stayed in the feeds'
	assert_not_contains "$(cat "$T/feeds/avisos.atom")" 'Las pensiones no bajan'
	ii run
	ii run
	assert_eq 0 "$(posts_js 'p.length')" 'posts after the next runs'
	ii show "${id:0:8}"
	assert_contains "$OUT" 'status:  pending'
	assert_not_contains "$OUT" 'not republished'
	ii --json log "$id"
	assert_json 'j[j.length - 1].action' 'approval withheld'
	# a copy under another name is the same content: it waits too
	cp "$T/notices/pensiones.md" "$T/notices/copia.md"
	ii run
	assert_eq 'pending pending' "$(db "SELECT group_concat(status, ' ') FROM draft")" 'statuses'
	assert_eq 0 "$(posts_js 'p.length')" 'posts after the copy'
	# a person approves the new revision: then, and only then, it goes out
	ii approve "${id:0:8}" --by Ana
	ii run
	assert_eq true "$(posts_js 'p.length > 0')" 'posts after the approval'
	ls "$T/feeds/desmentidos/"*.jsonld >/dev/null 2>&1 || fail 'no ClaimReview after the approval'
}

# Review of issue 12, 1: every content a person rejected or retracted keeps blocking the
# automatic approval, even after the draft was revised to other content: a copy of the
# original text under another name waits for a person, after a retraction and a rejection.
test_refused_content_stays_refused_after_a_revision() {
	setup_publish
	local original=$'---\ntipo: bulo\ntitulo: Las pensiones no bajan\nbulo: Dicen que bajan\nveredicto: FALSO\nfuentes: [https://www.boe.es/pensiones]\n---\nNunca bajan.\n'
	printf '%s' "$original" >"$T/notices/pensiones.md"
	ii run
	assert_eq true "$(posts_js 'p.length > 0')" 'published'
	local id
	id=$(db "SELECT uuid FROM draft")
	ii retract "${id:0:8}" --by Luis --reason 'Dato equivocado'
	assert_rc 0
	printf '%s' "${original/Nunca/Jamás}" >"$T/notices/pensiones.md"
	ii run
	printf '%s' "$original" >"$T/notices/copia.md"
	ii run
	assert_eq 0 "$(posts_js 'p.length')" 'posts after the copy of the retracted text'
	assert_eq 'pending pending' "$(db "SELECT group_concat(status, ' ') FROM draft")" 'statuses'
	# the same with a rejection: the rejected text, revised away and copied back, waits
	printf '%s' "${original/Nunca bajan/Suben}" >"$T/notices/otro.md"
	ii notices
	local other
	other=$(db "SELECT uuid FROM draft WHERE source LIKE '%otro.md'")
	ii reject "${other:0:8}" --by Luis --reason 'No'
	assert_rc 0
	printf '%s' "${original/Nunca bajan/Suben mucho}" >"$T/notices/otro.md"
	ii run
	printf '%s' "${original/Nunca bajan/Suben}" >"$T/notices/otra-copia.md"
	ii run
	assert_eq 0 "$(posts_js 'p.length')" 'posts after the copy of the rejected text'
	assert_eq pending "$(db "SELECT status FROM draft WHERE source LIKE '%otra-copia.md'")" 'the copy'
}

# Issue 12 case 6: an outage from 23:50 to 01:50 recorded while X could not be reached
# (no credentials) is not announced at 09:00 as if it were going on: the alert and the
# updates were superseded, and only the resolution, true still, goes out, on its own.
test_overnight_outage_is_not_posted_stale_in_the_morning() {
	setup_publish
	local t=1796165400 # 2026-12-01 23:50 in Madrid
	conf_service caida "$(seq_url caida 503,503,503,503,200)" failures_to_open=1 \
		successes_to_resolve=1 remind_minutes=30 'name=La Sede'
	mv "$T/x.cred" "$T/x.cred.off"
	local i
	for ((i = 0; i <= 4; i++)); do
		INCLUINFO_NOW=$((t + i * 1800)) ii run
	done
	assert_eq 0 "$(posts_js 'p.length')" 'posts while X could not be reached'
	mv "$T/x.cred.off" "$T/x.cred"
	INCLUINFO_NOW=$((t + 33 * 600)) ii run # 09:20
	assert_rc 0
	assert_eq 1 "$(posts_js 'p.length')" 'posts in the morning'
	assert_contains "$(posts_js 'p[0].sent_text')" 'vuelve a funcionar con normalidad desde la 1:50'
	assert_eq null "$(posts_js 'p[0].reply_to')" 'the resolution answers nothing'
	assert_eq 0 "$(db "SELECT count(*) FROM draft WHERE status IN ('approved', 'pending')")" \
		'drafts left to send'
}

# Issue 12 case 18: a feeds write that failed (a full disk) is caught up by the next run.
test_feeds_failed_after_publication_are_caught_up() {
	setup_publish
	thread_notice 1 cita.md
	# a file where the feeds' folder should be: no feed can be written
	: >"$T/feeds"
	ii run
	assert_rc 73
	assert_eq true "$(posts_js 'p.length > 0')" 'published'
	rm "$T/feeds"
	ii run
	assert_rc 0
	assert_contains "$(cat "$T/feeds/avisos.atom")" 'Cómo pedir cita previa'
}

test_older_identical_post_is_never_adopted() {
	setup_publish
	thread_notice 1 cita.md
	ii --json preview "$T/notices/cita.md"
	local text monday
	text=$(json 'j.posts[0].text')
	# Monday's post of the very same text, made a day ago
	monday=$(x_request POST /_posts "$(TEXT=$text node -e 'console.log(JSON.stringify({text: process.env.TEXT,
		created_at: new Date(Date.now() - 86400e3).toISOString()}))')")
	monday=$(json 'j.data.id' "$monday")
	ii notices
	ii --json publish
	assert_rc 65
	assert_contains "$(json 'j.failed[0].error')" 'X says post 1 is a duplicate, and no post of its own was found'
	assert_eq 0 "$(db "SELECT count(*) FROM publication WHERE remote_ref = '$monday'")" "Monday's post recorded as this one"
	assert_eq failed "$(db 'SELECT status FROM draft')" 'draft'
	# its own post, answered duplicate after it was made, is found and kept
	rm "$T/notices/cita.md"
	thread_notice 2 hoy.md
	ii notices
	x_post /_fault '{"kind":"duplicate","match":"POST /2/tweets"}' >/dev/null
	ii publish
	assert_rc 0
	assert_eq published "$(db "SELECT status FROM draft WHERE source = 'hoy.md'")" 'the draft answered duplicate'
	assert_eq 3 "$(posts_js 'p.length')" 'posts on the fake'
}

test_repeated_post_is_refused_before_the_thread_starts() {
	setup_publish
	local closing='Fuentes: https://www.boe.es/buscar/doc.php?id=BOE-A-2024-1 #Pensiones'
	notice_paragraphs uno.md 'Bulo de las pensiones' 'Las pensiones no bajan en enero.' "$closing"
	notice_paragraphs dos.md 'Otro bulo de las pensiones' 'Las pensiones no se congelan.' "$closing"
	ii notices
	ii --json publish
	assert_rc 65
	local first
	first=$(db "SELECT uuid FROM draft WHERE status = 'published'")
	assert_json 'j.published.length' 1 'j.failed.length' 1
	assert_contains "$(json 'j.failed[0].error')" "post 2/2 repeats draft ${first:0:8}'s post 2/2, already on X"
	assert_eq 2 "$(posts_js 'p.length')" 'posts on the fake: the second thread never started'
	# lint, preview and notices say so of a notice that would repeat it
	notice_paragraphs tres.md 'Tercer bulo' 'Otro mensaje falso.' "$closing"
	ii lint "$T/notices/tres.md"
	assert_rc 65
	assert_contains "$ERR" "tres.md: error: post 2/2 repeats draft ${first:0:8}'s post 2/2, already on X"
	ii preview "$T/notices/tres.md"
	assert_rc 65
	assert_contains "$ERR" "repeats draft ${first:0:8}'s post 2/2"
	ii notices
	assert_contains "$ERR$OUT" "tres.md: error: post 2/2 repeats draft ${first:0:8}"
	assert_eq 0 "$(db "SELECT count(*) FROM draft WHERE source = 'tres.md'")" 'a draft of the repeating notice'
	# the published notice itself is no repeat of its own posts
	ii lint "$T/notices/dos.md"
	assert_rc 0
}

test_thread_stopped_midway_resumes_after_the_fix() {
	setup_publish
	notice_paragraphs uno.md 'Bulo de las pensiones' 'Las pensiones no bajan en enero.' 'Segunda parte.' 'Tercera parte.'
	ii notices
	# X refuses the second post, whatever the reason
	x_post /_fault '[{"kind":"delay","ms":1,"match":"POST /2/tweets"},{"kind":"status","status":400,"match":"POST /2/tweets"}]' >/dev/null
	ii publish
	assert_rc 65
	assert_contains "$ERR" 'stopped midway on X: 1 of 3 posts are public'
	local id
	id=$(db 'SELECT uuid FROM draft')
	ii status
	assert_contains "$OUT" "draft ${id:0:8} \"Bulo de las pensiones\" stopped midway: posts 1-1 of 3 are public"
	ii show "${id:0:8}"
	assert_contains "$OUT" 'public:  1 of 3 posts on X: the thread stopped midway'
	# fixed: the public post kept, the rest changed; approved again, it follows on
	notice_paragraphs uno.md 'Bulo de las pensiones' 'Las pensiones no bajan en enero.' 'Segunda parte, corregida.' 'Tercera parte.'
	ii notices
	assert_eq approved "$(db 'SELECT status FROM draft')" 'the revised draft ([policy] notices = auto)'
	ii publish
	assert_rc 0
	assert_eq published "$(db 'SELECT status FROM draft')" 'draft'
	assert_one_chain 3
	assert_contains "$(posts_js 'p[1].sent_text')" 'corregida'
}

test_reply_to_a_deleted_alert_goes_out_on_its_own() {
	setup_publish
	conf_service caida "$(seq_url caida 503,200)" failures_to_open=1 successes_to_resolve=1
	INCLUINFO_NOW=1796112000 ii run
	assert_eq 1 "$(posts_js 'p.length')" 'the alert'
	# a person deletes the alert on x.com
	x_post /_delete "{\"id\":\"$(posts_js 'p[0].id')\"}" >/dev/null
	INCLUINFO_NOW=1796112060 ii run
	assert_rc 0
	assert_eq 1 "$(posts_js 'p.length')" 'the resolution, on its own'
	assert_eq null "$(posts_js 'p[0].reply_to')" 'what the resolution answers'
	assert_contains "$(posts_js 'p[0].sent_text')" 'vuelve a funcionar con normalidad'
	assert_eq 'published published' "$(db "SELECT group_concat(status, ' ') FROM draft")" 'drafts'
	ii --json log "$(db "SELECT uuid FROM draft WHERE kind = 'resuelta'")"
	assert_contains "$(json 'j.map(x => x.action).join()')" 'reply target gone'
}

# Issue 13 case 8: a crash while the credentials are loaded writes no core file: the
# process is not dumpable and its core limit is 0, whatever limit it was started with.
test_crash_with_credentials_loaded_writes_no_core() {
	setup_publish
	thread_notice 2 cita.md
	ii notices
	# the first post hangs for 5 s: the process is caught holding the secrets
	x_post /_fault '{"kind":"delay","ms":5000,"match":"POST /2/tweets","count":1}' >/dev/null
	mkdir -p "$T/cwd"
	(cd "$T/cwd" && ulimit -c unlimited && exec "$INCLUINFO" -c "$CONF" publish >/dev/null 2>&1) &
	local pid=$! _
	for _ in $(seq 200); do
		[[ $(db "SELECT count(*) FROM publication WHERE state = 'sending'") -ge 1 ]] && break
		sleep 0.02
	done
	[[ $(db "SELECT count(*) FROM publication WHERE state = 'sending'") -ge 1 ]] || fail 'publish never sent'
	assert_match "$(grep 'Max core file size' "/proc/$pid/limits")" 'Max core file size +0 +0 ' 'core limit'
	# SIGQUIT dumps core by default, and the sanitizers leave it alone (they catch SIGSEGV)
	kill -QUIT "$pid"
	wait "$pid"
	local rc=$?
	((rc == 128 + 3)) || fail "publish ended with $rc, not by SIGQUIT"
	assert_eq '' "$(ls -A "$T/cwd")" 'files left where publish ran (a core?)'
}

# X behind something that quotes the request back (a proxy's error page): the bearer token
# in its words is redacted before they are printed, stored or audited
test_a_refusal_quoting_the_bearer_token_shows_none_of_it() {
	setup_publish
	printf 'bearer_token=%s\n' "${X_SECRETS[2]}" >"$T/x.cred"
	quoting_start
	sed -i "s|^api_url = $X_URL\$|api_url = $QUOTING_URL|" "$CONF"
	thread_notice 2 uno.md
	notice_paragraphs dos.md 'Dos' 'Un aviso de una parte.'
	ii notices
	ii publish
	out_has 'not with Bearer [redacted]'
	assert_no_secrets
}
