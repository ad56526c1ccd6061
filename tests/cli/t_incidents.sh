# Incidents on a controllable clock: each check runs at the time INCLUINFO_NOW says, so a
# timeline of hours takes a second. Answers come from /seq/ URLs, one step per check.
#
# Drafts are read from the database: draft (uuid, kind, status, incident, reply_to) and
# post (draft, seq, text).

T0=1764320400 # 2025-11-28 10:00 in Madrid

# at OFFSET_SECONDS ARGS...: runs incluinfo -c $CONF ARGS at T0 + OFFSET
at() {
	local offset=$1
	shift
	INCLUINFO_NOW=$((T0 + offset)) ii "$@"
}

# kinds: the kinds of the drafts, oldest first, space-separated
kinds() {
	db "SELECT group_concat(kind, ' ') FROM (SELECT kind FROM draft ORDER BY created_at, rowid)"
}

# text_of KIND [N]: the first post of the Nth (from 1) draft of KIND
text_of() {
	db "SELECT text FROM post JOIN draft ON draft.uuid = post.draft WHERE kind = '$1' AND seq = 0
	    ORDER BY draft.created_at, draft.rowid LIMIT 1 OFFSET $((${2:-1} - 1))"
}

# minutely_checks N: N checks a minute apart, from T0
minutely_checks() {
	local i
	for ((i = 0; i < $1; i++)); do
		at $((i * 60)) check
	done
}

# sent_all: every draft so far goes out, as the publish step of each run would send it
# before the next check drafts more (a draft nobody has seen yet can be superseded)
sent_all() {
	sqlite3 -batch "$T/$DB_FILE" "UPDATE draft SET status = 'published' WHERE status = 'approved'" ||
		fail 'cannot mark the drafts published'
}

# statuses: the statuses of the drafts, oldest first, space-separated
statuses() {
	db "SELECT group_concat(status, ' ') FROM (SELECT status FROM draft ORDER BY created_at, rowid)"
}

# assert_one_thread: every draft answers the one before it, the first answers none
assert_one_thread() {
	local broken
	broken=$(db "SELECT count(*) FROM (SELECT reply_to, lag(uuid) OVER (ORDER BY created_at, rowid)
		     AS previous FROM draft) WHERE coalesce(reply_to, '') <> coalesce(previous, '')")
	assert_eq 0 "$broken" 'drafts that do not answer the previous one'
}

test_outage_alert_two_updates_and_resolution() {
	conf_new
	conf_service sede "$(seq_url sede 503,503,503,503,503,200,200)" failures_to_open=2 \
		successes_to_resolve=2 remind_minutes=60 'name=La Sede Electrónica'
	at 0 check
	assert_rc 1
	at 60 check
	assert_rc 2
	assert_eq alerta "$(kinds)" 'drafts after the outage is confirmed'
	assert_eq '⚠️ La Sede Electrónica no funciona desde las 10:00. Estamos revisando qué ocurre y te avisaremos cuando vuelva a funcionar. #SeguridadSocial' \
		"$(text_of alerta)" 'alert'
	sent_all
	at 3659 check
	assert_eq alerta "$(kinds)" 'drafts a second before the first update is due'
	at 3660 -v check
	assert_contains "$OUT" 'sede: still down; update drafted for incident'
	sent_all
	at 7260 check
	assert_eq 'alerta actualizacion actualizacion' "$(kinds)" 'drafts after two hours'
	assert_contains "$(text_of actualizacion 2)" 'sigue sin funcionar desde las 10:00, hace 2 horas y 1 minuto.'
	sent_all
	at 7320 check
	at 7380 --json check
	assert_rc 0
	svc_is 0 state up event resolved
	assert_eq 'alerta actualizacion actualizacion resuelta' "$(kinds)" 'drafts after recovery'
	assert_eq '✅ La Sede Electrónica vuelve a funcionar con normalidad desde las 12:02. El problema ha durado 2 horas y 2 minutos. Gracias por tu paciencia.' \
		"$(text_of resuelta)" 'resolution'
	assert_one_thread
	# policy incidents = auto: approved by incluinfo itself, and audited so
	assert_eq 'published published published approved' "$(statuses)" 'statuses'
	assert_eq 4 "$(db "SELECT count(*) FROM audit WHERE action = 'approved' AND name = 'incluinfo'")" \
		'automatic approvals'
	assert_eq 1 "$(db "SELECT count(DISTINCT incident) FROM draft")" 'incidents behind the drafts'
}

