# Alerts to staff ([notify ID], lib/notify): a real SMTP server (aiosmtpd, STARTTLS and
# AUTH required) and a webhook receiver on loopback, started for each test.

NOTIFY_SECRETS=(smtp-S3CRET-password hook-S3CRET-token S3CRET-path)
PY=/usr/bin/python3 # Debian's, where python3-aiosmtpd is installed

# smtp_start: the SMTP fake for this test; mail lands in $T/mail; SMTP_PORT
smtp_start() {
	printf '%s\n' 'username=guardia' "password=${NOTIFY_SECRETS[0]}" >"$T/smtp.cred"
	chmod 600 "$T/smtp.cred"
	$PY "$CLI_DIR/../fakes/smtp.py" --port-file "$T/smtp.port" --dir "$T/mail" \
		--cert "$CERTS/good.pem" --key "$CERTS/good.key" --user guardia \
		--password "${NOTIFY_SECRETS[0]}" >"$T/smtp.log" 2>&1 &
	wait_for 10 test -s "$T/smtp.port" || fail "tests/fakes/smtp.py did not start: $(head -c 300 "$T/smtp.log")"
	SMTP_PORT=$(<"$T/smtp.port")
}

# hook_start: the webhook receiver; what it gets lands in $T/hook; HOOK_PORT
hook_start() {
	$PY "$CLI_DIR/../fakes/webhook.py" --port-file "$T/hook.port" --dir "$T/hook" >"$T/hook.log" 2>&1 &
	wait_for 10 test -s "$T/hook.port" || fail "tests/fakes/webhook.py did not start: $(head -c 300 "$T/hook.log")"
	HOOK_PORT=$(<"$T/hook.port")
}

# conf_mail [KEY=VALUE...]: [notify guardia], mail through the SMTP fake, to two
# addresses unless a to= is given
conf_mail() {
	local to='to=guardia@seg-social.es, comunicacion@seg-social.es' arg
	for arg; do
		[[ $arg == to=* ]] && to=
	done
	{
		printf '\n[notify guardia]\n'
		kv type=smtp "url=smtp://127.0.0.1:$SMTP_PORT" from=incluinfo@seg-social.es ${to:+"$to"} \
			"credentials=$T/smtp.cred" "ca_file=$CERTS/ca.pem" "$@"
	} >>"$CONF"
}

# conf_hook [KEY=VALUE...]: [notify chat], the webhook receiver, its address the secret of
# its credentials file
conf_hook() {
	printf '%s\n' "url=http://127.0.0.1:$HOOK_PORT/hooks/${NOTIFY_SECRETS[2]}" \
		"bearer_token=${NOTIFY_SECRETS[1]}" >"$T/hook.cred"
	chmod 600 "$T/hook.cred"
	{
		printf '\n[notify chat]\n'
		kv type=webhook "credentials=$T/hook.cred" "$@"
	} >>"$CONF"
}

mail_count() { find "$T/mail" -name '*.eml' 2>/dev/null | wc -l; }

# mail_routes: "EVENT: RECIPIENTS" of each mail received, in order, one per line
mail_routes() {
	local i
	for ((i = 1; i <= $(mail_count); i++)); do
		mail_field "$i" 'm["X-Incluinfo-Event"] + ": " + m["X-Test-Rcpt"]'
	done
}
hook_count() { find "$T/hook" -name '*.json' 2>/dev/null | wc -l; }

# hook_events: the event of each webhook message received, in order, one per line
hook_events() {
	local f
	for f in $(find "$T/hook" -name '*.json' 2>/dev/null | sort); do
		json 'j.event' "$(<"$f")"
	done
}

# mail_field N EXPR: EXPR of the Nth mail parsed by Python's email package (m: the message)
mail_field() {
	$PY -c '
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(eval(sys.argv[2]))' "$T/mail/$(printf '%03d' "$1").eml" "$2"
}

