# X as it is in 2026: pay-per-use prices, the monthly budget, the spending `status` shows,
# checked against what the fake X API (tests/fakes/xapi.js) would bill.

# billing EXPR: EXPR over b, what the fake would bill ({micro, posts, posts_with_url, reads,
# deletes})
billing() {
	json "(b => $1)(j)" "$(x_get /_billing)"
}

# spent: the month's spending status reports, in micro-dollars
spent() {
	ii --json status
	json 'Math.round(j.channel.spend.spent_usd * 1e6)'
}

test_preview_shows_the_cost_on_x() {
	setup_publish
	notice_paragraphs cita.md 'Cita previa' 'Pide cita en https://sede.seg-social.gob.es cuando quieras.' \
		'La cita se puede cambiar hasta el día anterior.' 'Lleva el DNI.'
	ii preview --channel x "$T/notices/cita.md"
	assert_rc 0
	out_has 'Cost on X: $0.23 (1 with a link at $0.20, 2 without at $0.015)'
	ii --json preview --channel x "$T/notices/cita.md"
	assert_json 'j.channels[0].cost_usd' 0.23
	# the prices are the configuration's
	sed -i 's/^thread_delay_ms = 0$/&\nprice_post = 0.02\nprice_post_url = 0.5/' "$CONF"
	ii preview --channel x "$T/notices/cita.md"
	out_has 'Cost on X: $0.54 (1 with a link at $0.50, 2 without at $0.02)'
}

test_spend_equals_what_x_bills() {
	setup_publish
	notice_paragraphs cita.md 'Cita previa' 'Pide cita en https://sede.seg-social.gob.es cuando quieras.' \
		'La cita se puede cambiar hasta el día anterior.'
	ii notices
	ii publish
	assert_rc 0
	assert_eq 215000 "$(billing b.micro)" 'the fake bills a post with a URL and one without'
	assert_eq "$(billing b.micro)" "$(spent)" 'spent against the fake'
	# a post X makes but answers as a duplicate: reconciliation reads, and reads are billed
	notice_paragraphs becas.md 'Becas' 'Las becas se piden en marzo.'
	ii notices
	x_post /_fault '{"kind":"duplicate","match":"POST /2/tweets"}' >/dev/null
	ii publish
	assert_rc 0
	assert_eq 3 "$(billing b.posts)" 'posts billed'
	assert_eq 1 "$(billing 'b.reads > 0 ? 1 : 0')" 'reconciliation read posts'
	assert_eq "$(billing b.micro)" "$(spent)" 'spent against the fake, reads included'
	assert_eq "$(billing b.reads)" "$(json j.channel.spend.reads "$(ii --json status; echo "$OUT")")" 'reads counted'
	# a 503 X never acted on: charged at the claim, given back, charged again at the retry
	notice_paragraphs plazo.md 'Plazos' 'El plazo acaba el viernes.'
	ii notices
	x_post /_fault '{"kind":"status","status":503,"match":"POST /2/tweets"}' >/dev/null
	ii publish
	assert_rc 0
	assert_eq 4 "$(billing b.posts)" 'posts billed after a 503'
	assert_eq "$(billing b.micro)" "$(spent)" 'spent against the fake after a 503'
	# deleting is billed too
	ii retract "$(db "SELECT uuid FROM draft WHERE source = 'becas.md'")" --by Luis --reason 'Fecha equivocada'
	assert_rc 0
	assert_eq 1 "$(billing b.deletes)" deletions
	assert_eq "$(billing b.micro)" "$(spent)" 'spent against the fake after a retraction'
	ii status
	assert_match "$OUT" "X spending +\\\$0\\.2[0-9]+ in $(date -u +%Y-%m) \\(no monthly budget\\)" 'status line'
}