# Issue 12 case 6: while nothing could be published (X unreachable), what a later draft
# makes untrue is superseded, never sent late: an update by the next update, the alert and
# every update by the resolution, which then starts a thread of its own.
test_unsent_posts_are_superseded_by_what_follows() {
	conf_new
	conf_service sede "$(seq_url sede 503,503,503,503,200)" failures_to_open=1 \
		successes_to_resolve=1 remind_minutes=30 'name=La Sede Electrónica'
	at 0 check
	at 1800 check
	assert_eq 'approved approved' "$(statuses)" 'an update leaves the alert, still true'
	assert_eq $((T0 + 3600)) "$(db "SELECT expires_at FROM draft WHERE kind = 'actualizacion'")" \
		'the update is stale once the next one is due'
	at 3600 check
	assert_eq 'approved superseded approved' "$(statuses)" 'the second update supersedes the first'
	assert_eq "$(db "SELECT uuid FROM draft WHERE kind = 'alerta'")" \
		"$(db "SELECT reply_to FROM draft ORDER BY created_at DESC, rowid DESC LIMIT 1")" \
		'the second update answers the alert'
	at 5400 check
	at 7200 check
	assert_eq 'alerta actualizacion actualizacion actualizacion resuelta' "$(kinds)" 'drafts'
	assert_eq 'superseded superseded superseded superseded approved' "$(statuses)" 'statuses'
	assert_eq '' "$(db "SELECT coalesce(reply_to, '') FROM draft WHERE kind = 'resuelta'")" \
		'the resolution answers nothing that was never sent'
	assert_eq 4 "$(db "SELECT count(*) FROM audit WHERE action = 'superseded'")" 'audited'
	ii drafts --all
	assert_contains "$OUT" superseded
}

test_review_policy_leaves_alerts_pending() {
	conf_new
	conf_service sede "$(seq_url sede 503)" failures_to_open=1
	conf_raw '[policy]' 'incidents = review'
	at 0 check
	assert_eq pending "$(db 'SELECT status FROM draft')" 'alert status'
	ii --json drafts
	assert_json 'j.length' 1 'j[0].kind' alerta 'j[0].status' pending
}

test_degraded_announced_only_when_configured() {
	conf_new
	conf_service quiet "$(seq_url quiet d300)" degraded_ms=100 failures_to_open=2
	conf_service loud "$(seq_url loud d300)" degraded_ms=100 failures_to_open=2 \
		announce_degraded=true
	at 0 check
	assert_eq '' "$(kinds)" 'drafts after one slow check'
	at 60 check
	assert_eq alerta "$(kinds)" 'drafts after two slow checks'
	assert_eq 'loud degraded' "$(db "SELECT service, kind FROM incident" | tr '|' ' ')" 'incidents'
}

test_flapping_gives_one_unstable_post_not_a_storm() {
	conf_new
	# down and up on every check, for an hour
	conf_service sede "$(seq_url sede 503,200,503,200,503,200,503,200,503,200,503,200,503,200,200,200,200)" \
		failures_to_open=1 successes_to_resolve=1 flap_limit=3
	minutely_checks 14
	assert_eq 'alerta resuelta alerta resuelta alerta resuelta inestable' "$(kinds)" \
		'drafts after 7 outages in 14 minutes'
	assert_contains "$(text_of inestable)" 'funciona con cortes desde las 10:06'
	# up since 10:13; resolved only once it has been up for 15 minutes
	at $((27 * 60)) check
	assert_eq 'alerta resuelta alerta resuelta alerta resuelta inestable' "$(kinds)" \
		'drafts 14 minutes after the last failure'
	at $((28 * 60)) check
	assert_eq 'alerta resuelta alerta resuelta alerta resuelta inestable resuelta' "$(kinds)" \
		'drafts once stable'
	assert_contains "$(text_of resuelta 4)" 'desde las 10:13'
}