# assert_no_notify_secrets: no file but the credentials files (and the receiver's record of
# the headers it was sent), no output and no row holds a secret of the targets
assert_no_notify_secrets() {
	local secret found
	for secret in "${NOTIFY_SECRETS[@]}"; do
		found=$(grep -rlF --exclude=smtp.cred --exclude=hook.cred --exclude=smtp.log --exclude='*.head' "$secret" "$T" 2>/dev/null)
		[[ -z $found ]] || fail "secret found in: $found"
		if sqlite3 -readonly "$T/state/incluinfo.db" .dump | grep -qF "$secret"; then
			fail 'secret found in the database'
		fi
	done
}

notification() { # notification COLUMN WHERE: a column of the journal
	db "SELECT $1 FROM notification WHERE $2"
}

# setup_notify URL [POLICY...]: the fake X API, service sede at URL confirmed down after
# one failed check, notices_dir = notices, [policy] notices and incidents auto and POLICY
setup_notify() {
	local url=$1
	shift
	x_start
	conf_new notices_dir=notices
	conf_service sede "$url" 'name=Sede Electrónica' failures_to_open=1 successes_to_resolve=1
	conf_raw '[policy]' 'notices = auto' 'incidents = auto' "$@"
	conf_twitter
	mkdir -p "$T/notices"
}

test_notify_mail_before_the_public_alert() {
	smtp_start
	setup_notify "$(web status/503)" 'confirm_minutes = 5'
	conf_mail
	local now
	now=$(date +%s)
	INCLUINFO_NOW=$now ii run
	assert_rc 0
	# staff know; the public does not yet
	assert_eq 1 "$(mail_count)" 'mails after the outage was confirmed'
	assert_eq 0 "$(json 'j.posts.length' "$(x_get /_posts)")" 'posts on X within confirm_minutes'
	assert_eq 'Sede Electrónica is down' "$(mail_field 1 'm["Subject"]')" subject
	assert_match "$(sed -n 's/^Subject: //p' "$T/mail/001.eml")" '^=\?UTF-8\?B\?' 'the Subject as written (RFC 2047)'
	assert_eq 'guardia' "$(mail_field 1 'm["X-Test-Auth"]')" 'the SMTP login'
	assert_eq 'guardia@seg-social.es, comunicacion@seg-social.es' "$(mail_field 1 'm["X-Test-Rcpt"]')" recipients
	assert_eq incident_confirmed "$(mail_field 1 'm["X-Incluinfo-Event"]')" event
	assert_match "$(mail_field 1 'm["Message-ID"]')" '^<[0-9a-f]{32}\.incluinfo@seg-social\.es>$' Message-ID
	assert_match "$(mail_field 1 'm["Date"]')" '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} 20[0-9]{2} ' Date
	local body
	body=$(mail_field 1 'm.get_body().get_content()')
	assert_contains "$body" 'Sede Electrónica is down since' body
	assert_contains "$body" 'incluinfo incident hold' body
	# a second run within the delay: nothing more to staff, nothing to the public
	INCLUINFO_NOW=$((now + 60)) ii run
	assert_rc 0
	assert_eq 1 "$(mail_count)" 'mails after a second run'
	assert_eq 0 "$(json 'j.posts.length' "$(x_get /_posts)")" 'posts on X within confirm_minutes'
	# once the delay is over the alert goes out, and run says where
	INCLUINFO_NOW=$((now + 301)) ii run
	assert_rc 0
	assert_eq 1 "$(json 'j.posts.length' "$(x_get /_posts)")" 'posts on X after confirm_minutes'
	assert_match "$OUT" '^published [0-9a-f]{8} "Sede Electrónica: alerta" on X: 1 post, the last https://x.com/i/web/status/[0-9]+$' 'run output'
	assert_eq 1 "$(mail_count)" 'mails in all'
	assert_no_notify_secrets
}