test_reconciliation_reads_only_the_newest_posts() {
	setup_publish
	local i
	for ((i = 1; i <= 40; i++)); do
		x_post /_posts "{\"text\":\"Aviso antiguo $i\",\"created_at\":\"2026-01-01T10:$((10 + i)):00Z\"}" >/dev/null
	done
	notice_paragraphs becas.md 'Becas' 'Las becas se piden en marzo.'
	ii notices
	# X makes the post and the answer is lost: the next run looks before it sends again
	x_post /_fault '{"kind":"drop","match":"POST /2/tweets"}' >/dev/null
	ii publish
	ii publish
	assert_rc 0
	assert_eq 1 "$(posts_on_fake 'Las becas')" 'the post, once'
	# the account, and one page of the newest posts: the post was there
	assert_eq 11 "$(billing b.reads)" 'posts read'
	assert_eq "$(billing b.micro)" "$(spent)" 'spent against the fake'
}

# posts_on_fake TEXT: how many live posts of the fake hold TEXT
posts_on_fake() {
	json "j.posts.filter(p => !p.deleted && p.sent_text.includes('$1')).length" "$(x_get /_posts)"
}

test_a_thread_starts_only_when_the_budget_covers_all_of_it() {
	setup_publish
	conf_raw '[notify chat]' type=webhook "url = $(dead_url)hook" 'events = channel_paused'
	sed -i 's/^thread_delay_ms = 0$/&\nmonthly_budget = 0.04/' "$CONF"
	thread_notice 3 cita.md # three posts: $0.045
	ii notices
	ii publish
	assert_rc 75 # as when X's rate limit defers a draft
	out_has "X's monthly budget does not cover the thread: it costs \$0.045, and \$0.04 of \$0.04 is left in $(date -u +%Y-%m)"
	assert_eq 0 "$(billing b.posts)" 'posts of a thread the budget does not cover'
	assert_eq 0 "$(spent)" 'spent'
	assert_eq approved "$(db 'SELECT status FROM draft')" 'the draft waits'
	ii status
	out_has '$0.04 of the $0.04 monthly budget left'
	assert_eq 1 "$(db "SELECT count(*) FROM notification WHERE event = 'channel_paused'")" 'staff told'
	ii publish
	assert_eq 1 "$(db "SELECT count(*) FROM notification WHERE event = 'channel_paused'")" 'staff told once'
	# two posts fit: $0.03
	notice_paragraphs becas.md 'Becas' 'Las becas se piden en marzo.' 'Se conceden en junio.'
	ii notices
	ii --json publish
	assert_rc 75
	assert_eq 30000 "$(spent)" spent
	ii status
	out_has '$0.03 in '
	out_has '$0.01 of the $0.04 monthly budget left'
}

test_without_limit_headers_the_documented_window_holds() {
	setup_publish
	# the 24-hour headers are optional: the window's figures rule
	x_post /_headers '{"window":true,"day":false}' >/dev/null
	notice_paragraphs becas.md 'Becas' 'Las becas se piden en marzo.'
	ii notices
	ii publish
	assert_rc 0
	ii --json status
	assert_json 'j.channel.remaining' 199
	# no header at all: X's documented 200 posts in 15 minutes, less the posts made
	x_post /_headers '{"window":false,"day":false}' >/dev/null
	thread_notice 2 cita.md
	ii notices
	ii publish
	assert_rc 0
	ii --json status
	assert_json 'j.channel.remaining' 198
	assert_eq 1 "$(json '(Date.parse(j.channel.reset) - Date.now()) / 1000 > 800 ? 1 : 0')" 'the window resets in 15 minutes'
}

