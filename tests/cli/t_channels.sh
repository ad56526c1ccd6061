# Publishing to every configured channel: X (tests/fakes/xapi.js), Mastodon
# (tests/fakes/mastodon.js) and Bluesky (tests/fakes/bsky.js) at once, each exactly once,
# one channel's trouble never holding another; the [channel ID] sections.

# setup_channels [MASTODON.JS ARGS...]: setup_publish's X with a Mastodon channel beside it
setup_channels() {
	setup_publish
	m_start "$@"
	conf_mastodon
}

# setup_three: setup_channels with a Bluesky channel as well: the three networks at once
setup_three() {
	setup_channels
	b_start
	conf_bluesky
}

# m_posts_js EXPR: EXPR over p, the Mastodon fake's live statuses, oldest first
m_posts_js() {
	json "(p => $1)(j.posts.filter(x => !x.deleted))" "$(m_get /_posts)"
}

# assert_m_chain N: the Mastodon fake holds N statuses, each answering the one before, none
# twice, all public
assert_m_chain() {
	assert_eq "$1 chained unique public" "$(m_posts_js '[p.length,
		p.every((x, i) => i === 0 ? x.reply_to === null : x.reply_to === p[i - 1].id) ? "chained" : "broken",
		new Set(p.map(x => x.text)).size === p.length ? "unique" : "twice",
		p.every(x => x.visibility === "public") ? "public" : "not public"].join(" ")')" \
		'statuses on the Mastodon fake: how many, chained, unique, visibility'
}

# journal CHANNEL: the remote references of the only draft's posts on CHANNEL, in order
journal() {
	db "SELECT group_concat(remote_ref, ' ') FROM (SELECT remote_ref FROM publication
		WHERE channel = '$1' AND state = 'sent' ORDER BY seq)"
}

test_a_thread_goes_to_x_and_mastodon_each_once() {
	setup_channels
	thread_notice 3 cita.md
	ii notices
	ii publish
	assert_rc 0
	out_has 'X: published'
	out_has 'Mastodon: published'
	assert_one_chain 3
	assert_m_chain 3
	assert_eq "$(m_posts_js 'p.map(x => x.id).join(" ")')" "$(journal mastodon)" 'Mastodon ids journalled'
	assert_eq "$(posts_js 'p.map(x => x.sent_text).join("\n")')" \
		"$(m_posts_js 'p.map(x => x.text).join("\n")')" 'the same texts on both'
	assert_eq published "$(db "SELECT status FROM draft")" 'draft status'
	assert_eq 'mastodon published|x published' \
		"$(db "SELECT group_concat(channel || ' ' || state, '|') FROM (SELECT * FROM delivery ORDER BY channel)")" \
		'how it ended on each channel'
	# every status went with an idempotency key of its own, and the token stayed a secret
	assert_eq '3 3' "$(json '(r => [r.length, new Set(r.map(x => x.key)).size].join(" "))(j.requests.filter(x => x.method === "POST" && x.key))' "$(m_get /_requests)")" \
		'POSTs with distinct Idempotency-Keys'
	ii publish
	assert_rc 0
	assert_m_chain 3
	[[ -z $(grep -rlF --exclude=m.cred "$M_TOKEN" "$T" 2>/dev/null) ]] || fail 'the Mastodon token leaked'
}

# long_notice FILE: an aviso of two paragraphs of about 450 characters each: two posts on
# X for each, one status on Mastodon for each
long_notice() {
	notice_paragraphs "$1" 'Las pensiones no bajan en enero' \
		'Circula un mensaje que dice que las pensiones bajarán en enero. Es falso: la ley fija cada año la subida de las pensiones con el IPC medio, y este año suben un 2,8 %. Nadie tiene que hacer ningún trámite para cobrarla. El mensaje pide además tus datos bancarios para «mantener la pensión». La Seguridad Social nunca te pide datos por mensaje ni por teléfono: no contestes y bórralo. Si ya has dado tus datos, llama a tu banco cuanto antes.' \
		'Puedes consultar la cuantía de tu pensión en la sede electrónica, con certificado, Cl@ve o DNI electrónico, o en cualquier oficina con cita previa. Toda la información está en https://www.seg-social.es/wps/portal/wss/internet/Pensionistas y en el BOE. Comparte este aviso con quien pueda recibir el mensaje, sobre todo con las personas mayores, que son quienes más lo reciben estos días.'
}

