# People behind every action (issue 15, README "People: who does what"): the caller is
# the OS account (through sudo, the account that ran it), --by must name them, roles, the
# two-person rule between people however a name is spelt, autor a known author, and the
# audit trail with the person and how they were identified. The tests run as root and
# stand in for each person with sudo's variables, exactly the path sudo takes; the
# system's own accounts daemon (1), bin (2), sys (3) and games (5) are the people's.

NOTICES=notices

AVISO='---
tipo: aviso
titulo: Cita previa
autor: AUTOR
---
Pide cita previa en la sede electrónica.
'

# people_conf [KEY=VALUE...]: Lucía (daemon) writes and approves, Ana (bin) approves, Jon
# (sys) only writes, Javier (games) runs incidents; the pairs go to [general]
people_conf() {
	unset SUDO_USER SUDO_UID SUDO_GID SUDO_COMMAND
	conf_new "notices_dir=$NOTICES" "$@"
	conf_service sede "$(web status/200)"
	conf_raw '[policy]' 'notices = review' 'two_person = true' \
		'[person lmartin]' 'name = Lucía Martín' 'os_users = daemon' \
		'aliases = lucia.martin, L. Martín' 'roles = author approver' \
		'[person agil]' 'name = Ana Gil' 'os_users = bin' 'roles = approver' \
		'[person jruiz]' 'name = Jon Ruiz' 'os_users = sys' 'roles = author' \
		'[person jgarcia]' 'name = Javier García' 'os_users = games' 'roles = operator'
}

# pending_notice AUTOR: notices/cita.md signed by AUTOR, made a pending draft; prints its id
pending_notice() {
	mkdir -p "$T/$NOTICES"
	printf '%s' "${AVISO/AUTOR/$1}" >"$T/$NOTICES/cita.md"
	ii notices
	[[ $RC == 0 ]] || fail "notices failed: $ERR"
	db "SELECT uuid FROM draft WHERE source = 'cita.md'"
}

# The issue's bypasses: a space before or after, accents, capitals, an alias; each names
# Lucía, who wrote the notice as lucia.martin, and none lets her approve it.
test_two_person_bypasses_are_refused() {
	needs_root || return 0
	people_conf
	local id by
	id=$(pending_notice lucia.martin)
	for by in ' lucia.martin' 'lucia.martin  ' 'lucía.martín' 'LUCIA.MARTIN' 'L. Martín' \
		'Lucía   Martín' lmartin ''; do
		if [[ -n $by ]]; then as daemon approve "$id" --by "$by"; else as daemon approve "$id"; fi
		assert_rc 65
		err_has "incluinfo: error: Lucía Martín (lmartin) wrote this notice, as 'lucia.martin', and cannot approve it too (two-person rule)"
	done
	assert_eq pending "$(db 'SELECT status FROM draft')" 'status after the bypasses'
	# another person may
	as bin approve "$id" --by 'ana gil'
	assert_rc 0
	assert_eq approved "$(db 'SELECT status FROM draft')" 'status'
}

# The notice signed with another spelling of her name is still hers.
test_two_person_rule_follows_the_person_not_the_spelling() {
	needs_root || return 0
	people_conf
	local id
	id=$(pending_notice ' LUCÍA MARTÍN ')
	as daemon approve "$id"
	assert_rc 65
	err_has 'two-person rule'
}

