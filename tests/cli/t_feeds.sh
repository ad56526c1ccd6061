# What the feeds say: the whole text rather than the posts, the channel's legal notice, the
# notice's language, the verdict's rating. The X side is the fake API of setup_publish.

AVISO_LEGAL='La información de esta cuenta tiene carácter meramente informativo y no sustituye a las publicaciones oficiales.'

# xpath FILE EXPR: the string value of EXPR in FILE (local names, no namespaces needed)
xpath() {
	xmllint --xpath "$2" "$1" 2>/dev/null
}

# entry_of FEED TITLE XPATH: XPATH inside the entry titled TITLE of FEED
entry_of() {
	xpath "$T/feeds/$1" "string(//*[local-name()=\"entry\"][*[local-name()=\"title\"]=\"$2\"]$3)"
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

	# a notice in Catalan: its entry says so, and carries its whole text, the paragraph
	# that X got in two posts in one piece
	local long="" i
	for ((i = 1; i <= 6; i++)); do
		long+="Pas $i: entra a la seu electrònica i tria el tràmit número $i. "
	done
	long=${long% }
	printf -- '---\ntipo: aviso\ntitulo: Com es demana cita prèvia\nidioma: ca\nautor: ana\n---\n%s\n\nSi no hi pots entrar, truca al 901 50 20 50.\n' \
		"$long" >"$T/notices/cita-ca.md"
	ii notices
	assert_rc 0
	ii publish
	assert_rc 0
	assert_contains "$(db "SELECT group_concat(text, '|') FROM post WHERE text LIKE 'Pas 1:%' OR text LIKE '%Pas 6:%'")" ' 2/3'
	ii feeds
	assert_rc 0
	assert_eq "Com es demana cita prèvia

$long

Si no hi pots entrar, truca al 901 50 20 50." "$(entry_of avisos.atom 'Com es demana cita prèvia' '/*[local-name()="content"]')" 'the Catalan entry content'
	assert_eq ca "$(entry_of avisos.atom 'Com es demana cita prèvia' '/@xml:lang')" 'the Catalan entry language'
	assert_eq '' "$(entry_of avisos.atom 'Cómo pedir cita previa' '/@xml:lang')" 'the Spanish entry language'
	xmllint --noout --relaxng "$root/tests/schemas/atom.rng" "$T/feeds/avisos.atom" 2>"$T/.xmllint" ||
		fail "avisos.atom does not validate: $(<"$T/.xmllint")"
}

# A manual incident's notice reads as one sentence, its scope the subject and its title
# what happens to it, in its post and in its Atom entry and CAP message alike: never
# "901 16 65 65: no atiende" (a colon between subject and verb), never a text that starts
# "no atiende" without its subject.
test_a_manual_incident_reads_as_one_sentence_everywhere() {
	setup_publish
	printf '%s' '---
tipo: incidencia
ambito: El teléfono de información 901 16 65 65
estado: investigando
titulo: no atiende llamadas
---
Lo estamos revisando.
' >"$T/notices/telefono.md"
	ii notices
	ii publish
	assert_rc 0
	ii feeds
	assert_rc 0
	local sentence='El teléfono de información 901 16 65 65 no atiende llamadas.'
	assert_eq "ℹ️ $sentence Lo estamos revisando." "$(db 'SELECT text FROM post')" 'the post'
	assert_eq "$sentence"$'\n\nLo estamos revisando.' \
		"$(xpath "$T/feeds/incidencias.atom" 'string(//*[local-name()="entry"]/*[local-name()="content"])')" 'the Atom entry'
	local cap
	cap=$(ls "$T/feeds/cap/"*.xml | head -1)
	assert_eq "$sentence"$'\n\nLo estamos revisando.' \
		"$(xpath "$cap" 'string(//*[local-name()="description"])')" 'the CAP message'
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
	# a scam, in Catalan, its verdict written in lower case
	printf '%s' '---
tipo: bulo
titulo: La Seguretat Social no demana dades bancàries per SMS
bulo: cal enviar les dades de la targeta per cobrar una devolució
veredicto: estafa
idioma: ca
fuentes: [https://www.seg-social.es/]
---
La Seguretat Social mai no demana dades bancàries per SMS.
' >"$T/notices/sms-ca.md"
	ii notices
	ii publish
	assert_rc 0
	review=$(grep -lE '"inLanguage":[[:space:]]*"ca"' "$T/feeds/desmentidos/"*.jsonld | xargs cat)
	OUT=$review assert_json 'j.inLanguage' ca 'j.reviewRating.alternateName' ESTAFA \
		'j.reviewRating.ratingValue' 1 'j.reviewRating.worstRating' 1 'j.reviewRating.bestRating' 5
	assert_eq ca "$(entry_of avisos.atom "Alerta d'estafa: La Seguretat Social no demana dades bancàries per SMS" '/@xml:lang')" 'the entry language'
}

# The feeds link to a Mastodon thread only through the account's page: a channel without
# public_url would leave them without its link, silently; config and lint say so at the
# section's line, and say nothing once it is given.
test_a_mastodon_channel_without_its_page_is_warned() {
	conf_new
	printf 'access_token=t\n' >"$T/m.cred"
	chmod 600 "$T/m.cred"
	conf_raw '[feeds]' 'base_url = https://www.seg-social.es/feeds/'
	conf_raw '[channel mastodon]' 'type = mastodon' 'api_url = https://social.example.gob.es' "credentials = $T/m.cred"
	local line
	line=$(grep -n '^\[channel mastodon\]' "$CONF" | cut -d: -f1)
	ii config
	assert_rc 0
	err_has "$CONF:$line: warning: channel 'mastodon' has no public_url, so the feeds do not link to its posts: give the account's page, like 'public_url = https://social.example.gob.es/@seguridadsocial'"
	ii lint
	err_has "channel 'mastodon' has no public_url"
	conf_raw 'public_url = https://social.example.gob.es/@seguridadsocial'
	ii config
	assert_rc 0
	assert_not_contains "$ERR" 'public_url' stderr
}