test_a_long_notice_is_cut_for_each_network() {
	setup_channels
	long_notice pensiones.md
	ii notices
	assert_rc 0
	local id
	id=$(db "SELECT uuid FROM draft")
	# what is approved is each network's own thread, cut when the draft was made
	ii show "$id"
	out_has 'posts on mastodon:'
	out_has '[2/2] '
	assert_eq '4 2' "$(json '[j.posts.length, j.channels.find(c => c.id === "mastodon").posts.length].join(" ")' \
		"$(ii --json show "$id"; echo "$OUT")")" 'posts on X and on Mastodon in show --json'
	ii publish --dry-run
	out_has 'X: would publish'
	assert_eq '(4 posts) (2 posts)' "$(grep -o '([0-9] posts)' <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')" \
		'each channel'"'"'s own thread in publish --dry-run'
	ii publish
	assert_rc 0
	assert_one_chain 4
	assert_m_chain 2
	# each valid where it went: X's within 280 weighted, Mastodon's within 500
	assert_eq true "$(m_posts_js 'p.every(x => [...new Intl.Segmenter().segment(x.text)].length <= 500 && x.text.length > 280)')" \
		'Mastodon statuses longer than a post on X, within 500'
	assert_eq "$(db "SELECT group_concat(text, '|') FROM (SELECT text FROM post WHERE channel = 'mastodon' ORDER BY seq)")" \
		"$(m_posts_js 'p.map(x => x.text).join("|")')" 'the statuses are the thread stored for Mastodon'
	assert_eq published "$(db "SELECT status FROM draft")" 'draft status'
}

test_thread_mode_single_gives_one_post_on_x() {
	setup_channels
	sed -i '/^\[twitter\]$/a thread_mode = single' "$CONF"
	long_notice pensiones.md
	ii preview "$T/notices/pensiones.md"
	assert_rc 0
	out_has 'X: 1 post'
	out_has 'Mastodon: 2 posts'
	# lint checks the single post too
	ii lint "$T/notices/pensiones.md"
	assert_rc 0
	ii notices
	ii publish
	assert_rc 0
	assert_one_chain 1
	assert_eq $'Las pensiones no bajan en enero\nhttps://www.seg-social.es/feeds/avisos.atom' \
		"$(posts_js 'p[0].sent_text')" 'the one post on X: the headline and the link to the whole text'
	assert_m_chain 2
	# a feed is code in a browser: config says to give the notices' page, and with it the
	# single post links there
	ii config
	assert_rc 0
	err_has "thread_mode = single links a notice's post on X to the Atom feed"
	sed -i '/^base_url = /a notice_url = https://www.seg-social.es/avisos/{slug}' "$CONF"
	ii config
	assert_not_contains "$ERR" 'thread_mode = single links' 'config with the notices page'
	notice_paragraphs becas.md 'Las becas se piden en marzo' 'Las becas se piden en marzo, en la sede.' \
		'Es un trámite gratuito.'
	ii notices
	ii publish
	assert_rc 0
	assert_eq $'Las becas se piden en marzo\nhttps://www.seg-social.es/avisos/las-becas-se-piden-en-marzo' \
		"$(posts_js 'p[1].sent_text')" 'the single post links the notice page'
	# a single post needs the feeds' public address
	sed -i '/^base_url = /d' "$CONF"
	ii config
	assert_rc 78
	err_has 'thread_mode = single needs [feeds] base_url'
	sed -i 's/^thread_mode = single$/thread_mode = hilo/' "$CONF"
	ii config
	assert_rc 78
	err_has "invalid value 'hilo' for 'thread_mode': expected replies or single"
}