test_notify_webhook_incident_and_monitor_events_once() {
	hook_start
	setup_notify "$(seq_url sede 503,200)"
	conf_canary "$(seq_url canary 200,200,502,200)"
	conf_hook
	ii run # sede confirmed down, its alert published
	assert_rc 0
	assert_eq incident_confirmed "$(hook_events)" 'after the outage'
	local body
	body=$(<"$T/hook/001.json")
	assert_eq 'Sede Electrónica is down' "$(json 'j.title' "$body")" title
	assert_contains "$(json 'j.text' "$body")" 'Sede Electrónica is down since' text
	assert_eq "$(web status/503 | sed 's|/status/503||')" "$(json 'j.url.replace(/\/seq\/.*$/, "")' "$body")" 'url: the public address'
	assert_contains "$(<"$T/hook/001.head")" "Authorization: Bearer ${NOTIFY_SECRETS[1]}" 'the bearer token sent'
	assert_contains "$(<"$T/hook/001.head")" "POST /hooks/${NOTIFY_SECRETS[2]} " 'the secret address used'
	ii run # sede up again
	assert_eq $'incident_confirmed\nincident_resolved' "$(hook_events)" 'after the recovery'
	ii run # every canary fails
	ii run # a canary answers again
	assert_eq $'incident_confirmed\nincident_resolved\nmonitor_offline\nmonitor_online' "$(hook_events)" \
		'after the monitor was offline'
	ii run
	assert_eq 4 "$(hook_count)" 'messages after a run with nothing new'
	assert_eq 4 "$(notification 'count(*)' "state = 'sent'")" 'rows sent'
	ii status
	assert_not_contains "$OUT" alert 'status with everything delivered'
	assert_no_notify_secrets
}

test_notify_webhook_draft_and_notice_events() {
	hook_start
	setup_notify "$(web status/200)"
	sed -i 's/^notices = auto$/notices = review/' "$CONF"
	conf_hook
	notice_paragraphs uno.md 'Cita previa' 'Pide cita previa en la sede electrónica.'
	notice_paragraphs dos.md 'Pensiones' 'La revalorización se paga en enero.'
	printf -- '---\ntipo: aviso\n---\nSin título.\n' >"$T/notices/mal.md"
	ii run
	assert_rc 65
	assert_eq $'draft_waiting\ndraft_waiting\nnotice_invalid' "$(hook_events | sort)" 'after the first run'
	assert_match "$(grep Cita <<<"$OUT")" '^waiting for approval: [0-9a-f]{8} "Cita previa" \(incluinfo show [0-9a-f]{8}\)$' 'run output'
	assert_eq 2 "$(wc -l <<<"$OUT")" 'lines of run output'
	ii run
	assert_eq 3 "$(hook_count)" 'messages after a second run: the invalid notice said once'
	assert_eq '' "$OUT" 'run output: nothing new waits'
	printf -- '---\ntipo: aviso\n---\nSin título, otra vez.\n' >"$T/notices/mal.md"
	ii run
	assert_eq 4 "$(hook_count)" 'messages after the invalid notice changed: a new version'
	local uno dos
	uno=$(db "SELECT uuid FROM draft WHERE source = 'uno.md'")
	dos=$(db "SELECT uuid FROM draft WHERE source = 'dos.md'")
	ii approve "$uno" --by lucia
	ii reject "$dos" --by lucia --reason 'No es el momento'
	ii run
	assert_match "$OUT" '^published [0-9a-f]{8} "Cita previa" on X: 1 post, the last https://x.com/i/web/status/[0-9]+$' 'run output'
	assert_eq $'draft_approved\ndraft_rejected' "$(hook_events | sed -n 5,6p)" 'after approve and reject'
	assert_contains "$(json 'j.text' "$(<"$T/hook/006.json")")" 'No es el momento' 'the reason given'
	notice_paragraphs uno.md 'Cita previa' 'Pide cita previa en la sede o por teléfono.'
	ii run
	assert_eq notice_changed_after_publication "$(hook_events | sed -n 7p)" 'after the published notice changed'
	# X refuses the next one for good
	notice_paragraphs tres.md 'Becas' 'Las becas se piden en marzo.'
	ii run
	x_post /_fault '{"kind":"status","status":400,"match":"POST /2/tweets"}' >/dev/null
	ii approve "$(db "SELECT uuid FROM draft WHERE source = 'tres.md'")" --by lucia
	ii run
	assert_eq $'draft_waiting\ndraft_approved\npublication_failed' "$(hook_events | sed -n 8,10p)" 'after X refused'
	assert_eq 10 "$(notification 'count(*)' "state = 'sent'")" 'rows sent'
	assert_no_notify_secrets
}