# Since 2026-02-23 X may refuse a reply of a self-serve app, the account's own thread
# included (undocumented; the fake refuses it unless told own_thread): the reply after the
# first post is refused. The rest of the thread
# gives way to its single post (the headline and a link to the whole text), which answers
# nothing: no half thread is left without a pointer to the rest; the operators hear of it.
test_reply_restriction_ends_the_thread_with_its_single_post() {
	setup_publish
	conf_raw '[notify chat]' type=webhook "url = $(dead_url)hook" 'events = thread_mode_switched'
	x_post /_replies '{"restricted":true}' >/dev/null
	thread_notice 3 cita.md
	ii notices
	ii publish
	assert_rc 0
	assert_eq 2 "$(json 'j.posts.filter(p => !p.deleted).length' "$(x_get /_posts)")" 'posts public: the first and the single one'
	assert_eq $'Cómo pedir cita previa\nhttps://www.seg-social.es/feeds/avisos.atom' \
		"$(json 'j.posts[1].sent_text' "$(x_get /_posts)")" 'the single post'
	assert_eq null "$(json 'j.posts[1].reply_to' "$(x_get /_posts)")" 'the single post answers nothing'
	local uuid
	uuid=$(db 'SELECT uuid FROM draft')
	assert_eq published "$(db 'SELECT status FROM draft')" 'draft status'
	assert_eq 1 "$(db "SELECT count(*) FROM audit WHERE action = 'thread mode switched'")" 'audited'
	assert_contains "$(db "SELECT detail FROM audit WHERE action = 'thread mode switched'")" \
		'Reply to this conversation is not allowed' "X's words in the audit trail"
	assert_eq 1 "$(db "SELECT count(*) FROM notification WHERE event = 'thread_mode_switched'")" 'operators told'
	ii show "$uuid"
	out_has 'became one post with a link to the whole text'
	# the first post and the single one, with its link: what X bills
	assert_eq $((15000 + 200000)) "$(spent)" 'spent'
	assert_eq "$(billing b.micro)" "$(spent)" 'spent against the fake'
	# again: nothing more is sent
	ii publish
	assert_eq 2 "$(json 'j.posts.filter(p => !p.deleted).length' "$(x_get /_posts)")" 'posts after a second run'
}

# Without [feeds] base_url a notice has no link to its whole text, hence no single post:
# the thread stops where X refused it, saying so in X's words.
test_reply_restriction_without_a_link_stops_the_thread_with_xs_words() {
	setup_publish
	sed -i '/^base_url = /d' "$CONF"
	x_post /_replies '{"restricted":true}' >/dev/null
	thread_notice 3 cita.md
	ii notices
	ii publish
	assert_rc 65
	assert_eq 1 "$(posts_on_fake 'Paso')" 'posts public'
	err_has 'stopped midway on X: 1 of 3 posts are public'
	out_has 'X refused post 2 as an answer: HTTP 403: Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.'
	ii show "$(db 'SELECT uuid FROM draft')"
	out_has 'Reply to this conversation is not allowed because you have not been mentioned'
	assert_eq 15000 "$(spent)" 'spent: the refused replies cost nothing'
	assert_eq "$(billing b.micro)" "$(spent)" 'spent against the fake'
}

# Staff hear before the budget runs out: once a month, from the claim that takes the month's
# spending to budget_warning percent of monthly_budget; status says it.
test_budget_warning_tells_staff_once() {
	setup_publish
	conf_raw '[notify chat]' type=webhook "url = $(dead_url)hook" 'events = budget_low'
	sed -i 's/^thread_delay_ms = 0$/&\nmonthly_budget = 0.10\nbudget_warning = 50/' "$CONF"
	thread_notice 3 cita.md # $0.045: under the $0.05 mark
	ii notices
	ii publish
	assert_rc 0
	assert_eq 0 "$(db "SELECT count(*) FROM notification WHERE event = 'budget_low'")" 'not yet'
	ii status
	out_lacks 'warning'
	notice_paragraphs becas.md 'Becas' 'Las becas se piden en marzo.' # $0.06
	ii notices
	ii publish
	assert_rc 0
	assert_eq 1 "$(db "SELECT count(*) FROM notification WHERE event = 'budget_low'")" 'staff told'
	assert_contains "$(db "SELECT body FROM notification WHERE event = 'budget_low'")" \
		"X has cost \$0.06 of its \$0.10 monthly budget in $(date -u +%Y-%m), 50 % or more" 'what they read'
	ii status
	out_has '$0.04 of the $0.10 monthly budget left, past the 50 % warning'
	ii --json status
	assert_json 'j.channel.spend.low' true
	assert_json 'j.channel.spend.warning_usd' 0.05
	notice_paragraphs plazo.md 'Plazos' 'El plazo acaba el viernes.' # $0.075
	ii notices
	ii publish
	assert_rc 0
	assert_eq 1 "$(db "SELECT count(*) FROM notification WHERE event = 'budget_low'")" 'told once a month'
}