test_a_draft_cut_before_schema_12_goes_to_every_channel_as_approved() {
	setup_publish
	thread_notice 3 cita.md
	ii notices
	assert_rc 0
	# the store as schema 11 left it: one thread, X's, for every channel
	sqlite3 "$T/$DB_FILE" "CREATE TABLE post11 (draft TEXT NOT NULL REFERENCES draft(uuid),
		seq INTEGER NOT NULL, text TEXT NOT NULL, weighted_length INTEGER NOT NULL,
		PRIMARY KEY (draft, seq));
		INSERT INTO post11 SELECT draft, seq, text, weighted_length FROM post WHERE channel = 'x';
		DROP TABLE post; ALTER TABLE post11 RENAME TO post;
		ALTER TABLE draft DROP COLUMN one_cut; ALTER TABLE draft DROP COLUMN single_text;
		ALTER TABLE draft DROP COLUMN single_length; ALTER TABLE publication DROP COLUMN request_key;
		PRAGMA user_version = 11;"
	m_start
	conf_mastodon
	ii publish
	assert_rc 0
	assert_eq 13 "$(db 'PRAGMA user_version')" 'schema'
	assert_one_chain 3
	assert_m_chain 3
	assert_eq "$(posts_js 'p.map(x => x.sent_text).join("|")')" "$(m_posts_js 'p.map(x => x.text).join("|")')" \
		'the posts it was approved with, on both'
	assert_eq 'x' "$(db "SELECT group_concat(DISTINCT channel) FROM post")" 'the posts kept as X'"'"'s'
}

test_a_channel_configured_later_is_not_sent_older_drafts() {
	setup_publish
	thread_notice 2 cita.md
	ii notices
	m_start
	conf_mastodon
	ii publish
	assert_rc 0
	assert_one_chain 2
	assert_m_chain 0
	assert_eq published "$(db "SELECT status FROM draft")" 'draft status'
	ii show "$(db "SELECT uuid FROM draft")"
	out_has 'public:  none on mastodon: no thread was cut for it'
	# a notice written now is cut for every channel configured now
	thread_notice 3 otra.md
	ii notices
	ii publish
	assert_m_chain 3
}

test_mastodon_down_does_not_hold_x_and_catches_up() {
	setup_channels
	thread_notice 2 cita.md
	ii notices
	m_post /_fault '{"kind":"status","status":503,"count":20}'
	ii publish
	assert_rc 69
	err_has 'Mastodon did not answer'
	assert_one_chain 2
	assert_m_chain 0
	assert_eq approved "$(db "SELECT status FROM draft")" 'a draft waiting for one channel'
	m_post /_reset '{}'
	ii publish
	assert_rc 0
	assert_m_chain 2
	assert_one_chain 2
	assert_eq published "$(db "SELECT status FROM draft")" 'draft status'
}

test_a_status_mastodon_refuses_fails_the_draft_there_only() {
	setup_channels --max-characters 60
	thread_notice 2 cita.md
	ii notices
	ii publish
	assert_rc 65
	out_has 'Mastodon refused post 1'
	assert_one_chain 2
	assert_m_chain 0
	assert_eq failed "$(db "SELECT status FROM draft")" 'draft status'
	assert_eq 'mastodon failed|x published' \
		"$(db "SELECT group_concat(channel || ' ' || state, '|') FROM (SELECT * FROM delivery ORDER BY channel)")" \
		'how it ended on each channel'
	assert_contains "$(db "SELECT error FROM draft")" 'character limit of 60 exceeded' 'the draft error'
}

# An instance (an inline server, not the fake) whose refusals quote the request's
# Authorization back, in JSON's "error" and as a bare page, as a proxy's or a debugging
# server's error page may: the token is in no output, file or database row.
test_a_refusal_quoting_the_token_shows_none_of_it() {
	setup_publish
	m_start
	quoting_start
	M_URL=$QUOTING_URL
	conf_mastodon
	thread_notice 2 uno.md
	notice_paragraphs dos.md 'Dos' 'Un aviso de una parte.'
	ii notices
	ii publish
	assert_rc 65
	out_has 'Mastodon refused post 1: HTTP 422: not with Bearer [redacted]'
	local found
	found=$(grep -rlF --exclude=m.cred "$M_TOKEN" "$T" 2>/dev/null)
	[[ -z $found ]] || fail "the token found in: $found"
	! sqlite3 -readonly "$T/$DB_FILE" .dump | grep -qF "$M_TOKEN" || fail 'the token is in the database'
}

test_dropped_answer_is_reconciled_not_posted_twice() {
	setup_channels
	thread_notice 2 cita.md
	ii notices
	# the first status is made, its answer lost; then the same again once the key expired
	m_post /_fault '{"kind":"drop","match":"POST /api/v1/statuses"}'
	ii publish
	assert_m_chain 2
	m_post /_fault '{"kind":"drop","match":"POST /api/v1/statuses"}'
	notice_paragraphs otro.md 'Otro aviso' 'La oficina de Lugo abre el lunes a las nueve.'
	ii notices
	m_post /_expire '{}'
	ii publish
	assert_eq 3 "$(m_posts_js 'p.length')" 'statuses after two lost answers'
	assert_eq 0 "$(db "SELECT count(*) FROM draft WHERE status <> 'published'")" 'drafts not published'
}