test_notify_retries_with_backoff_then_fails_for_good_and_status_shows_it() {
	hook_start
	setup_notify "$(web status/503)"
	conf_raw '[notify chat]' type=webhook "url = $(dead_url)hook"
	local now
	now=$(date +%s)
	INCLUINFO_NOW=$now ii run
	assert_rc 0
	assert_eq "pending 1 $((now + 60))" "$(notification "state || ' ' || attempts || ' ' || next_at" 1)" \
		'after a refused connection'
	INCLUINFO_NOW=$((now + 59)) ii run
	assert_eq 1 "$(notification attempts 1)" 'attempts before the backoff is over'
	INCLUINFO_NOW=$((now + 60)) ii run
	assert_eq "pending 2 $((now + 60 + 120))" "$(notification "state || ' ' || attempts || ' ' || next_at" 1)" \
		'after a second refused connection: twice the wait'
	# the receiver is there now
	sed -i "s|^url = $(dead_url)hook\$|url = http://127.0.0.1:$HOOK_PORT/hook|" "$CONF"
	INCLUINFO_NOW=$((now + 180)) ii run
	assert_eq 'sent 3' "$(notification "state || ' ' || attempts" 1)" 'once the receiver answers'
	assert_eq 1 "$(hook_count)" messages
	# a refusal for good: failed at once, said by run once, listed by status
	echo 400 >"$T/hook/.status"
	sed -i "s|^url = $(web status/503)\$|url = $(web status/200)|" "$CONF"
	INCLUINFO_NOW=$((now + 240)) ii run
	assert_match "$ERR" "^incluinfo: error: alert 'Sede Electrónica works again' \\(incident_resolved\\) to 'chat' of .* cannot be delivered after 1 attempt: the webhook answered HTTP 400$" 'run stderr'
	INCLUINFO_NOW=$((now + 300)) ii run
	assert_eq '' "$ERR" 'the next run: said once'
	INCLUINFO_NOW=$((now + 300)) ii status
	assert_contains "$OUT" "alert 'Sede Electrónica works again' (incident_resolved) to 'chat'" status
	INCLUINFO_NOW=$((now + 300)) ii --json status
	assert_json 'j.notifications.length' 1 'j.notifications[0].event' incident_resolved \
		'j.notifications[0].state' failed 'j.notifications[0].target' chat \
		'j.notifications[0].error' 'the webhook answered HTTP 400'
}

test_notify_kill_during_delivery_sends_nothing_twice_and_loses_nothing() {
	smtp_start
	setup_notify "$(web status/503)"
	conf_mail
	conf_service portal "$(web status/503)" failures_to_open=1
	echo 3 >"$T/mail/.delay"
	# killed while the server holds the first message's DATA
	kill_after 1500 run
	assert_eq 137 "$RC" 'the run was killed'
	assert_eq 1 "$(notification 'count(*)' "state = 'sending'")" 'rows left sending'
	assert_eq 1 "$(notification 'count(*)' "state = 'pending'")" 'rows not yet tried'
	rm "$T/mail/.delay"
	ii run
	# the server dropped the message whose client died before it was accepted: its fate
	# was unknown to incluinfo, which says so and does not send it again
	assert_eq 1 "$(mail_count)" 'messages: the one not in flight'
	assert_eq "$(notification title "state = 'sent'")" "$(mail_field 1 'm["Subject"]')" 'the message delivered'
	assert_eq 1 "$(notification 'count(*)' "state = 'unknown'")" 'rows whose fate is unknown'
	assert_match "$ERR" "^incluinfo: warning: alert '$(notification title "state = 'unknown'")' \\(incident_confirmed\\) to 'guardia' of .* may not have arrived: its sender stopped during delivery" 'run stderr'
	ii run
	assert_eq 1 "$(mail_count)" 'messages after another run'
	ii status
	assert_contains "$OUT" 'may not have arrived' status
}

