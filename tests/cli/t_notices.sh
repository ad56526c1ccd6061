# Notices through the commands: lint, preview, notices (ingestion into drafts), approval,
# revision and the audit trail. Notices are written into the test's own notices/ folder.

NOTICES=notices # relative to the configuration's folder, where conf_new puts $CONF

# notice NAME TEXT: writes notices/NAME
notice() {
	mkdir -p "$T/$NOTICES/$(dirname "$1")"
	printf '%s' "$2" >"$T/$NOTICES/$1"
}

BULO='---
tipo: bulo
titulo: Las pensiones no bajarán en enero
bulo: las pensiones bajarán un 20 % en enero
veredicto: FALSO
fuentes:
  - https://www.boe.es/buscar/act.php?id=BOE-A-2015-11724
etiquetas: [Pensiones]
autor: ana
---
Las pensiones contributivas se revalorizan cada enero según el IPC medio.

Si tienes dudas, consulta tu caso en la sede electrónica.
'

setup_notices() {
	conf_new "notices_dir=$NOTICES" "$@"
	conf_service sede "$(web status/200)" 'name=Sede Electrónica' 'in_sentence=la Sede Electrónica'
}

test_preview_shows_the_posts_with_their_lengths() {
	setup_notices
	notice pensiones.md "$BULO"
	ii preview "$T/$NOTICES/pensiones.md"
	assert_rc 0
	assert_contains "$OUT" 'bulo: Las pensiones no bajarán en enero

X: 4 posts

[1/4] 111/280'
	assert_contains "$OUT" 'Las pensiones no bajarán en enero. Circula el bulo de que las pensiones bajarán un 20 % en enero. Es falso. 1/4'
	assert_contains "$OUT" 'Las pensiones no bajarán en enero.
Lo explica el BOE: https://www.boe.es/buscar/act.php?id=BOE-A-2015-11724
#Pensiones 4/4'
	ii --json preview "$T/$NOTICES/pensiones.md"
	assert_json 'j.kind' bulo 'j.title' 'Las pensiones no bajarán en enero' 'j.posts.length' 4 \
		'j.posts[0].weighted_length' 111
	# the lengths are X's: the reference library agrees on every post
	local lengths
	lengths=$(JSON_TEXT=$OUT node -e '
		const tt = require(process.argv[1]);
		const j = JSON.parse(process.env.JSON_TEXT);
		console.log(j.posts.every((p) => tt.parseTweet(p.text).weightedLength === p.weighted_length));
	' "$root/tests/node_modules/twitter-text")
	assert_eq true "$lengths" 'our lengths against twitter-text'
}

# Issue 16: one thread per network, each cut and counted by that network's rules: the
# lengths Bluesky's own library gives, and a long link shortened as the app shows it.
test_preview_shows_the_thread_of_every_network() {
	setup_notices
	local link=https://sede.seg-social.gob.es/wps/portal/sede/sede/Ciudadanos/CitaPrevia
	notice cita.md "---
tipo: aviso
titulo: Cita previa
---
Pide cita en $link o en el 901 16 65 65. Atención, @ana@social.example.es: 日本語 👨‍👩‍👧.
"
	ii preview "$T/$NOTICES/cita.md"
	assert_rc 0
	assert_contains "$OUT" $'X: 1 post\n\n[1/1] '
	# on Mastodon: "Cita previa. Pide cita en " 26, the link 23, " o en el 901 16 65 65.
	# Atención, " 33, "@ana" 4 of the mention, ": 日本語 👨‍👩‍👧." 8 graphemes
	assert_contains "$OUT" $'Mastodon: 1 post\n\n[1/1] 94/500\n'
	assert_contains "$OUT" $'Bluesky: 1 post\n\n[1/1] '
	assert_contains "$OUT" 'Pide cita en sede.seg-social.gob.es/wps/portal/s... o en'
	ii preview --channel mastodon "$T/$NOTICES/cita.md"
	assert_rc 0
	out_lacks 'X: '
	out_lacks 'Bluesky'
	assert_contains "$OUT" "[1/1] 94/500"
	ii --json preview "$T/$NOTICES/cita.md"
	assert_json 'j.channels.map(c => c.channel).join()' x,mastodon,bluesky \
		'j.channels.map(c => c.limit).join()' 280,500,300 \
		'j.channels[0].posts[0].text === j.posts[0].text' true
	# Bluesky's lengths are those of @atproto/api, on the text as it will show
	local agree
	agree=$(JSON_TEXT=$OUT node -e '
		const {RichText} = require(process.argv[1]);
		const j = JSON.parse(process.env.JSON_TEXT);
		console.log(j.channels[2].posts.every((p) => new RichText({text: p.text}).graphemeLength === p.weighted_length));
	' "$root/tests/node_modules/@atproto/api")
	assert_eq true "$agree" 'our Bluesky lengths against @atproto/api'
	ii preview --channel bsky "$T/$NOTICES/cita.md"
	assert_rc 64
	assert_contains "$ERR" "unknown channel 'bsky': x, mastodon or bluesky"
}

# A word that fits on X but not on Bluesky (a bare address: 23 on X, every character on
# Bluesky) makes the notice invalid, and the error names the network and the line.
test_lint_checks_every_network() {
	setup_notices
	notice larga.md $'---\ntipo: aviso\ntitulo: T\n---\nPrimero.\n\nConsulta seg-social.es/'"$(printf 'x%.0s' {1..300})"$' hoy.\n'
	ii lint
	assert_rc 65
	assert_match "$ERR" "larga\\.md:7: error: word 'seg-social\\.es/x+…' does not fit in a post on Bluesky \\(314 of 300\\)"
	ii preview "$T/$NOTICES/larga.md"
	assert_rc 65
	ii preview --channel x "$T/$NOTICES/larga.md"
	assert_rc 0
}

# a table is shown as it goes out: one row a line, its cells between " · ", no dashes
test_preview_shows_a_table_as_rows_of_text() {
	setup_notices
	notice plazos.md $'---\ntipo: aviso\ntitulo: Plazos de la pensión\n---\nPlazos:\n\n| Trámite | Plazo |\n|---|:---:|\n| Alta | 3 días |\n\nHorario: 9:00 | 14:00.\n'
	ii preview "$T/$NOTICES/plazos.md"
	assert_rc 0
	assert_contains "$OUT" $'Trámite · Plazo\nAlta · 3 días'
	assert_contains "$OUT" 'Horario: 9:00 | 14:00.'
	out_lacks '---'
	out_lacks '| Alta |'
	assert_contains "$ERR" "its cells separated by ' · ', without the row of dashes"
	ii lint
	assert_rc 0
	assert_contains "$ERR" "its cells separated by ' · ', without the row of dashes"
	assert_not_contains "$ERR" 'texto seguido'
}

# Issue 14: a rebuttal ends by pointing to its own page, and lint warns (without failing)
# of what is likely not meant, each at its line.
test_rebuttal_points_to_its_page_and_lint_warns() {
	setup_notices
	conf_raw '[feeds]' 'base_url = https://example.org/feeds/' \
		'rebuttal_url = https://example.org/bulos/{slug}'
	notice pensiones.md "${BULO/autor: ana/publicar: 2026-11-30
caduca: 2026-12-01 10:00}"
	INCLUINFO_NOW=1796200000 ii lint "$T/$NOTICES/pensiones.md" # 2 December 2026
	assert_rc 0
	assert_contains "$ERR" "pensiones.md:9: warning: 'publicar' has no time, so the notice goes out at 00:00"
	assert_contains "$ERR" "pensiones.md:10: warning: 'caduca' (2026-12-01 10:00) is past already: the notice will never be published"
	INCLUINFO_NOW=1796000000 ii lint "$T/$NOTICES/pensiones.md"
	assert_not_contains "$ERR" 'past already'
	ii preview "$T/$NOTICES/pensiones.md"
	assert_rc 0
	assert_contains "$OUT" 'Las pensiones no bajarán en enero.
Más información: https://example.org/bulos/las-pensiones-no-bajaran-en-enero
Lo explica el BOE: '
}

test_lint_reports_every_problem_with_its_line() {
	setup_notices
	notice buena.md "$BULO"
	notice mala.md $'---\ntipo: bulo\ntitulo: T\nveredito: FALSO\nfuentes: [http://x.es/]\n---\nTexto.\n'
	notice larga.md $'---\ntipo: aviso\ntitulo: T\n---\nPrimero.\n\nUna palabra '"$(printf 'x%.0s' {1..300})"$'.\n'
	ii lint
	assert_rc 65
	assert_contains "$ERR" "$T/$NOTICES/mala.md:4:1: error: unknown key 'veredito': did you mean 'veredicto'?"
	assert_contains "$ERR" "$T/$NOTICES/mala.md:2:1: error: missing required key 'bulo' (type bulo)"
	assert_contains "$ERR" "$T/$NOTICES/mala.md:5:11: error: source 'http://x.es/' is not a valid https:// address"
	assert_contains "$ERR" "$T/$NOTICES/larga.md:7: error: word 'xxx"
	assert_eq '3 notices checked, 2 invalid; templates fit' "$OUT"
	ii lint "$T/$NOTICES/buena.md"
	assert_rc 0
	assert_eq '1 notice checked, 0 invalid; templates fit' "$OUT"
}

test_lint_fails_when_a_template_cannot_fit_the_longest_name() {
	setup_notices "templates_dir=plantillas"
	conf_service largo "$(web status/200)" "name=$(printf 'Servicio %.0s' {1..8})"
	mkdir -p "$T/plantillas" "$T/$NOTICES"
	cp "$root"/etc/templates/*.txt "$T/plantillas/"
	ii lint
	assert_rc 0
	printf '%s\n' '⚠️ {servicio} no funciona desde {hora}. Estamos revisando qué ocurre con todos los medios a nuestro alcance para que vuelva a funcionar lo antes posible, y te avisaremos en este hilo cuando vuelva a funcionar con normalidad. #SeguridadSocial' >"$T/plantillas/alerta.txt"
	ii lint
	assert_rc 65
	assert_contains "$ERR" "$T/plantillas/alerta.txt: error: the message is 339 characters long with the service 'Servicio Servicio"
	assert_contains "$OUT" 'templates too long'
}

# Templates written before the values carried their article still render, with the
# article twice: lint warns at the line of each, and passes.
test_lint_warns_where_a_template_doubles_an_article() {
	setup_notices "templates_dir=plantillas"
	mkdir -p "$T/plantillas" "$T/$NOTICES"
	cp "$root"/etc/templates/*.txt "$T/plantillas/"
	ii lint
	assert_rc 0
	assert_eq '' "$ERR" 'the templates as shipped'
	printf '%s\n' '⚠️ La {servicio} no {funciona|funcionan} desde las {hora}.' 'Aviso #SeguridadSocial' >"$T/plantillas/alerta.txt"
	printf '%s\n' '🔧 {servicio} no {estará|estarán} disponible{|s}' 'desde la {desde} a las {hasta}. Lo de {periodo}.' >"$T/plantillas/mantenimiento-anuncio.txt"
	ii lint
	assert_rc 0
	err_has "$T/plantillas/alerta.txt:1: warning: 'La {servicio}' repeats the article: {servicio} carries its own (la Sede Electrónica, el Portal), so remove 'La'"
	err_has "$T/plantillas/alerta.txt:1: warning: 'las {hora}' repeats the article: {hora} carries its own (las 10:42, la 1:50, ayer a las 23:00), so remove 'las'"
	err_has "$T/plantillas/mantenimiento-anuncio.txt:2: warning: 'la {desde}' repeats the article"
	err_has "$T/plantillas/mantenimiento-anuncio.txt:2: warning: 'las {hasta}' repeats the article"
	assert_not_contains "$ERR" '{periodo}' 'after "de", {periodo} contracts'
	assert_eq 4 "$(grep -c 'warning:' <<<"$ERR")" 'one warning for each'
	assert_contains "$OUT" 'templates fit'
	ii -q lint
	assert_rc 0
	assert_eq '' "$ERR" 'lint -q'
}

# A template that names the service but has no {singular|plural} choice would post
# "Los Servicios… no funciona": lint warns at the line of {servicio}, and passes.
test_lint_warns_where_a_template_has_no_plural() {
	setup_notices "templates_dir=plantillas"
	mkdir -p "$T/plantillas" "$T/$NOTICES"
	cp "$root"/etc/templates/*.txt "$T/plantillas/"
	printf '%s\n' 'ℹ️ Aviso' '⚠️ {servicio} no funciona desde {hora}. #SeguridadSocial' >"$T/plantillas/alerta.txt"
	ii lint
	assert_rc 0
	err_has "$T/plantillas/alerta.txt:2: warning: {servicio} may be plural ('los Servicios…') but no word agrees with it: write the verb as '{funciona|funcionan}'"
	assert_eq 1 "$(grep -c 'warning:' <<<"$ERR")" 'only the template without a choice'
}

# Without in_sentence a post names the service as its heading does, with no article:
# config and lint warn at the service's line, and change no exit status.
test_config_and_lint_warn_of_a_service_without_in_sentence() {
	setup_notices
	conf_service portal "$(web status/200)" 'name=Portal de la Seguridad Social'
	mkdir -p "$T/$NOTICES"
	local line
	line=$(grep -n '^\[service portal\]' "$CONF" | cut -d: -f1)
	for cmd in config lint; do
		ii "$cmd"
		assert_rc 0
		assert_eq "$CONF:$line: warning: service 'portal' has no in_sentence, so posts read 'Portal de la Seguridad Social no funciona' without an article: write the name as a sentence says it, like 'in_sentence = la Sede Electrónica…', or as it is when it takes no article, like 'in_sentence = Import@ss'" "$ERR" "$cmd"
	done
	ii --json config
	assert_rc 0
	assert_json 'j.services[1].in_sentence' 'Portal de la Seguridad Social'
}

test_notices_become_drafts_once() {
	setup_notices
	notice pensiones.md "$BULO"
	notice .oculto.md "$BULO"
	notice borrador.md~ "$BULO"
	notice notas.txt 'x'
	ii notices
	assert_rc 0
	assert_match "$OUT" "^new draft [0-9a-f]{8} from 'pensiones.md'$"
	ii notices
	assert_rc 0
	assert_eq '' "$OUT" 'a second run with nothing new'
	ii --json drafts
	assert_json 'j.length' 1 'j[0].kind' bulo 'j[0].status' pending 'j[0].source' pensiones.md \
		'j[0].author' ana 'j[0].post_count' 4
	# nothing the program reads is written
	assert_eq "$BULO" "$(cat "$T/$NOTICES/pensiones.md")
" 'the notice after ingestion'
}

test_invalid_notice_reported_every_run_until_fixed() {
	setup_notices
	notice mala.md $'---\ntipo: aviso\n---\nTexto.\n'
	ii notices
	assert_rc 65
	assert_contains "$ERR" "mala.md:2:1: error: missing required key 'titulo' (type aviso)"
	ii notices
	assert_rc 65
	assert_contains "$ERR" "missing required key 'titulo'"
	notice mala.md $'---\ntipo: aviso\ntitulo: Ya está\n---\nTexto.\n'
	ii notices
	assert_rc 0
	assert_contains "$OUT" "new draft"
}

test_edit_after_approval_goes_back_to_pending() {
	setup_notices
	notice pensiones.md "$BULO"
	ii notices
	local id
	id=$(db "SELECT uuid FROM draft")
	ii approve "${id:0:8}" --by Luis
	assert_rc 0
	notice pensiones.md "${BULO/medio./medio del año anterior.}"
	ii notices
	assert_rc 0
	assert_contains "$OUT" "draft ${id:0:8} back to pending: 'pensiones.md' changed after its approval"
	ii --json show "$id"
	assert_json 'j.status' pending
	assert_contains "$(json 'j.posts[1].text')" 'del año anterior'
	ii --json log "$id"
	assert_json 'j.map(x => x.action).join()' 'created,approved,revoked,changed'
}

test_edit_after_publication_is_reported_not_republished() {
	setup_notices
	conf_raw '[policy]' 'notices = auto'
	notice pensiones.md "$BULO"
	ii notices
	local id
	id=$(db "SELECT uuid FROM draft")
	assert_eq approved "$(db "SELECT status FROM draft")" 'status with notices = auto'
	# as publish leaves it once X has the thread
	sqlite3 "$T/$DB_FILE" "INSERT INTO publication (draft, channel, seq, state, remote_ref) SELECT draft, 'x', seq, 'sent', seq + 100 FROM post;
			       UPDATE draft SET status = 'published'"
	notice pensiones.md "${BULO/medio./medio del año anterior.}"
	ii notices
	assert_rc 0
	assert_contains "$ERR" "incluinfo: warning: 'pensiones.md' changed after publication; draft ${id:0:8} is not republished"
	ii notices
	assert_contains "$ERR" 'changed after publication'
	assert_eq 1 "$(db "SELECT count(*) FROM audit WHERE action = 'changed after publication'")" 'audit entries'
	assert_eq 'published|100' "$(db "SELECT status, remote_ref FROM draft JOIN publication ON publication.draft = uuid WHERE seq = 0")" 'the draft'
}

test_symlink_outside_is_refused() {
	setup_notices
	notice dentro.md "$BULO"
	printf '%s' "$BULO" >"$T/fuera.md"
	ln -s "$T/fuera.md" "$T/$NOTICES/enlace.md"
	ln -s dentro.md "$T/$NOTICES/alias.md"
	ii --json notices
	assert_rc 65
	assert_contains "$ERR" "enlace.md: error: refusing symbolic link to '$T/fuera.md', outside the notices directory"
	assert_json 'j.new.map(x => x.file).join()' 'alias.md,dentro.md'
}

# A window's start post not sent before the window ended is stale: it expires then, and the
# end post supersedes it.
test_unsent_maintenance_start_is_superseded_by_its_end() {
	local t0=1796112000 # 2026-12-01 09:00 in Madrid
	conf_new "notices_dir=$NOTICES"
	conf_service sede "$(web status/200)"
	notice parada.md $'---\ntipo: mantenimiento\nservicio: sede\ndesde: 2026-12-01 10:00\nhasta: 2026-12-01 11:00\n---\nMejoras.\n'
	INCLUINFO_NOW=$t0 ii notices
	local id
	id=$(db "SELECT uuid FROM draft")
	INCLUINFO_NOW=$t0 ii approve "${id:0:8}" --by Ana
	assert_rc 0
	sqlite3 -batch "$T/$DB_FILE" "UPDATE draft SET status = 'published'" || fail 'cannot publish'
	INCLUINFO_NOW=$((t0 + 3600)) ii check
	assert_eq $((t0 + 7200)) "$(db "SELECT expires_at FROM draft WHERE kind = 'mantenimiento-inicio'")" \
		'the start post expires with the window'
	INCLUINFO_NOW=$((t0 + 7200)) ii check
	assert_eq 'published superseded approved' \
		"$(db "SELECT group_concat(status, ' ') FROM (SELECT status FROM draft ORDER BY created_at, rowid)")" \
		'statuses'
	assert_eq "$id" "$(db "SELECT reply_to FROM draft WHERE kind = 'mantenimiento-fin'")" \
		'the end post answers the announcement'
}

# Review of issue 12, 3: an announcement that could not go out before its window started
# ("no estará disponible … si puedes, haz tus trámites antes") expires then: at 10:30 only
# the start post goes out, on its own.
test_maintenance_announcement_expires_when_its_window_starts() {
	local t0=1796112000 # 2026-12-01 09:00 in Madrid
	x_start
	conf_new "notices_dir=$NOTICES"
	conf_service sede "$(web status/200)" 'name=Sede Electrónica'
	conf_raw '[policy]' 'notices = auto'
	conf_twitter
	notice parada.md $'---\ntipo: mantenimiento\nservicio: sede\ndesde: 2026-12-01 10:00\nhasta: 2026-12-01 11:00\n---\nMejoras.\n'
	INCLUINFO_NOW=$t0 ii notices
	assert_eq $((t0 + 3600)) "$(db "SELECT expires_at FROM draft WHERE kind = 'mantenimiento'")" \
		'the announcement expires when the window starts'
	INCLUINFO_NOW=$((t0 + 3600)) ii check # X unreachable until 10:30: nothing published
	INCLUINFO_NOW=$((t0 + 5400)) ii publish
	assert_rc 0
	local texts
	texts=$(json 'j.posts.filter(p => !p.deleted).map(p => p.sent_text).join("\n")' "$(x_get /_posts)")
	assert_not_contains "$texts" 'haz tus trámites antes'
	assert_eq 1 "$(json 'j.posts.length' "$(x_get /_posts)")" 'posts on X'
	assert_eq 'expired published' \
		"$(db "SELECT group_concat(status, ' ') FROM (SELECT status FROM draft ORDER BY created_at, rowid)")" \
		'statuses'
}

test_maintenance_window_suppresses_alerts_and_an_overrun_opens_one() {
	local t0=1796112000 # 2026-12-01 09:00 in Madrid
	conf_new "notices_dir=$NOTICES"
	conf_service sede "$(seq_url sede 200,503,503,503,503,503,503)" failures_to_open=1 grace_minutes=15
	conf_raw '[policy]' 'notices = auto'
	notice parada.md $'---\ntipo: mantenimiento\nservicio: sede\ndesde: 2026-12-01 10:00\nhasta: 2026-12-01 11:00\naviso_antes: 30 min\n---\nMejoras.\n'
	INCLUINFO_NOW=$t0 ii notices
	assert_rc 0
	assert_eq "$((t0 + 1800))" "$(db "SELECT due_at FROM draft")" 'announced 30 min before'
	INCLUINFO_NOW=$t0 ii check
	assert_rc 0
	# failing inside the window: maintenance, no incident
	INCLUINFO_NOW=$((t0 + 3700)) ii --json check
	assert_rc 1
	svc_is 0 state down event maintenance
	INCLUINFO_NOW=$((t0 + 3700)) ii status
	assert_contains "$OUT" '(maintenance window)'
	assert_eq 0 "$(db "SELECT count(*) FROM incident")" 'incidents during the window'
	assert_eq 'mantenimiento mantenimiento-inicio' "$(db "SELECT group_concat(kind, ' ') FROM draft")" 'drafts'
	# after the end, within the grace period: still nothing
	INCLUINFO_NOW=$((t0 + 7200 + 600)) ii check
	assert_eq 0 "$(db "SELECT count(*) FROM incident")" 'incidents within the grace period'
	assert_contains "$(db "SELECT group_concat(kind, ' ') FROM draft")" 'mantenimiento-fin'
	# still failing 15 minutes after it: an incident, as usual
	INCLUINFO_NOW=$((t0 + 7200 + 900)) ii --json check
	assert_rc 2
	svc_is 0 event opened
	assert_eq 1 "$(db "SELECT count(*) FROM incident")" 'incidents after the grace period'
}

test_invalid_corpus_gives_the_expected_messages_and_status() {
	setup_notices
	local file expected checked=0
	for file in "$root"/tests/notices-invalid/*.md; do
		[[ ${file##*/} == README.md ]] && continue
		expected=$(<"${file%.md}.expected")
		ii lint "$file"
		assert_eq "${expected%%$'\n'*}" "exit $RC" "exit status of ${file##*/}"
		assert_eq "${expected#*$'\n'}" "${ERR//"$root/"/}" "messages of ${file##*/}"
		checked=$((checked + 1))
	done
	((checked >= 40)) || fail "only $checked invalid notices"
}

