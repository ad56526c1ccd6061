# Files the program reads and the state it keeps: nothing waits on a FIFO or reads without
# bound, one unreadable notices folder fails alone, state files are private and never
# reached through links, a broken state directory is said, and killed feed writes leave
# nothing behind.

# as_user ARGS...: ii, without root's power to ignore file modes (tests run as root)
as_user() {
	if ((EUID == 0)); then
		printf '#!/bin/sh\nexec setpriv --bounding-set=-dac_override,-dac_read_search -- %q "$@"\n' \
			"$INCLUINFO" >"$T/.as_user"
		chmod 755 "$T/.as_user"
		INCLUINFO=$T/.as_user ii "$@"
	else
		ii "$@"
	fi
}

VALID_NOTICE='---
tipo: aviso
titulo: Nuevo horario de atención
autor: ana
---
Desde el lunes las oficinas abren de 9 a 14 h.
'

test_fifo_and_endless_files_are_refused_at_once() {
	conf_new notices_dir=notices templates_dir=plantillas
	conf_service sede "$(web status/200)"
	mkfifo "$T/fifo.conf"
	run -c "$T/fifo.conf" config
	assert_rc 78
	assert_eq "incluinfo: error: cannot open '$T/fifo.conf': not a regular file" "$ERR"
	run -c /dev/zero config
	assert_rc 78
	assert_contains "$ERR" "'/dev/zero': not a regular file"
	# a huge regular file is read no further than the bound
	{ cat "$CONF"; head -c 1100000 /dev/zero | tr '\0' ';'; } >"$T/huge.conf"
	run -c "$T/huge.conf" config
	assert_rc 78
	assert_contains "$ERR" "'$T/huge.conf': larger than 1024 KiB"

	mkdir -p "$T/notices" "$T/plantillas"
	cp "$root"/etc/templates/*.txt "$T/plantillas/"
	mkfifo "$T/notices/tubo.md"
	ii lint "$T/notices/tubo.md"
	assert_contains "$ERR" "'$T/notices/tubo.md': not a regular file"
	rm "$T/notices/tubo.md"
	rm "$T/plantillas/alerta.txt"
	mkfifo "$T/plantillas/alerta.txt"
	ii lint
	assert_rc 78
	assert_contains "$ERR" "'$T/plantillas/alerta.txt': not a regular file"
}

# libcurl opens a ca_file blocking, on every probe: a FIFO there is refused by config
# instead of hanging every check
test_ca_file_fifo_is_refused_not_waited_on() {
	conf_new
	mkfifo "$T/ca.pem"
	conf_service sede "$(tls_url good status/200)" "ca_file=$T/ca.pem"
	ii check
	assert_rc 3
	assert_contains "$ERR" "cannot read ca_file '$T/ca.pem': not a regular file"
}

test_credentials_fifo_does_not_hang_publish() {
	x_start
	conf_new notices_dir=notices
	conf_service sede "$(web status/200)"
	conf_raw '[policy]' 'notices = auto'
	conf_twitter
	mkdir -p "$T/notices"
	printf '%s' "$VALID_NOTICE" >"$T/notices/horario.md"
	ii notices
	assert_rc 0
	rm "$T/x.cred"
	mkfifo -m 600 "$T/x.cred"
	ii publish
	assert_rc 78
	assert_contains "$ERR" "credentials file '$T/x.cred' is not a regular file"
}

test_unreadable_notice_folder_fails_alone() {
	conf_new notices_dir=notices
	conf_service sede "$(web status/200)"
	mkdir -p "$T/notices/cerrada"
	printf '%s' "$VALID_NOTICE" >"$T/notices/horario.md"
	printf '%s' "$VALID_NOTICE" >"$T/notices/cerrada/otro.md"
	chmod 000 "$T/notices/cerrada"
	as_user notices
	chmod 755 "$T/notices/cerrada"
	assert_rc 65
	assert_contains "$ERR" "$T/notices/cerrada: error: cannot read folder: Permission denied"
	assert_contains "$OUT" "from 'horario.md'"
	assert_eq 1 "$(db 'SELECT count(*) FROM draft')" drafts
}

mode_of() { stat -c %a "$1"; }

test_state_files_are_private_whatever_the_folder() {
	conf_new
	conf_service sede "$(web status/200)"
	mkdir -m 755 "$T/state"
	umask 022
	ii check
	assert_rc 0
	assert_contains "$ERR" "incluinfo: warning: state directory '$T/state' is open to group or others: run chmod 700 '$T/state'"
	local f
	for f in incluinfo.db incluinfo.lock incluinfo.db-wal incluinfo.db-shm; do
		[[ ! -e $T/state/$f ]] || assert_eq 600 "$(mode_of "$T/state/$f")" "mode of $f"
	done
	[[ -e $T/state/incluinfo.db ]] || fail 'no database'
	# one made readable by hand, or by 0.1.0, is made private again
	chmod 644 "$T/state/incluinfo.db" "$T/state/incluinfo.lock"
	ii check
	assert_rc 0
	assert_eq 600 "$(mode_of "$T/state/incluinfo.db")" 'mode of the database'
	assert_eq 600 "$(mode_of "$T/state/incluinfo.lock")" 'mode of the lock'
	# the warning is said once per run, and not for a private folder
	assert_eq 1 "$(grep -c warning "$T/.err")" warnings
	chmod 700 "$T/state"
	ii status
	assert_not_contains "$ERR" warning
}

test_state_links_are_never_followed() {
	conf_new
	conf_service sede "$(web status/200)"
	mkdir -m 700 "$T/state"
	echo precious >"$T/victim"
	ln -s "$T/victim" "$T/state/incluinfo.lock"
	ii feeds
	assert_rc 73
	assert_contains "$ERR" "cannot open '$T/state/incluinfo.lock': it is a symbolic link"
	assert_eq precious "$(cat "$T/victim")" 'the link target'
	rm "$T/state/incluinfo.lock"
	ln -s "$T/victim" "$T/state/incluinfo.db"
	ii feeds
	assert_rc 73
	ii status
	assert_rc 73
	assert_eq precious "$(cat "$T/victim")" 'the link target'
	rm "$T/state/incluinfo.db"
	ln "$T/victim" "$T/state/incluinfo.db"
	ii feeds
	assert_rc 73
	assert_contains "$ERR" 'other hard links'
	rm "$T/state/incluinfo.db"
	# a database planted by another user (state_dir open to them) is never used
	chmod 1777 "$T/state"
	ii check
	rm -f "$T/state/incluinfo.db-wal" "$T/state/incluinfo.db-shm"
	chown nobody "$T/state/incluinfo.db"
	ii check
	assert_rc 3
	assert_contains "$ERR" "cannot open '$T/state/incluinfo.db': it belongs to uid $(id -u nobody), not to this user"
	ii status
	assert_rc 73
	chmod 700 "$T/state"
	rm "$T/state/incluinfo.db"
	# a state_dir that is someone else's link
	mkdir -m 700 "$T/real"
	ln -s "$T/real" "$T/theirs"
	chown -h nobody "$T/theirs"
	conf_new "state_dir=$T/theirs"
	conf_service sede "$(web status/200)"
	ii feeds
	assert_rc 73
	assert_contains "$ERR" "cannot use state directory '$T/theirs': a symbolic link owned by another user"
	[[ -z $(ls -A "$T/real") ]] || fail 'state written through the link'
}

test_broken_state_dir_is_said() {
	conf_new
	conf_service sede "$(web status/200)"
	echo 'not a folder' >"$T/state"
	local cmd
	for cmd in status drafts log; do
		ii $cmd
		assert_rc 73
		assert_contains "$ERR" "incluinfo: error: cannot use state directory '$T/state': not a directory"
	done
	ii check --dry-run # a plugin: 3 UNKNOWN
	assert_rc 3
	assert_contains "$ERR" "incluinfo: error: cannot use state directory '$T/state': not a directory"
	rm "$T/state"
	ii check
	assert_rc 0
	chmod 500 "$T/state"
	for cmd in status drafts log; do
		as_user $cmd
		assert_rc 73
		assert_contains "$ERR" "incluinfo: error: cannot use state directory '$T/state': Permission denied"
		assert_not_contains "$ERR" 'schema'
	done
	chmod 700 "$T/state"
}

test_feeds_remove_temporaries_of_killed_writes() {
	conf_new feeds_dir=feeds
	conf_service sede "$(web status/200)"
	conf_raw '[feeds]' 'base_url = https://www.seg-social.es/feeds/'
	ii feeds
	assert_rc 0
	# what a kill -9 between mkstemp and rename leaves, as 0.1.0 and as now named
	local left=(feeds/.incidencias.atom.Ab3xYz feeds/.incluinfo-tmp.incidencias.atom.Q1w2E3
		feeds/.incluinfo-tmp.retirado.xml.ZZ9zz9) f
	for f in "${left[@]}"; do
		echo partial >"$T/$f"
	done
	echo 'deny all' >"$T/feeds/.htaccess"
	echo keep >"$T/feeds/.htaccess.backup"
	ii feeds
	assert_rc 0
	for f in "${left[@]}"; do
		[[ ! -e $T/$f ]] || fail "$f is still there"
	done
	[[ -f $T/feeds/.htaccess && -f $T/feeds/.htaccess.backup ]] || fail 'a dot file not ours was removed'
	[[ -z $(find "$T/feeds" -name '.incluinfo-tmp.*') ]] || fail 'a temporary is left'
}