test_notify_hold_keeps_the_alert_and_release_lets_it_go() {
	hook_start
	setup_notify "$(web status/503)" 'confirm_minutes = 10'
	conf_hook
	local now id
	now=$(date +%s)
	INCLUINFO_NOW=$now ii run
	id=$(db 'SELECT uuid FROM incident')
	assert_contains "$(json 'j.text' "$(<"$T/hook/001.json")")" "incluinfo incident hold ${id:0:8}" 'the alert says how to hold'
	INCLUINFO_NOW=$((now + 60)) ii incident hold "${id:0:8}" --by lucia
	assert_rc 0
	out_has "incident ${id:0:8} held"
	INCLUINFO_NOW=$((now + 60)) ii incident hold "${id:0:8}" --by lucia
	assert_rc 65
	err_has 'is already held'
	# due, but held: nothing public
	INCLUINFO_NOW=$((now + 900)) ii run
	assert_eq 0 "$(json 'j.posts.length' "$(x_get /_posts)")" 'posts on X while held'
	INCLUINFO_NOW=$((now + 900)) ii log
	out_has 'incident held'
	INCLUINFO_NOW=$((now + 960)) ii incident release "${id:0:8}" --by lucia
	assert_rc 0
	INCLUINFO_NOW=$((now + 960)) ii run
	assert_eq 1 "$(json 'j.posts.length' "$(x_get /_posts)")" 'posts on X once released'
	ii log
	out_has 'incident released'
}

test_notify_held_incident_resolved_without_any_post() {
	setup_notify "$(seq_url sede 503,200)" 'confirm_minutes = 10'
	local now id
	now=$(date +%s)
	INCLUINFO_NOW=$now ii run
	id=$(db 'SELECT uuid FROM incident')
	INCLUINFO_NOW=$now ii incident hold "$id"
	assert_rc 0
	INCLUINFO_NOW=$((now + 60)) ii run # up again: resolved, while held
	assert_eq 1 "$(db 'SELECT count(*) FROM incident WHERE resolved_at IS NOT NULL')" 'incidents resolved'
	INCLUINFO_NOW=$((now + 900)) ii run
	assert_eq 0 "$(json 'j.posts.length' "$(x_get /_posts)")" 'posts on X'
	assert_eq 0 "$(db "SELECT count(*) FROM draft WHERE status IN ('pending', 'approved', 'published')")" \
		'drafts still in play'
}

test_notify_incident_cancel_and_open_dry_run() {
	setup_notify "$(web status/200)" 'confirm_minutes = 10'
	sed -i 's/^incidents = auto$/incidents = review/' "$CONF"
	ii incident open --scope 'Oficina de Sevilla' --message 'Hoy no abre por una avería.' --dry-run
	assert_rc 0
	out_has 'Oficina de Sevilla'
	out_has 'Hoy no abre por una avería.'
	[[ ! -e $T/state/incluinfo.db ]] || fail 'incident open --dry-run made a database'
	ii incident open --scope 'Oficina de Sevilla' --message 'Hoy no abre por una avería.' --by lucia
	local id
	id=$(db 'SELECT uuid FROM incident')
	ii incident cancel "$id" --by lucia
	assert_rc 0
	out_has "incident ${id:0:8} cancelled"
	assert_eq 0 "$(db 'SELECT count(*) FROM incident WHERE resolved_at IS NULL')" 'open incidents'
	assert_eq superseded "$(db 'SELECT status FROM draft')" 'its draft'
	ii run
	assert_eq 0 "$(json 'j.posts.length' "$(x_get /_posts)")" 'posts on X'
	# one whose post is out cannot be cancelled: it is resolved
	ii incident open --scope 'Oficina de Cádiz' --message 'Hoy no abre por una avería.' --by lucia
	id=$(db "SELECT uuid FROM incident WHERE resolved_at IS NULL")
	ii approve "$(db "SELECT uuid FROM draft WHERE status = 'pending'")" --by lucia
	ii run
	ii incident cancel "$id" --by lucia
	assert_rc 65
	err_has 'resolve it'
}