test_ambiguous_and_unknown_prefixes() {
	setup_notices
	notice a.md "$BULO"
	notice b.md "${BULO/medio./medio del año.}"
	ii notices
	# two drafts whose ids share their first characters
	sqlite3 "$T/$DB_FILE" "UPDATE draft SET uuid = 'abcdef01' || substr(uuid, 9) WHERE source = 'a.md';
			       UPDATE draft SET uuid = 'abcdef02' || substr(uuid, 9) WHERE source = 'b.md'"
	ii show abcdef
	assert_rc 65
	assert_contains "$ERR" "draft id 'abcdef' is ambiguous: give more characters"
	ii show abcdef01
	assert_rc 0
	ii approve fedcba --by Luis
	assert_rc 65
	assert_contains "$ERR" "no draft 'fedcba'"
}

# snapshot: every entry of the notices folder with its size, mode and times, and every
# file's SHA-256
snapshot() {
	(cd "$T/$NOTICES" && find . -printf '%p %s %m %T@ %C@\n' | sort && find . -type f -exec sha256sum {} + | sort)
}

# every command leaves the notices byte for byte as they were
test_notices_are_never_written() {
	setup_notices
	notice pensiones.md "$BULO"
	notice mala.md $'---\ntipo: aviso\n---\nTexto.\n'
	notice sub/otra.md "${BULO/FALSO/ENGAÑOSO}"
	local before
	before=$(snapshot)
	ii lint
	ii preview "$T/$NOTICES/pensiones.md"
	ii notices
	ii drafts
	local id
	id=$(db "SELECT uuid FROM draft LIMIT 1")
	ii approve "$id" --by Luis
	ii reject "$id" --by Luis
	ii notices
	ii log
	assert_eq "$before" "$(snapshot)" \
		'the notices folder after every command'
}

