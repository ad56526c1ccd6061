# The messages' languages (README, "Idioma de los mensajes"): every catalogue of po/ builds
# and translates every message of the sources; under es_ES.UTF-8 people read Spanish,
# under C English, and --json is the same under both.

src=$CLI_DIR/../..
ES=es_ES.UTF-8

# have_spanish: true when the locale is installed. Without it, a root run fails (tests/deps.sh
# installs it) and another says why it checks nothing.
have_spanish() {
	locale -a 2>/dev/null | grep -qixE 'es_ES\.utf-?8' && return 0
	[[ $(id -u) -ne 0 ]] || fail "locale $ES is not installed: run tests/deps.sh"
	echo "skipped: locale $ES is not installed (as root, run tests/deps.sh)"
	return 1
}

test_every_catalogue_passes_msgfmt_check() {
	local po found=0
	for po in "$src"/po/*.po; do
		[[ -e $po ]] || continue
		found=1
		msgfmt --check -o /dev/null "$po" 2>"$T/msgfmt.err" ||
			fail "msgfmt --check ${po##*/}: $(head -c 2000 "$T/msgfmt.err")"
	done
	((found)) || fail 'no catalogue in po/'
}

# Every message the sources mark (xgettext, as `make pot` runs it) has a translation that
# is neither missing nor fuzzy in every catalogue, so a new message needs its translations.
# A message of several lines is written `msgid ""` and its lines after it: each msgid is
# joined before the header's empty one is told apart.
test_every_message_is_translated() {
	make -s -C "$src" pot POT="$T/incluinfo.pot" >"$T/pot.log" 2>&1 ||
		fail "make pot failed: $(head -c 2000 "$T/pot.log")"
	grep -q '^msgid "incluinfo: error: "' "$T/incluinfo.pot" || fail 'the template misses the frame'
	local po missing
	for po in "$src"/po/*.po; do
		msgmerge --quiet --no-wrap "$po" "$T/incluinfo.pot" -o "$T/merged.po" ||
			fail "msgmerge ${po##*/} failed"
		missing=$({
			msgattrib --no-wrap --no-obsolete --untranslated "$T/merged.po"
			msgattrib --no-wrap --no-obsolete --only-fuzzy "$T/merged.po"
		} | awk '/^msgid /{id = substr($0, 7); on = 1; next}
			on && /^"/{id = id $0; next}
			on{on = 0; gsub(/""/, "", id); if (id != "") print "msgid " id}')
		[[ -z $missing ]] || fail "${po##*/}: untranslated or fuzzy messages:
$missing"
	done
}

# A configuration with a service, a valid notice a.md in notices/ waiting for review and
# an invalid one, bad.md.
setup_notices() {
	conf_new notices_dir=notices
	conf_service sede "$(web status/200)"
	conf_raw '[policy]' 'notices = review'
	mkdir -p "$T/notices"
	thread_notice 1 a.md
	printf -- '---\ntipo: aviso\n---\nSin título.\n' >"$T/notices/bad.md"
}

# messages_in LOCALE: the texts this test holds for each language, under LC_ALL=LOCALE
messages_in() {
	local loc=$1 en=1
	[[ $loc == C ]] || en=0
	# the frame and a usage error
	LC_ALL=$loc run frob
	assert_rc 64
	assert_eq "$( ((en)) && echo "incluinfo: error: unknown command 'frob' (see 'incluinfo --help')" ||
		echo "incluinfo: error: orden desconocida 'frob' (consulta 'incluinfo --help')")" "$ERR" "$loc: frame"
	LC_ALL=$loc ii drafts extra
	assert_rc 64
	assert_contains "$ERR" "$( ((en)) && echo "incluinfo: error: unexpected argument 'extra' for 'drafts'
usage: incluinfo drafts [--all]" || echo "incluinfo: error: argumento inesperado 'extra' para 'drafts'
uso: incluinfo drafts [--all]")"
	# help
	LC_ALL=$loc run help
	assert_rc 0
	out_has "$( ((en)) && echo '  drafts   list the drafts waiting for approval or publication' ||
		echo '  drafts   lista los borradores que esperan aprobación o publicación')"
	# lint's summary
	LC_ALL=$loc ii lint
	assert_rc 65
	assert_eq "$( ((en)) && echo '2 notices checked, 1 invalid; templates fit' ||
		echo '2 notas revisadas, 1 con errores; las plantillas caben')" "$OUT" "$loc: lint"
	LC_ALL=$loc ii lint notices/a.md
	assert_eq "$( ((en)) && echo '1 notice checked, 0 invalid; templates fit' ||
		echo '1 nota revisada, 0 con errores; las plantillas caben')" "$OUT" "$loc: lint of one"
	# a configuration error, in diag's frame
	printf '[general]\nstate_dir = state\ncolour = azul\n' >"$T/bad.conf"
	LC_ALL=$loc run -c "$T/bad.conf" config
	assert_rc 78
	err_has "$( ((en)) && echo "$T/bad.conf:3: error: unknown key 'colour' in [general]" ||
		echo "$T/bad.conf:3: error: clave desconocida 'colour' en [general]")"
	# the statuses drafts shows
	LC_ALL=$loc ii drafts
	assert_rc 0
	assert_match "$OUT" "$( ((en)) && echo 'KIND +STATUS +DUE +TITLE' || echo 'TIPO +ESTADO +CUÁNDO +TÍTULO')"
	assert_match "$OUT" "  aviso +$( ((en)) && echo 'pending +now' || echo 'pendiente +ahora') +Cómo pedir cita previa"
}