test_notify_channel_paused_once() {
	hook_start
	setup_notify "$(web status/200)"
	conf_hook
	notice_paragraphs uno.md 'Cita previa' 'Pide cita previa en la sede electrónica.'
	x_post /_fault '{"kind":"usage_cap","match":"POST /2/tweets"}' >/dev/null
	ii run
	assert_rc 75
	assert_eq channel_paused "$(hook_events)" 'after X paused posting'
	assert_contains "$(json 'j.text' "$(<"$T/hook/001.json")")" 'posting to X is paused until' text
	ii run
	assert_eq 1 "$(hook_count)" 'messages after another run in the pause'
}

# A thread X refuses midway: one thread_stopped, said once, whatever the number of runs
test_notify_thread_stopped_once() {
	hook_start
	setup_notify "$(web status/200)"
	conf_hook
	notice_paragraphs uno.md 'Bulo de las pensiones' 'Las pensiones no bajan en enero.' 'Segunda parte.' 'Tercera parte.'
	# X takes the first post and refuses the second for good
	x_post /_fault '[{"kind":"delay","ms":1,"match":"POST /2/tweets"},{"kind":"status","status":400,"match":"POST /2/tweets"}]' >/dev/null
	ii run
	assert_rc 65
	assert_eq 1 "$(json 'j.posts.length' "$(x_get /_posts)")" 'posts on X'
	assert_eq thread_stopped "$(hook_events)" 'after the thread stopped'
	local text
	text=$(json 'j.text' "$(<"$T/hook/001.json")")
	assert_contains "$text" 'Thread stopped midway: Bulo de las pensiones' text
	assert_contains "$text" 'Part of it is public' text
	ii run
	assert_eq 1 "$(hook_count)" 'messages after another run'
	assert_eq "thread_stopped sent" "$(notification "event || ' ' || state" 1)" 'the journal'
}

# to = @approvers @author @operators: each event reaches the people it is for; a chat room
# hears of all of them and names the author of what concerns one
test_notify_mail_reaches_the_people_each_event_is_for() {
	needs_root || return 0
	unset SUDO_USER SUDO_UID
	smtp_start
	hook_start
	setup_notify "$(web status/200)"
	sed -i 's/^notices = auto$/notices = review/' "$CONF"
	conf_raw '[person ana]' 'name = Ana Gil' 'email = ana@seg-social.es' 'os_users = daemon' 'roles = author' \
		'[person jon]' 'name = Jon Ruiz' 'email = jon@seg-social.es' 'os_users = bin' 'web_login = jon' \
		'roles = approver' \
		'[person pepe]' 'name = Pepe Sanz' 'email = pepe@seg-social.es' 'os_users = sys' 'roles = approver' \
		'[person javier]' 'name = Javier García' 'email = javier@seg-social.es' 'os_users = games' 'roles = operator' \
		'[serve]' 'public_url = https://consola.example/'
	conf_mail 'to=@approvers, @author @operators'
	conf_hook 'events=draft_waiting draft_approved'
	notice_paragraphs uno.md 'Cita previa' 'Pide cita previa en la sede electrónica.'
	ii run
	assert_rc 0
	as bin approve "$(db "SELECT uuid FROM draft WHERE source = 'uno.md'")"
	assert_rc 0
	ii run
	assert_rc 0
	# signed by Jon, who is no author: invalid, and Jon hears of it
	notice_paragraphs dos.md 'Pensiones' 'La revalorización se paga en enero.'
	sed -i 's/^autor: ana$/autor: Jon Ruiz/' "$T/notices/dos.md"
	ii run
	assert_rc 65
	sed -i "s|^url = $(web status/200)\$|url = $(web status/503)|" "$CONF"
	ii run
	assert_eq $'draft_waiting: jon@seg-social.es, pepe@seg-social.es
draft_approved: ana@seg-social.es
notice_invalid: jon@seg-social.es
incident_confirmed: javier@seg-social.es' "$(mail_routes)" 'who got what'
	assert_eq 'jon@seg-social.es, pepe@seg-social.es' "$(mail_field 1 'm["To"]')" 'the To of the first'
	assert_eq $'draft_waiting\ndraft_approved' "$(hook_events)" 'the chat room'
	assert_eq 'null' "$(json 'JSON.stringify(j.person)' "$(<"$T/hook/001.json")")" 'person of draft_waiting'
	# someone can sign in to the console: the alert links to the draft's page there
	assert_eq "https://consola.example/drafts/$(db "SELECT uuid FROM draft WHERE source = 'uno.md'")" \
		"$(json 'j.url' "$(<"$T/hook/001.json")")" 'the console link of draft_waiting'
	local approved
	approved=$(<"$T/hook/002.json")
	assert_eq ana "$(json 'j.person.id' "$approved")" 'person of draft_approved'
	assert_match "$(json 'j.text' "$approved")" '^Ana Gil: Draft approved: Cita previa' 'the text names her'
	assert_no_notify_secrets
}

