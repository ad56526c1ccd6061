# Where threads are cut: lint and preview warn (exit status unchanged) when a post starts
# inside a sentence, naming the notice file and the line of its paragraph.

split_notice() { # split_notice NAME BODY: an aviso whose body starts on line 5
	mkdir -p "$T/notices"
	printf -- '---\ntipo: aviso\ntitulo: El complemento llega solo\n---\n%s\n' "$2" >"$T/notices/$1"
}

# the sentence of issue 14: too long for one post, with a clause boundary in it
LONG_SENTENCE='La Seguridad Social reconocerá de oficio el complemento a todas las personas que ya cobran una pensión, sin que tengan que pedirla ni hacer ningún trámite; la fecha concreta del primer pago se publicará en la sede electrónica cuando el Gobierno apruebe el real decreto que lo desarrolla, previsiblemente antes del verano, y se abonará con efectos desde el 1 de enero.'

test_lint_and_preview_warn_where_a_sentence_is_cut_at_a_clause() {
	conf_new notices_dir=notices
	split_notice complemento.md $'Primero.\n\n'"$LONG_SENTENCE"
	ii preview "$T/notices/complemento.md"
	assert_rc 0
	out_has $'ningún trámite; 2/3\n'
	out_has 'la fecha concreta del primer pago'
	err_has "$T/notices/complemento.md:7: warning: post 3 of 3 starts inside a sentence, at the clause after 'trámite;'"
	ii lint
	assert_rc 0
	err_has "$T/notices/complemento.md:7: warning: post 3 of 3 starts inside a sentence, at the clause after 'trámite;'"
	assert_eq '1 notice checked, 0 invalid; templates fit' "$OUT"
	ii -q lint
	assert_rc 0
	assert_eq '' "$ERR"
}

test_lint_warns_where_a_sentence_is_cut_between_words() {
	conf_new notices_dir=notices
	split_notice palabras.md "Primero.

Segundo.

Una frase muy larga $(printf 'palabra %.0s' {1..40})que no tiene ningún sitio mejor donde cortarse."
	ii lint
	assert_rc 0
	assert_match "$ERR" "palabras\\.md:9: warning: post 4 of 4 starts inside a sentence, between 'palabra' and '[a-z]+': a shorter sentence keeps each sentence in one post"
}

test_lint_is_quiet_when_every_post_ends_a_sentence() {
	conf_new notices_dir=notices
	split_notice frases.md "Primero.

$(printf 'Una frase corta de unas cuantas palabras. %.0s' {1..12})"
	ii lint
	assert_rc 0
	assert_not_contains "$ERR" 'warning'
	ii preview "$T/notices/frases.md"
	assert_rc 0
	out_has 'X: 3 posts'
	assert_not_contains "$ERR" 'warning'
}

# A maintenance notice's body follows the announcement the template writes: a cut in it
# names the body's line too.
test_lint_names_the_line_of_a_maintenance_body_cut_inside_a_sentence() {
	conf_new notices_dir=notices
	conf_service sede "$(web status/200)"
	mkdir -p "$T/notices"
	printf -- '---\ntipo: mantenimiento\nservicio: sede\ndesde: 2026-12-01 10:00\nhasta: 2026-12-01 11:00\n---\nPrimero.\n\n%s\n' \
		"$LONG_SENTENCE" >"$T/notices/parada.md"
	ii lint
	assert_rc 0
	assert_match "$ERR" "parada\\.md:9: warning: post [0-9]+ of [0-9]+ starts inside a sentence, at the clause after 'trámite;'"
	ii preview "$T/notices/parada.md"
	assert_rc 0
	assert_match "$ERR" "parada\\.md:9: warning: post [0-9]+ of [0-9]+ starts inside a sentence, at the clause after 'trámite;'"
}