test_messages_are_spanish_under_es_and_english_under_c() {
	setup_notices
	have_spanish || return 0
	LC_ALL=$ES ii notices
	assert_rc 65
	assert_match "$OUT" "^nuevo borrador [0-9a-f]{8} de 'a.md'$"
	messages_in "$ES"
	messages_in C
}

# The catalogue is found beside the binary (build/locale), not where `make install` puts it.
test_the_build_tree_catalogue_is_used() {
	have_spanish || return 0
	[[ -f $(dirname "$INCLUINFO")/locale/es/LC_MESSAGES/incluinfo.mo ]] ||
		fail "no catalogue beside $INCLUINFO (make builds build/locale)"
	# LANG alone is enough, as a person's session sets it
	env -u LC_ALL LANG=$ES "$INCLUINFO" frob 2>"$T/err"
	assert_eq "incluinfo: error: orden desconocida 'frob' (consulta 'incluinfo --help')" "$(<"$T/err")"
}

# getopt's own complaints are English whatever the locale: the commands say it themselves
test_a_refused_option_is_spanish() {
	have_spanish || return 0
	conf_new
	LC_ALL=$ES ii drafts --frobnicate
	assert_eq "incluinfo: error: opción desconocida '--frobnicate' para 'drafts'" "$(head -n 1 <<<"$ERR")"
	LC_ALL=$ES ii approve abcdef --by
	assert_eq "incluinfo: error: la opción '--by' necesita un argumento" "$(head -n 1 <<<"$ERR")"
}

# The program speaks to staff with tú, in plain imperatives ("escribe", never "da al
# menos 4 caracteres"), as the posts speak to citizens.
test_a_short_id_asks_in_plain_spanish() {
	setup_notices
	have_spanish || return 0
	ii notices
	LC_ALL=$ES ii show a
	assert_contains "$ERR" "es demasiado corto: escribe al menos"
	LC_ALL=$ES ii incident resolve a --message 'Ya funciona.'
	assert_contains "$ERR" "es demasiado corto: escribe al menos"
}

# Tables line up in Spanish: columns are padded by what a terminal shows, not by bytes
# ("CUÁNDO" and "caída" are one byte longer than they are wide).
test_tables_line_up_in_spanish() {
	setup_notices
	have_spanish || return 0
	# the column where $2 starts in line $1, counted in characters
	column_of() {
		local before=${1%%"$2"*}
		echo "${#before}"
	}
	LC_ALL=$ES ii notices
	LC_ALL=$ES ii drafts
	local header row
	header=$(sed -n 1p <<<"$OUT")
	row=$(grep 'Cómo pedir' <<<"$OUT")
	assert_eq "$(LC_ALL=$ES column_of "$header" TÍTULO)" "$(LC_ALL=$ES column_of "$row" 'Cómo pedir')" 'drafts: the title column'
	LC_ALL=$ES ii incident open --scope 'Oficina de Triana' --message 'Hoy está cerrada.' --status investigando --by ana
	LC_ALL=$ES ii incident list
	header=$(sed -n 1p <<<"$OUT")
	row=$(sed -n 2p <<<"$OUT")
	assert_eq "$(LC_ALL=$ES column_of "$header" ALCANCE)" "$(LC_ALL=$ES column_of "$row" 'Oficina de Triana')" 'incident list: the scope column'
}

test_json_is_the_same_under_every_locale() {
	setup_notices
	have_spanish || return 0
	rm "$T/notices/bad.md"
	ii notices
	assert_rc 0
	local args loc
	for args in 'drafts --all' config status 'preview notices/a.md' 'incident list --all' \
		'log' 'notices'; do
		for loc in C "$ES"; do
			# shellcheck disable=SC2086 # the words of args are the arguments
			LC_ALL=$loc ii --json $args
			assert_rc 0
			printf '%s\n' "$OUT" >"$T/json.$loc"
		done
		cmp -s "$T/json.C" "$T/json.$ES" ||
			fail "--json $args differs: $(diff "$T/json.C" "$T/json.$ES" | head -c 1500)"
	done
}