# A draft whose autor names nobody now (the alias it used was removed, or it was written
# before the people were configured) could be anyone's, its approver's too: nobody approves
# it until its autor names a person again.
test_two_person_refuses_an_author_nobody_answers_to_now() {
	needs_root || return 0
	people_conf
	local id
	id=$(pending_notice 'L. Martín')
	sed -i "s/^aliases = lucia.martin, L. Martín$/aliases = lucia.martin/" "$CONF"
	as daemon approve "$id"
	assert_rc 65
	err_has "incluinfo: error: the notice's autor, 'L. Martín', names nobody of the [person] sections now: the two-person rule cannot tell who wrote it (correct its autor)"
	# written by the single operator, before there were people
	rm -rf "$T/state"
	conf_new "notices_dir=$NOTICES"
	conf_service sede "$(web status/200)"
	id=$(pending_notice lucia)
	people_conf
	as daemon approve "$id"
	assert_rc 65
	err_has "'lucia', names nobody of the [person] sections now"
	as bin approve "$id"
	assert_rc 65
	assert_eq pending "$(db 'SELECT status FROM draft')" 'status'
	# once the notice names its author, the rule can tell again
	printf '%s' "${AVISO/AUTOR/jruiz}" >"$T/$NOTICES/cita.md"
	ii notices
	as bin approve "$id"
	assert_rc 0
}

test_approving_needs_the_approver_role() {
	needs_root || return 0
	people_conf
	local id
	id=$(pending_notice lmartin)
	as sys approve "$id"
	assert_rc 77
	err_has "incluinfo: error: Jon Ruiz (jruiz) does not have the role 'approver', which 'approve' needs"
	as sys reject "$id" --reason 'no'
	assert_rc 77
	assert_eq pending "$(db 'SELECT status FROM draft')" 'status'
}

# root without sudo's variables is root, whatever $USER and $LOGNAME say
test_unknown_caller_is_refused_and_user_is_ignored() {
	needs_root || return 0
	people_conf
	local id
	id=$(pending_notice lmartin)
	USER=bin LOGNAME=bin ii approve "$id"
	assert_rc 77
	err_has "incluinfo: error: unknown caller (os-user root): no [person] section of '$CONF' lists 'root' in os_users"
	USER=bin LOGNAME=bin ii approve "$id" --by 'Ana Gil'
	assert_rc 77
	# sudo's two variables must name one account
	SUDO_USER=bin SUDO_UID=1 ii approve "$id"
	assert_rc 77
	err_has "incluinfo: error: unknown caller: SUDO_USER 'bin' and SUDO_UID '1' do not name one account"
	as games approve "$id"
	assert_rc 77
	assert_eq pending "$(db 'SELECT status FROM draft')" 'status'
}

test_by_naming_another_person_is_refused() {
	needs_root || return 0
	people_conf
	local id
	id=$(pending_notice jruiz)
	as bin approve "$id" --by lucia.martin
	assert_rc 77
	err_has "incluinfo: error: --by 'lucia.martin' names Lucía Martín (lmartin), but you are Ana Gil (agil): each person acts as themselves"
	as bin approve "$id" --by 'Ana'
	assert_rc 77
	err_has "incluinfo: error: --by 'Ana' names nobody of the [person] sections; you are Ana Gil (agil)"
	assert_eq pending "$(db 'SELECT status FROM draft')" 'status'
}

test_log_shows_the_person_and_how_they_were_identified() {
	needs_root || return 0
	people_conf
	local id
	id=$(pending_notice jruiz)
	as bin approve "${id:0:8}"
	assert_rc 0
	ii log "$id"
	out_has "approved                   Ana Gil [agil] (sudo from bin)"
	out_has "created                    incluinfo (system): cita.md"
	ii --json log "$id"
	assert_json 'j[1].name' 'Ana Gil'
	assert_json 'j[1].person' agil
	assert_json 'j[1].identified_by' 'sudo from bin'
	assert_json 'j[0].person' null
	assert_json 'j[0].identified_by' system
}

test_incidents_need_the_operator_role() {
	needs_root || return 0
	people_conf
	as daemon incident open --scope 'Oficinas de Madrid' --message 'Cerradas por obras.'
	assert_rc 77
	err_has "does not have the role 'operator', which 'incident' needs"
	as games --json incident open --scope 'Oficinas de Madrid' --message 'Cerradas por obras.' --by 'javier garcia'
	assert_rc 0
	assert_eq 'Javier García|jgarcia|sudo from games' \
		"$(db "SELECT name, person, identified_by FROM audit WHERE incident IS NOT NULL AND action = 'incident opened'")" 'audit'
}