test_an_older_status_of_the_same_text_is_not_adopted() {
	setup_channels
	notice_paragraphs corte.md 'Corte' 'La sede electrónica no funcionará el domingo de 8 a 10.'
	ii --json preview "$T/notices/corte.md"
	# the same text, posted by hand an hour ago
	m_post /_posts "$(json "JSON.stringify({text: j.posts[0].text,
		created_at: new Date(Date.now() - 3600e3).toISOString()})")" >/dev/null
	local old
	old=$(m_posts_js 'p[0].id')
	ii notices
	m_post /_fault '{"kind":"status","status":502,"count":3,"match":"POST /api/v1/statuses"}'
	ii publish
	assert_rc 69
	assert_eq '' "$(journal mastodon)" 'nothing taken for sent'
	ii publish
	assert_rc 0
	local sent
	sent=$(journal mastodon)
	[[ -n $sent && $sent != "$old" ]] || fail "the older status $old was adopted (journal: '$sent')"
}

test_rate_limit_on_mastodon_defers_it_alone() {
	setup_channels
	thread_notice 2 cita.md
	ii notices
	m_post /_fault "{\"kind\":\"rate\",\"reset\":$(($(date +%s) + 600))}"
	ii publish
	assert_rc 75
	out_has 'Mastodon: deferred'
	assert_one_chain 2
	assert_m_chain 0
	ii --json status
	assert_rc 0
}

test_retract_deletes_on_every_channel() {
	setup_channels
	thread_notice 2 cita.md
	ii notices
	ii publish
	assert_rc 0
	local id
	id=$(db "SELECT uuid FROM draft")
	ii retract "$id" --by 'Ana' --reason 'Aviso erróneo'
	assert_rc 0
	assert_one_chain 0
	assert_m_chain 0
	assert_eq rejected "$(db "SELECT status FROM draft")" 'draft status'
}

test_channel_sections_are_checked_at_their_line() {
	conf_new
	conf_raw '[channel m]' 'api_url = http://example.org' 'visibility = secret'
	conf_raw '[channel otra]' 'type = threads'
	conf_raw '[twitter]' 'credentials = x.cred' '[channel xx]' 'type = x' 'visibility = public' \
		'public_url = https://social.example/@a'
	conf_raw '[channel x]' 'type = mastodon' 'api_url = https://social.example' 'credentials = m.cred'
	at() { grep -nF -- "$1" "$CONF" | head -1 | cut -d: -f1; }
	ii config
	assert_rc 78
	err_has ":$(at 'visibility = secret'): error: invalid value 'secret' for 'visibility': expected public or unlisted"
	err_has ":$(at 'type = threads'): error: invalid value 'threads' for 'type': expected x, mastodon or bluesky"
	err_has ":$(at '[channel m]'): error: [channel m] has no 'type' (x, mastodon or bluesky)"
	err_has ":$(at '[channel xx]'): error: [channel xx]: X is configured already at line $(at '[twitter]'): one X account only"
	err_has ":$(at '[channel xx]'): error: [channel xx]: 'visibility' is for type mastodon"
	err_has ":$(at '[channel xx]'): error: [channel xx]: 'public_url' is for type mastodon"
	err_has ":$(at '[channel x]'): error: [channel x] is X's: give this channel another id"
	conf_new
	conf_raw '[channel m]' 'type = mastodon' 'api_url = http://example.org'
	ii config
	assert_rc 78
	err_has ":$(at '[channel m]'): error: [channel m]: invalid api_url 'http://example.org': "
	err_has ":$(at '[channel m]'): error: [channel m] has no 'credentials'"
	conf_new
	local i
	for ((i = 1; i <= 9; i++)); do
		conf_raw "[channel m$i]" 'type = mastodon' 'api_url = https://social.example' 'credentials = m.cred'
	done
	ii config
	assert_rc 78
	err_has ":$(at '[channel m9]'): error: more than 8 [channel ID] sections"
}

