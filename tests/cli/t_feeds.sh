# What the feeds say: the whole text rather than the posts, the channel's legal notice, the
# notice's language, the verdict's rating. The X side is the fake API of setup_publish.

AVISO_LEGAL='La información de esta cuenta tiene carácter meramente informativo y no sustituye a las publicaciones oficiales.'

# xpath FILE EXPR: the string value of EXPR in FILE (local names, no namespaces needed)
xpath() {
	xmllint --xpath "$2" "$1" 2>/dev/null
}

# meta_set SQL-JSON-ARGS: changes the published drafts' meta as a notice of the new format
# would have it at ingest (its text, language or verdict)
meta_set() {
	sqlite3 -batch "$T/$DB_FILE" "UPDATE draft SET meta = json_set(coalesce(meta, '{}'), $1) WHERE status = 'published'" ||
		fail "cannot change the drafts' meta: $1"
}

test_feeds_carry_the_whole_text_and_the_legal_notice() {
	setup_publish
	conf_raw "aviso_legal = $AVISO_LEGAL"
	thread_notice 3 cita.md
	ii notices
	ii publish
	assert_rc 0
	ii feeds
	assert_rc 0
	local f content
	for f in avisos.atom incidencias.atom cap/index.atom; do
		xmllint --noout --relaxng "$root/tests/schemas/atom.rng" "$T/feeds/$f" 2>"$T/.xmllint" ||
			fail "$f does not validate: $(<"$T/.xmllint")"
		assert_eq "$AVISO_LEGAL" "$(xpath "$T/feeds/$f" 'string(/*[local-name()="feed"]/*[local-name()="rights"])')" "the rights of $f"
	done
	# the posts were numbered on X; the feed has the text without the numbers
	assert_contains "$(db 'SELECT text FROM post WHERE seq = 0')" ' 1/3'
	content=$(xpath "$T/feeds/avisos.atom" 'string(//*[local-name()="entry"]/*[local-name()="content"])')
	assert_not_contains "$content" '1/' 'the entry content'
	assert_contains "$content" $'número 1.\n\nPaso 2: entra en la sede electrónica y elige el trámite número 2.\n\nPaso 3' 'the entry content'
	# never in a post
	assert_not_contains "$(db 'SELECT group_concat(text) FROM post')" 'meramente informativo'
	assert_eq '' "$(xpath "$T/feeds/avisos.atom" 'string(//*[local-name()="entry"]/@xml:lang)')" 'no language of its own'

	# a notice's whole text and language, as ingest keeps them, are what the entry says
	meta_set "'\$.text', 'Cómo pedir cita previa'||char(10)||char(10)||'Entra en la sede electrónica.', '\$.language', 'ca'"
	ii feeds
	assert_rc 0
	content=$(xpath "$T/feeds/avisos.atom" 'string(//*[local-name()="entry"]/*[local-name()="content"])')
	assert_eq $'Cómo pedir cita previa\n\nEntra en la sede electrónica.' "$content" 'the entry content'
	assert_eq ca "$(xpath "$T/feeds/avisos.atom" 'string(//*[local-name()="entry"]/@xml:lang)')" 'the entry language'
	xmllint --noout --relaxng "$root/tests/schemas/atom.rng" "$T/feeds/avisos.atom" 2>"$T/.xmllint" ||
		fail "avisos.atom does not validate: $(<"$T/.xmllint")"
}

test_feeds_without_a_legal_notice_have_no_rights() {
	setup_publish
	thread_notice 1 cita.md
	ii notices
	ii publish
	ii feeds
	assert_rc 0
	assert_not_contains "$(cat "$T/feeds/avisos.atom")" '<rights'
	assert_not_contains "$(cat "$T/feeds/desmentidos/"*.jsonld 2>/dev/null)" 'usageInfo'
}

test_claimreview_has_the_language_the_legal_notice_and_the_scale() {
	setup_publish
	conf_raw "aviso_legal = $AVISO_LEGAL"
	printf '%s' '---
tipo: bulo
titulo: La Seguridad Social no pide datos bancarios por SMS
bulo: Un SMS pide los datos de la tarjeta para cobrar una devolución
veredicto: FALSO
fuentes: [https://www.seg-social.es/]
---
La Seguridad Social nunca pide datos bancarios por SMS.
' >"$T/notices/sms.md"
	ii notices
	ii publish
	assert_rc 0
	local review
	review=$(cat "$T/feeds/desmentidos/"*.jsonld)
	OUT=$review assert_json 'j.inLanguage' es 'j.usageInfo["@type"]' CreativeWork \
		'j.usageInfo.text' "$AVISO_LEGAL" 'j.reviewRating.ratingValue' 1
	# a scam, in Catalan, as ingest records the new verdict and idioma
	meta_set "'\$.verdict', 'ESTAFA', '\$.language', 'ca'"
	ii feeds
	assert_rc 0
	review=$(cat "$T/feeds/desmentidos/"*.jsonld)
	OUT=$review assert_json 'j.inLanguage' ca 'j.reviewRating.alternateName' ESTAFA \
		'j.reviewRating.ratingValue' 1 'j.reviewRating.worstRating' 1 'j.reviewRating.bestRating' 5
	assert_eq ca "$(xpath "$T/feeds/avisos.atom" 'string(//*[local-name()="entry"]/@xml:lang)')" 'the entry language'
}
