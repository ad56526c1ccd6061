# A Mastodon channel's limits come from its instance (GET /api/v2/instance,
# configuration.statuses), read before publishing at most once a day and cached in the
# store; an instance that does not say them, or says nonsense, never stops publishing.

# setup_instance [MASTODON.JS ARGS...]: X and a Mastodon channel ([channel mastodon]), as
# t_channels.sh has them
setup_instance() {
	setup_publish
	m_start "$@"
	conf_mastodon
}

# instance_requests: how many times the instance was asked for its limits, and with how
# many tokens
instance_requests() {
	json '(r => [r.length, r.filter(x => x.auth).length].join(" "))(j.requests.filter(x => x.path === "/api/v2/instance"))' \
		"$(m_get /_requests)"
}

test_the_instances_limits_are_cached_and_shown() {
	setup_instance --max-characters 1000
	ii status
	out_has "posts of up to 500 characters, links counted as 23 (Mastodon's defaults"
	thread_notice 2 cita.md
	ii notices
	ii publish
	assert_rc 0
	out_has 'Mastodon: published'
	assert_eq '1 0' "$(instance_requests)" 'asked once, without the token'
	ii status
	out_has "posts of up to 1000 characters, links counted as 23 (the instance's, read "
	ii --json status
	assert_json 'j.channels.find(c => c.id === "mastodon").limits.max_characters' 1000
	assert_json 'j.channels.find(c => c.id === "mastodon").limits.problem' null
	# within the day it is not asked again
	notice_paragraphs becas.md 'Becas' 'Las becas se piden en marzo.'
	ii notices
	ii publish
	assert_rc 0
	assert_eq '1 0' "$(instance_requests)" 'asked once a day'
}

test_an_instance_that_does_not_answer_keeps_the_defaults() {
	setup_instance
	m_post /_fault '{"kind":"status","status":503,"match":"GET /api/v2/instance"}' >/dev/null
	thread_notice 2 cita.md
	ii notices
	ii publish
	assert_rc 0
	err_has "incluinfo: warning: cannot read the limits of the instance of channel 'mastodon': HTTP 503: Simulated failure; posts of up to 500 characters are sent there, links counted as 23"
	out_has 'Mastodon: published'
	ii status
	out_has "posts of up to 500 characters, links counted as 23 (Mastodon's defaults: the instance's are not known yet); the last request for them failed: HTTP 503"
	# said once: the next run does not ask again today
	notice_paragraphs becas.md 'Becas' 'Las becas se piden en marzo.'
	ii notices
	ii publish
	assert_rc 0
	assert_not_contains "$ERR" 'warning' 'the warning again'
}

test_limits_out_of_bounds_are_refused() {
	setup_instance
	m_post /_instance '{"max_characters":1000000}' >/dev/null
	thread_notice 1 cita.md
	ii notices
	ii publish
	assert_rc 0
	err_has "the instance says max_characters is 1000000, not a whole number from 100 to 100000"
	ii --json status
	assert_json 'j.channels.find(c => c.id === "mastodon").limits.max_characters' 500
}

# A post longer than the instance takes is refused there before it is sent: the draft fails
# on Mastodon and X publishes it.
test_a_post_longer_than_the_instance_allows_is_never_sent() {
	setup_instance
	m_post /_instance '{"max_characters":150}' >/dev/null
	notice_paragraphs largo.md 'Plazos' \
		"$(printf 'El plazo para pedir la ayuda acaba el viernes a las 14:00 y no se amplía. %.0s' 1 2 3)"
	ii notices
	ii publish
	assert_rc 65
	out_has 'Mastodon refused post 1: the post is 229 characters long as Mastodon counts them, and the instance takes at most 150'
	assert_eq 0 "$(json 'j.requests.filter(x => x.method === "POST").length' "$(m_get /_requests)")" \
		'statuses sent'
	assert_eq 'mastodon failed|x published' \
		"$(db "SELECT group_concat(channel || ' ' || state, '|') FROM (SELECT * FROM delivery ORDER BY channel)")" \
		'how it ended on each channel'
}

# preview and lint show and check what publish will send: the Mastodon thread cut with the
# instance's limits the store holds, as the draft is, not with Mastodon's default 500
test_preview_and_lint_cut_with_the_instances_limits() {
	setup_instance --max-characters 150
	thread_notice 1 cita.md
	ii notices
	ii publish
	assert_rc 0
	notice_paragraphs becas.md 'Becas' "Las becas de comedor y de transporte para el curso que viene se piden en marzo, en la sede electrónica o en cualquier oficina, con el libro de familia y el último recibo de la luz."
	ii preview --channel mastodon "$T/notices/becas.md"
	assert_rc 0
	out_has '/150'
	ii --json preview --channel mastodon "$T/notices/becas.md"
	assert_json 'j.channels[0].limit' 150
	local n
	n=$(json 'j.channels[0].posts.length')
	((n > 1)) || fail "preview cut the notice in $n posts for 150 characters"
	ii notices
	assert_eq "$n" "$(db "SELECT count(*) FROM post p JOIN draft d ON d.uuid = p.draft WHERE d.title = 'Becas' AND p.channel = 'mastodon'")" \
		"the draft's Mastodon thread, as preview showed it"
	# a word longer than the instance takes fails lint, as it would fail the draft
	notice_paragraphs largo.md 'Largo' "Mira https://sede.seg-social.gob.es/ y $(printf 'a%.0s' {1..160}) ya."
	ii lint "$T/notices/largo.md"
	assert_rc 65
	err_has 'does not fit in a post on Mastodon (160 of 150'
}