test_offline_monitor_leaves_incidents_alone() {
	local sede
	sede=$(seq_url sede 503,503,503,200,200)
	conf_new
	conf_service sede "$sede" failures_to_open=1 successes_to_resolve=1 remind_minutes=10
	conf_canary "$(web status/200)"
	at 0 check
	assert_eq alerta "$(kinds)" 'drafts after the outage'
	local before
	before=$(db_dump)
	# the monitor loses its network: no update, however long, and no resolution
	conf_new
	conf_service sede "$sede" failures_to_open=1 successes_to_resolve=1 remind_minutes=10
	conf_canary "$(dead_url)"
	at 3600 check
	assert_rc 3
	at 7200 check
	assert_rc 3
	at 7260 check
	assert_rc 3
	assert_eq alerta "$(kinds)" 'drafts while offline'
	assert_eq "$before" "$(db_dump)" 'state while offline'
}

test_manual_incident_lifecycle_is_audited_and_threaded() {
	conf_new
	conf_service sede "$(web status/200)"
	at 0 incident open --scope 'Oficinas de Madrid' --message 'La oficina de la calle Mayor cierra hoy por una avería.' --by Ana
	assert_rc 0
	local id
	id=$(db "SELECT uuid FROM incident")
	sent_all
	at 600 incident update "${id:0:8}" --status identificado --message 'Un técnico ya está en la oficina.' --by Luis
	assert_rc 0
	sent_all
	at 1200 incident resolve "${id:0:8}" --by Luis --message 'La oficina vuelve a abrir.'
	assert_rc 0
	assert_eq 'incidencia incidencia incidencia' "$(kinds)" 'drafts'
	assert_one_thread
	assert_eq 'ℹ️ Oficinas de Madrid: Un técnico ya está en la oficina.' \
		"$(text_of incidencia 2)" 'update'
	assert_eq 'incident opened|Ana
incident updated|Luis
incident resolved|Luis' "$(db "SELECT action, name FROM audit WHERE action LIKE 'incident %' ORDER BY id")" 'audit'
	ii --json incident list --all
	assert_json 'j[0].status' resuelto 'j[0].kind' manual 'j[0].service' null
	# resolved: nothing more to say
	at 1300 incident update "${id:0:8}" --message 'otra'
	assert_rc 65
	assert_contains "$ERR" 'already resolved'
}

test_manual_incident_refused_while_the_service_has_one() {
	conf_new
	conf_service sede "$(seq_url sede 503)" failures_to_open=1
	at 0 check
	local id
	id=$(db "SELECT uuid FROM incident")
	at 60 incident open --scope sede --message 'La sede no funciona.'
	assert_rc 65
	assert_contains "$ERR" "incluinfo: error: service 'sede' already has an open incident: $id"
	ii incident open --scope sede --message 'x' --status resuelto
	assert_rc 65
	ii incident open --message 'x'
	assert_rc 64
}

# Issue 12: the posts are true when they go out.

test_alert_after_midnight_names_yesterday() { # case 8
	conf_new
	conf_service sede "$(seq_url sede 503,503,503)" failures_to_open=2 'name=La Sede Electrónica'
	at $((14 * 3600 - 60)) check # 23:59
	at $((14 * 3600)) check      # 0:00, the next day
	assert_contains "$(text_of alerta)" 'La Sede Electrónica no funciona desde ayer a las 23:59.'
}