test_publish_by_hand_needs_a_person() {
	needs_root || return 0
	people_conf
	ii publish
	assert_rc 77
	err_has 'unknown caller (os-user root)'
	# looking changes nothing: anyone may
	ii publish --dry-run
	assert_rc 0
}

# autor names a person with the author role, or lint and notices say so at its line
test_unknown_author_is_an_error_at_its_line() {
	people_conf
	mkdir -p "$T/$NOTICES"
	printf '%s' "${AVISO/AUTOR/Pepe}" >"$T/$NOTICES/pepe.md"
	printf '%s' "${AVISO/AUTOR/ana gil}" >"$T/$NOTICES/ana.md"
	printf '%s' "${AVISO/autor: AUTOR$'\n'/}" >"$T/$NOTICES/nadie.md"
	printf '%s' "${AVISO/AUTOR/L. MARTÍN}" >"$T/$NOTICES/lucia.md"
	ii lint
	assert_rc 65
	err_has "$T/$NOTICES/pepe.md:4: error: unknown author 'Pepe': autor names a person of the configuration, by their id, name or one of their aliases"
	err_has "$T/$NOTICES/ana.md:4: error: Ana Gil (agil) does not have the role 'author' and cannot sign a notice"
	err_has "$T/$NOTICES/nadie.md: error: missing key 'autor': with [person] sections configured, every notice names its author"
	assert_not_contains "$ERR" lucia.md
	ii --json notices
	assert_rc 65
	assert_json 'j.new.map(x => x.file).join()' lucia.md
}

# Without people: one operator, --by as written, the caller's account recorded, autor free
test_single_operator_mode_still_works() {
	unset SUDO_USER SUDO_UID
	conf_new "notices_dir=$NOTICES"
	conf_service sede "$(web status/200)"
	local id
	id=$(pending_notice 'Cualquiera')
	ii approve "$id"
	assert_rc 64
	err_has 'say who approves it with --by NAME'
	ii approve "$id" --by ' Luis'
	assert_rc 0
	assert_eq " Luis||os-user $(id -un)" "$(db "SELECT name, person, identified_by FROM audit WHERE action = 'approved'")" 'audit'
}

test_two_person_needs_people() {
	conf_new
	conf_raw '[policy]' 'two_person = true'
	ii config
	assert_rc 78
	err_has "$CONF:5: error: two_person = true needs the people in [person ID] sections"
}

test_a_claim_of_two_people_names_both() {
	conf_new
	conf_raw '[person ana]' 'name = Ana Gil' 'os_users = bin' \
		'[person anag]' 'name = ANA  GIL' 'os_users = bin'
	ii config
	assert_rc 78
	err_has "$CONF:7: error: [person anag] and [person ana] (line 4) both claim the OS user 'bin'"
	err_has "$CONF:7: error: [person anag] and [person ana] (line 4) both answer to the name 'ana gil'"
}

# incident hold, release and cancel are an operator's, and the trail says which person
test_incident_hold_release_cancel_need_an_operator() {
	needs_root || return 0
	people_conf
	as games incident open --scope 'Oficina de Sevilla' --message 'Hoy no abre por una avería.'
	assert_rc 0
	local id
	id=$(db 'SELECT uuid FROM incident')
	as bin incident hold "$id"
	assert_rc 77
	err_has "Ana Gil (agil) does not have the role 'operator', which 'incident' needs"
	as games incident hold "$id"
	assert_rc 0
	as games incident release "$id"
	assert_rc 0
	as sys incident cancel "$id"
	assert_rc 77
	as games incident cancel "$id"
	assert_rc 0
	assert_eq $'incident held|Javier García|jgarcia|sudo from games
incident released|Javier García|jgarcia|sudo from games
incident cancelled|Javier García|jgarcia|sudo from games' \
		"$(db "SELECT action, name, person, identified_by FROM audit WHERE action IN ('incident held', 'incident released', 'incident cancelled') ORDER BY rowid")" 'audit'
}