# to naming a person who is not configured, or has no email, is an error at its line
test_notify_to_names_configured_people() {
	smtp_start
	setup_notify "$(web status/200)"
	conf_raw '[person ana]' 'name = Ana Gil' 'roles = author'
	conf_mail 'to=ana' 'to=pedro'
	ii config
	assert_rc 78
	local line
	line=$(grep -n '^to = ana$' "$CONF" | cut -d: -f1)
	err_has "$CONF:$line: error: [notify guardia]: 'to' names Ana Gil (ana), who has no email"
	err_has "$CONF:$((line + 1)): error: [notify guardia]: 'to' names 'pedro', who is no [person] of the configuration"
}

# While confirm_minutes holds an outage's alert, run says so once: a person may hold it
test_notify_run_says_the_held_alert_once() {
	setup_notify "$(web status/503)" 'confirm_minutes = 10'
	local now
	now=$(date +%s)
	INCLUINFO_NOW=$now ii run
	assert_rc 0
	local id draft
	id=$(db 'SELECT uuid FROM incident')
	draft=$(db 'SELECT uuid FROM draft')
	assert_match "$OUT" "^alert held until .* for staff to look: ${draft:0:8} \"Sede Electrónica: alerta\" \\(incluinfo incident hold ${id:0:8}\\)\$" 'run output'
	assert_eq 1 "$(wc -l <<<"$OUT")" 'lines of run output'
	INCLUINFO_NOW=$((now + 60)) ii run
	assert_eq '' "$OUT" 'the next run: said once'
}