test_incidencia_notice_opens_a_manual_incident() {
	setup_notices
	notice telefono.md $'---\ntipo: incidencia\nambito: Teléfono 901 16 65 65\nestado: investigando\n---\nLa centralita no atiende llamadas.\n'
	ii notices
	assert_rc 0
	assert_match "$OUT" "incident [0-9a-f]{8} opened by 'telefono.md'"
	ii --json incident list
	assert_json 'j.length' 1 'j[0].kind' manual 'j[0].scope' 'Teléfono 901 16 65 65' 'j[0].status' investigando
	local incident
	incident=$(json 'j[0].id')
	# its updates answer the notice's post
	ii incident update "${incident:0:8}" --status identificado --message 'Ya sabemos qué falla.'
	assert_rc 0
	assert_eq 1 "$(db "SELECT count(*) FROM draft d JOIN draft p ON d.reply_to = p.uuid WHERE p.source = 'telefono.md'")" \
		'drafts answering the notice'
	# a second notice about a service with an open incident is refused, every run
	notice sede.md $'---\ntipo: incidencia\nambito: sede\nestado: investigando\n---\nLa sede va lenta.\n'
	notice sede2.md $'---\ntipo: incidencia\nambito: sede\nestado: identificado\n---\nSigue lenta.\n'
	ii notices
	assert_rc 65
	assert_contains "$ERR" "service 'sede' already has an open incident"
}

test_maintenance_body_keeps_its_list_items_on_their_lines() {
	setup_notices
	notice parada.md $'---\ntipo: mantenimiento\nservicio: sede\ndesde: 2026-12-01 10:00\nhasta: 2026-12-01 11:00\n---\nDurante la parada no podrás:\n\n- pedir cita previa\n- descargar certificados\n'
	ii --json preview "$T/$NOTICES/parada.md"
	assert_rc 0
	assert_contains "$OUT" '• pedir cita previa\n• descargar certificados'
}