test_same_minute_outages_on_two_days_repeat_no_text() { # case 1
	conf_new
	conf_service sede "$(seq_url sede 503,200,503,200,503,200)" failures_to_open=1 \
		successes_to_resolve=1 'name=La Sede Electrónica'
	local day
	for day in 0 1 2; do
		at $((day * 86400)) check
		at $((day * 86400 + 60)) check
	done
	assert_eq 'alerta resuelta alerta resuelta alerta resuelta' "$(kinds)" 'drafts'
	assert_eq 0 "$(db "SELECT count(*) - count(DISTINCT text) FROM post")" 'repeated post texts'
	assert_contains "$(text_of alerta 1)" 'no funciona desde las 10:00. '
	assert_contains "$(text_of alerta 2)" 'no funciona desde el 29 de noviembre a las 10:00. '
}

test_no_update_from_a_run_that_sees_the_service_back() { # case 7
	conf_new
	conf_service sede "$(seq_url sede 503,200,200)" failures_to_open=1 successes_to_resolve=2 \
		remind_minutes=30
	at 0 check
	# the update is due, but this run's probe answers: no "still down"
	at 1800 -v check
	assert_not_contains "$OUT" 'update drafted'
	at 1860 check
	assert_eq 'alerta resuelta' "$(kinds)" 'drafts'
}

# window_11_to_12 STEPS GRACE: the sede answering STEPS, auto-approved notices, and one of
# them a maintenance window of the sede from 11:00 to 12:00 with GRACE minutes of grace
window_11_to_12() {
	conf_new notices_dir=avisos
	conf_service sede "$(seq_url sede "$1")" failures_to_open=1 "grace_minutes=$2" \
		'name=La Sede Electrónica'
	conf_raw '[policy]' 'notices = auto'
	mkdir -p "$T/avisos"
	printf '%s' $'---\ntipo: mantenimiento\nservicio: sede\ndesde: 2025-11-28 11:00\nhasta: 2025-11-28 12:00\naviso_antes: 30 min\n---\nMejoras.\n' \
		>"$T/avisos/parada.md"
}

test_maintenance_end_on_a_failing_service_says_it_still_fails() { # case 5
	window_11_to_12 200,503,503,503,200 15
	at 0 notices
	sent_all
	assert_rc 0
	at 0 check
	sent_all
	at 3700 check # inside the window, failing
	sent_all
	at 7200 check # the window's end, still failing
	sent_all
	assert_eq 'mantenimiento mantenimiento-inicio mantenimiento-fin' "$(kinds)" 'drafts at the end'
	local end
	end=$(text_of mantenimiento-fin)
	assert_contains "$end" 'La Sede Electrónica todavía no funciona'
	assert_not_contains "$end" 'funciona con normalidad'
	at 7260 check # still failing: nothing new
	sent_all
	at 7320 check # working: now it may be said, in the window's thread
	sent_all
	assert_eq 'mantenimiento mantenimiento-inicio mantenimiento-fin mantenimiento-fin' "$(kinds)" \
		'drafts once it works'
	assert_contains "$(text_of mantenimiento-fin 2)" 'La Sede Electrónica ya funciona con normalidad'
	assert_one_thread
	assert_eq 0 "$(db "SELECT count(*) FROM incident")" 'incidents'
}

# Review of issue 12, 2: a new outage supersedes the unsent post of an earlier one, or of
# a maintenance window, saying that the service works: "works normally since 11:00" never
# goes out while the service is down again.
test_new_outage_supersedes_the_unsent_recovery_of_the_last() {
	conf_new
	conf_service sede "$(seq_url sede 503,200,503)" failures_to_open=1 successes_to_resolve=1 \
		remind_minutes=0 'name=La Sede Electrónica'
	at 0 check
	at 3600 check
	assert_eq 'alerta resuelta' "$(kinds)" 'drafts after the first outage'
	assert_eq 'superseded approved' "$(statuses)" 'the resolution replaced the alert'
	at 7200 check
	assert_eq 'alerta resuelta alerta' "$(kinds)" 'drafts after the second outage'
	assert_eq 'superseded superseded approved' "$(statuses)" 'the resolution is untrue now'
	assert_eq 1 "$(db "SELECT count(*) FROM audit WHERE action = 'superseded'
		AND detail = 'a later outage of the service made it untrue'")" 'audited'
}