test_channel_x_is_twitter_written_long() {
	x_start
	conf_new notices_dir=notices
	conf_raw '[policy]' 'notices = auto'
	{
		printf '[channel x]\n'
		kv type=x "api_url=$X_URL" "credentials=$T/x.cred" thread_delay_ms=0
	} >>"$CONF"
	mkdir -p "$T/notices"
	thread_notice 2 cita.md
	ii notices
	ii publish
	assert_rc 0
	out_lacks 'X: '
	assert_one_chain 2
}

test_status_and_show_tell_each_channel() {
	setup_channels --max-characters 60
	thread_notice 2 cita.md
	ii notices
	ii publish
	local id
	id=$(db "SELECT uuid FROM draft")
	ii show "$id"
	assert_rc 0
	out_has 'public:  2 of 2 posts on X'
	out_has 'public:  0 of 2 posts on mastodon: failed: Mastodon refused post 1'
	ii --json show "$id"
	assert_json 'j.channels.map(c => c.id + " " + c.state + " " + c.posts.filter(p => p.state === "sent").length).join()' \
		'x published 2,mastodon failed 0'
	ii status
	out_has 'mastodon         '
	ii --json status
	assert_json 'j.channels.map(c => c.id).join()' 'x,mastodon' 'j.channel.waiting' 0
}

test_chaos_on_three_channels_thirty_percent_faults() {
	setup_three
	x_post /_chaos '{"probability":0.3,"seed":11,"faults":[{"kind":"status","status":503},{"kind":"drop"},{"kind":"reset"}]}' >/dev/null
	m_post /_chaos '{"probability":0.3,"seed":5,"faults":[{"kind":"status","status":503},{"kind":"drop"},{"kind":"status","status":500}]}' >/dev/null
	b_post /_chaos '{"probability":0.3,"seed":7,"faults":[{"kind":"status","status":503},{"kind":"drop"},{"kind":"status","status":500}]}' >/dev/null
	publish_under_faults x mastodon bluesky
	assert_eq true "$(json 'j.requests.filter(x => x.fault).length > 10' "$(m_get /_requests)")" 'faults on Mastodon'
	assert_eq true "$(json 'j.requests.filter(x => x.fault).length > 10' "$(b_get /_requests)")" 'faults on Bluesky'
}

# a dropped answer now and then on each channel, for trial $1
drop_now_and_then() {
	(($1 % 5)) || m_post /_fault '{"kind":"drop","match":"POST /api/v1/statuses"}' >/dev/null
	(($1 % 7)) || x_post /_fault '{"kind":"drop","match":"POST /2/tweets"}' >/dev/null
	(($1 % 4)) || b_post /_fault '{"kind":"drop","match":"POST /xrpc/com.atproto.repo.createRecord"}' >/dev/null
}

# 50 kill -9s of publish against the three channels at once (kill_9_trials)
test_kill_9_trials_on_three_channels() {
	setup_three
	kill_9_trials 50 drop_now_and_then x mastodon bluesky
}

test_feeds_link_to_the_post_on_every_channel() {
	setup_channels
	conf_raw 'public_url = https://social.example.gob.es/@seguridadsocial'
	thread_notice 2 cita.md
	ii notices
	ii publish
	assert_rc 0
	local first
	first=$(m_posts_js 'p[0].id')
	local atom
	atom=$(cat "$T/feeds/avisos.atom")
	assert_contains "$atom" "<link rel=\"related\" href=\"https://social.example.gob.es/@seguridadsocial/$first\" type=\"text/html\" title=\"Mastodon\"/>" 'avisos.atom'
	assert_contains "$atom" "https://x.com/i/web/status/$(posts_js 'p[0].id')" 'avisos.atom'
}

test_mastodon_is_told_each_post_language() {
	setup_channels
	notice_paragraphs es.md 'Cita previa' 'La oficina de Lugo abre el lunes a las nueve.'
	printf -- '---\ntipo: aviso\ntitulo: Cita prèvia\nidioma: ca\nautor: ana\n---\nL oficina de Girona obre dilluns a les nou.\n' >"$T/notices/ca.md"
	ii notices
	ii publish
	assert_rc 0
	assert_eq 'ca es' "$(m_posts_js 'p.map(x => x.language).sort().join(" ")')" 'languages on Mastodon'
}
