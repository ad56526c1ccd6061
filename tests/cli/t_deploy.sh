# What `make install` deploys: systemd units where systemd finds them, naming the installed
# binary, agreeing with the example configuration, and hardened.

# install_to DIR PREFIX: `make install` into DIR, the binary as it is (nothing rebuilt)
install_to() {
	make -s -C "$CLI_DIR/../.." -o all -o build/incluinfo install DESTDIR="$1" PREFIX="$2" >"$T/.make" 2>&1 ||
		fail "make install PREFIX=$2 failed: $(<"$T/.make")"
}

# conf_value KEY: the value of KEY in the example configuration
conf_value() {
	sed -nE "s/^$1 *= *([^ ;]*).*/\\1/p" "$CLI_DIR/../../etc/incluinfo.conf.example" | head -n 1
}

test_install_puts_units_where_systemd_finds_them() {
	install_to "$T/usr" /usr
	local unit=$T/usr/usr/lib/systemd/system/incluinfo-run.service
	[[ -f $unit && -f $T/usr/usr/lib/systemd/system/incluinfo-run.timer ]] || fail 'no units in /usr/lib/systemd/system'
	[[ -f $T/usr/usr/lib/sysusers.d/incluinfo.conf ]] || fail 'no sysusers.d entry: nothing creates the user'
	[[ -f $T/usr/usr/lib/tmpfiles.d/incluinfo.conf ]] || fail 'no tmpfiles.d entry'
	assert_contains "$(<"$unit")" 'ExecStart=/usr/bin/incluinfo -c ' 'the unit'
	assert_contains "$(<"$T/usr/usr/share/doc/incluinfo/incluinfo.cron")" ' /usr/bin/incluinfo -c ' 'the cron line'
	# cron and systemd start with LANG=C: staff would read English
	assert_contains "$(<"$unit")" 'Environment=LANG=es_ES.UTF-8' 'the unit'
	assert_contains "$(<"$T/usr/usr/share/doc/incluinfo/incluinfo.cron")" $'\nLANG=es_ES.UTF-8\n' 'the cron file'
	install_to "$T/opt" /opt/incluinfo
	unit=$T/opt/etc/systemd/system/incluinfo-run.service
	[[ -f $unit ]] || fail 'no unit in /etc/systemd/system for PREFIX=/opt/incluinfo'
	assert_contains "$(<"$unit")" 'ExecStart=/opt/incluinfo/bin/incluinfo -c ' 'the unit'
	[[ -f $T/opt/etc/sysusers.d/incluinfo.conf ]] || fail 'no sysusers.d entry in /etc'
	assert_not_contains "$(ls -R "$T/opt/opt/incluinfo/share/doc")" 'incluinfo-run' 'the documentation folder'
}

# unit_lists KEY PATH: the unit's KEY= line names PATH
unit_lists() {
	local paths
	paths=$(sed -nE "s/^$1=//p" "$CLI_DIR/../../etc/systemd/incluinfo-run.service")
	[[ " $paths " == *" $2 "* ]] || fail "$1=$paths does not name $2"
}

test_units_agree_with_the_example_configuration() {
	local unit=$CLI_DIR/../../etc/systemd/incluinfo-run.service
	local text users
	text=$(<"$unit")
	assert_eq /var/lib/incluinfo "$(conf_value state_dir)" 'state_dir'
	assert_contains "$text" $'\nStateDirectory=incluinfo\n' 'the unit'
	unit_lists ReadWritePaths "$(conf_value feeds_dir)"
	unit_lists ReadOnlyPaths "$(conf_value notices_dir)"
	assert_contains "$text" ' -c /etc/incluinfo/incluinfo.conf run' 'ExecStart'
	assert_match "$(<"$CLI_DIR/../../etc/tmpfiles.d/incluinfo.conf")" "d $(conf_value feeds_dir) [0-7]+ incluinfo " 'tmpfiles.d'
	# one user everywhere: the unit, the cron line and the account sysusers.d creates
	users=$(sed -nE 's/^User=//p' "$unit")
	assert_eq incluinfo "$users" 'User='
	assert_match "$(<"$CLI_DIR/../../etc/incluinfo.cron")" $'\n\\* \\* \\* \\* \\* incluinfo ' 'the cron user'
	assert_match "$(<"$CLI_DIR/../../etc/sysusers.d/incluinfo.conf")" $'\nu incluinfo ' 'sysusers.d'
}

test_installed_unit_scores_below_3() {
	command -v systemd-analyze >/dev/null || { echo '# skipped: no systemd-analyze'; return; }
	install_to "$T/usr" /usr
	local report score
	report=$(cd "$T" && systemd-analyze security --offline=yes "$T/usr/usr/lib/systemd/system/incluinfo-run.service" 2>&1)
	score=$(sed -nE 's/.*Overall exposure level for incluinfo-run.service: ([0-9.]+) .*/\1/p' <<<"$report")
	[[ -n $score ]] || fail "no score from systemd-analyze: $(tail -n 3 <<<"$report")"
	awk -v s="$score" 'BEGIN { exit !(s < 3) }' || fail "systemd-analyze security scores $score, not below 3"
}