test_outage_after_a_window_supersedes_its_unsent_end() {
	window_11_to_12 200,200,200,503 1
	at 0 notices
	at 0 check
	sent_all
	at 3700 check
	sent_all
	at 7200 check # the window's end, working: its end post waits for X
	assert_contains "$(text_of mantenimiento-fin)" 'ya funciona con normalidad'
	at 7300 check # failing again, after the grace period
	assert_eq 'mantenimiento mantenimiento-inicio mantenimiento-fin alerta' "$(kinds)" 'drafts'
	assert_eq 'published published superseded approved' "$(statuses)" 'statuses'
}

test_outage_during_a_manual_incident_is_announced_in_its_thread() { # case 9
	conf_new
	conf_service sede "$(seq_url sede 503,503,503,503,200,200)" failures_to_open=3 \
		successes_to_resolve=2 'name=La Sede Electrónica'
	at 0 incident open --scope sede --message 'Algunos usuarios no pueden firmar con Cl@ve.'
	sent_all
	assert_rc 0
	local manual
	manual=$(db "SELECT uuid FROM incident")
	at 600 check
	sent_all
	at 660 check
	sent_all
	at 720 -v check
	sent_all
	assert_rc 2
	out_has "sede: confirmed down since $(TZ=Europe/Madrid date -d @$((T0 + 600)) '+%Y-%m-%d %H:%M:%S') after 3 failed checks"
	assert_eq 'incidencia alerta' "$(kinds)" 'drafts once the outage is confirmed'
	at 780 check
	sent_all
	at 840 check
	sent_all
	at 900 -v check
	sent_all
	assert_rc 0
	out_has "sede: working again since $(TZ=Europe/Madrid date -d @$((T0 + 840)) '+%Y-%m-%d %H:%M:%S'); incident "
	out_has 'resolved after 4 min'
	out_lacks '1970'
	assert_eq 'incidencia alerta resuelta' "$(kinds)" 'drafts after recovery'
	assert_one_thread
	ii --json incident list
	assert_json 'j.length' 1 'j[0].id' "$manual" 'j[0].kind' manual
	# staff's next word answers the resolution, in their own words: the program claims
	# nothing (issue 14, item 6)
	at 960 incident resolve "${manual:0:8}"
	assert_rc 64
	assert_contains "$ERR" 'incident resolve ID --message TEXT'
	at 960 incident resolve "${manual:0:8}" --message 'Ya puedes firmar con Cl@ve.'
	assert_rc 0
	assert_one_thread
	assert_eq '✅ La Sede Electrónica: Ya puedes firmar con Cl@ve.' "$(text_of incidencia 2)" 'resolution'
}

test_check_agrees_with_an_unstable_incident() { # case 10
	conf_new
	conf_service sede "$(seq_url sede 503,200,503,200,503,200,503,200,503,200,200)" \
		failures_to_open=1 successes_to_resolve=1 flap_limit=2
	minutely_checks 4
	at 240 --json check
	svc_is 0 event unstable transition opened
	local id opened
	id=$(json 'j.services[0].incident')
	opened=$(db "SELECT opened_at FROM incident WHERE uuid = '$id'")
	assert_eq $((T0 + 240)) "$opened" 'the unstable incident opens now'
	# up again: the unstable incident stays open, and check says so
	at 300 --json check
	svc_is 0 state up incident "$id" transition null event null
	# down again: no new incident, no "opened"
	at 360 --json check
	svc_is 0 state down incident "$id" transition null event null
	at 420 -v check
	out_lacks 'resolved'
	out_has "unstable incident $id stays open until the service has been up for 15 min"
	at 480 -v check
	out_lacks 'confirmed down'
	out_has "down again since $(TZ=Europe/Madrid date -d @$((T0 + 480)) '+%Y-%m-%d %H:%M:%S') (HTTP 503); incident $id stays open"
	ii --json incident list
	assert_json 'j.length' 1 'j[0].id' "$id" 'j[0].kind' unstable 'j[0].resolved_at' null
}