# kill -9 at random moments of runs that deliver several alerts, against the real SMTP
# server: after a clean run, no event was received twice, and every event whose fate is
# not the documented "unknown" (killed mid-request) was received exactly once. Each trial
# starts from an empty state; NOTIFY_TRIALS (default 20) of them, NOTIFY_TRIALS_SEED in
# every failure.
test_notify_kill_trials_each_alert_at_most_once() {
	local trials=${NOTIFY_TRIALS:-20} seed=${NOTIFY_TRIALS_SEED:-$$}
	RANDOM=$seed
	smtp_start
	# the public alerts wait an hour: only the staff's alerts are at stake
	setup_notify "$(web status/503)" 'confirm_minutes = 60'
	conf_service portal "$(web status/503)" failures_to_open=1
	conf_service importass "$(web status/503)" failures_to_open=1
	conf_service cita "$(web status/503)" failures_to_open=1
	conf_mail
	printf -- '---\ntipo: aviso\n---\nSin título.\n' >"$T/notices/mal.md"
	# the server answers DATA slowly: a kill lands inside a delivery as often as not
	echo 0.15 >"$T/mail/.delay"
	mkdir -p "$T/received"
	local k events=0 once=0 unknown=0 unknown_received=0 killed=0
	for ((k = 1; k <= trials; k++)); do
		rm -rf "$T/state"
		kill_after $((RANDOM % 1200)) run
		[[ $RC == 137 ]] && killed=$((killed + 1))
		ii run
		[[ $RC == 0 || $RC == 65 ]] || fail "trial $k (seed $seed): the clean run exited $RC: $ERR"
		# event, state and the number of mails received, for each row of the journal
		local report
		report=$($PY - "$T/mail" "$T/state/incluinfo.db" <<'PY'
import email, email.policy, glob, os, sqlite3, sys
received = {}
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml"))):
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    received[m["Subject"]] = received.get(m["Subject"], 0) + 1
    os.rename(path, os.path.join(sys.argv[1], "..", "received", os.path.basename(path)))
rows = sqlite3.connect(sys.argv[2]).execute("SELECT title, state FROM notification").fetchall()
for title, state in rows:
    print(state, received.pop(title, 0), title)
for title, n in received.items():
    print("stray", n, title)
PY
)
		local state n title
		while read -r state n title; do
			events=$((events + 1))
			case $state in
			sent) [[ $n == 1 ]] || fail "trial $k (seed $seed): '$title' sent, received $n times" ;;
			unknown)
				[[ $n -le 1 ]] || fail "trial $k (seed $seed): '$title' unknown, received $n times"
				unknown=$((unknown + 1))
				unknown_received=$((unknown_received + n)) ;;
			*) fail "trial $k (seed $seed): '$title' is $state after a clean run (received $n)" ;;
			esac
			[[ $state == sent ]] && once=$((once + 1))
		done <<<"$report"
		[[ $(wc -l <<<"$report") == 5 ]] || fail "trial $k (seed $seed): expected 5 alerts, got: $report"
	done
	echo "$trials trials ($killed killed, seed $seed): $events alerts, $once sent and received exactly once, $unknown unknown ($unknown_received of them received)" >"$T/.figures"
}

# Refusals and passing failures, as a ministry's servers give them: a mail server that
# refuses the login fails the alert at once, with no secret in what is kept; a webhook that
# answers 500 is tried again and delivered once it answers 200; a redirect is not followed
# (the address the hook points at is its secret) and fails the alert for good.
test_notify_login_refused_500_then_200_and_a_redirect() {
	smtp_start
	hook_start
	setup_notify "$(web status/503)"
	conf_mail
	conf_hook
	printf '%s\n' 'username=guardia' 'password=smtp-S3CRET-password-wrong' >"$T/smtp.cred"
	echo 500 >"$T/hook/.status"
	local now
	now=$(date +%s)
	INCLUINFO_NOW=$now ii run
	assert_eq 'failed 1' "$(notification "state || ' ' || attempts" "target = 'guardia'")" 'the mail after its login was refused'
	assert_eq 0 "$(mail_count)" mails
	assert_eq 'pending 1' "$(notification "state || ' ' || attempts" "target = 'chat'")" 'the webhook after HTTP 500'
	rm "$T/hook/.status"
	INCLUINFO_NOW=$((now + 60)) ii run
	assert_eq 'sent 2' "$(notification "state || ' ' || attempts" "target = 'chat'")" 'the webhook once it answers 200'
	assert_eq 1 "$(hook_count)" 'webhook messages'
	echo 302 >"$T/hook/.status"
	web status/200 >"$T/hook/.location"
	sed -i "s|^url = $(web status/503)\$|url = $(web status/200)|" "$CONF"
	INCLUINFO_NOW=$((now + 120)) ii run
	assert_eq 'failed 1 the webhook answered HTTP 302' \
		"$(notification "state || ' ' || attempts || ' ' || error" "target = 'chat' AND event = 'incident_resolved'")" 'the webhook after a redirect'
	assert_eq 1 "$(hook_count)" 'webhook messages'
	NOTIFY_SECRETS+=(smtp-S3CRET-password-wrong)
	assert_no_notify_secrets
}
