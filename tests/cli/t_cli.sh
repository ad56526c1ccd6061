# The command line itself: help, version, usage errors, finding the configuration.

test_help() {
	run --help
	assert_rc 0
	out_has 'usage: incluinfo'
	local command
	for command in check status config help; do
		assert_match "$OUT" $'(^|\n) *'"$command"' ' "--help's list of commands ($command)"
	done
	local listing=$OUT
	run help
	assert_rc 0
	assert_eq "$listing" "$OUT" "'help' against '--help'"
}

test_help_command() {
	local command
	for command in check status config; do
		run help "$command"
		assert_rc 0
		assert_match "$OUT" "usage: incluinfo $command" "help $command"
		local text=$OUT
		run "$command" --help
		assert_rc 0
		assert_eq "$text" "$OUT" "'$command --help' against 'help $command'"
	done
	run help check
	out_has --dry-run
	out_has --service
}

test_help_unknown_command() {
	run help frobnicate
	assert_rc 64
	err_has frobnicate
}

test_version() {
	run --version
	assert_rc 0
	assert_match "$OUT" '^incluinfo [0-9]+\.[0-9]+\.[0-9]+' stdout
}

test_unknown_command() {
	run frobnicate
	assert_rc 64
	err_has 'incluinfo: error: '
	err_has frobnicate
	assert_eq '' "$OUT" stdout
}

test_unknown_option() {
	run --frobnicate status
	assert_rc 64
	err_has 'incluinfo: error: '
	err_has --frobnicate
	run --frobnicate
	assert_rc 64
}

test_no_command() {
	run
	assert_rc 64
	err_has 'incluinfo: error: '
}

test_option_missing_argument() {
	run -c
	assert_rc 64
	err_has 'incluinfo: error: '
}

test_unexpected_argument() {
	conf_new
	ii status extra
	assert_rc 64
	ii config --frobnicate
	assert_rc 64
}

# A usage error says what is wrong first, in the message style, then the usage: never the
# usage alone.
test_every_usage_error_says_what_is_wrong() {
	conf_new
	local args want
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086 # the arguments are words
		ii $args
		assert_rc 64
		assert_eq "incluinfo: error: $want" "$(head -n 1 <<<"$ERR")" "$args"
		assert_contains "$(sed -n 2p <<<"$ERR")" 'usage: incluinfo' "$args: then the usage"
	done <<'EOF'
incident|'incident' needs an action: open, update, resolve, hold, release, cancel or list
incident frob|unknown action 'frob' for 'incident': use open, update, resolve, hold, release, cancel or list
incident open --message Cerrada.|'incident open' needs --scope (a service's id, or what the incident is about)
incident open --scope sede|'incident open' needs --message TEXT, what the public reads
incident update abcdef|'incident update' needs --message TEXT, what the public reads
incident resolve|'incident resolve' needs the incident's id
incident hold abcdef --message x|'incident hold' takes no --scope, --message or --status
incident update abcdef --message x --dry-run|'incident update' takes no --dry-run: only 'open' does
incident update abcdef uvwxyz --message x|unexpected argument 'uvwxyz' for 'incident'
show|'show' takes one draft id
show abcdef more|unexpected argument 'more' for 'show'
preview|'preview' takes one notice file
feeds extra|unexpected argument 'extra' for 'feeds'
notices extra|unexpected argument 'extra' for 'notices'
run extra|unexpected argument 'extra' for 'run'
log abcdef more|unexpected argument 'more' for 'log'
EOF
}

# A command's options are refused in the program's frame and words, never getopt's
# ("drafts: unrecognized option"), naming the option and, when unknown, the command.
test_every_command_refuses_an_option_in_its_own_words() {
	conf_new
	local command
	for command in drafts approve reject publish retract "incident open" check; do
		# shellcheck disable=SC2086 # "incident open" is two words
		ii $command --frobnicate
		assert_eq "incluinfo: error: unknown option '--frobnicate' for '${command%% *}'" \
			"$(head -n 1 <<<"$ERR")" "$command --frobnicate"
	done
	for command in "approve abcdef" "reject abcdef" "retract abcdef" "incident open"; do
		# shellcheck disable=SC2086
		ii $command --by
		assert_eq "incluinfo: error: option '--by' needs an argument" "$(head -n 1 <<<"$ERR")" \
			"$command --by"
		assert_rc 64
	done
	# an option of the neighbour command, named as it was written
	ii approve abcdef --reason why --by ana
	assert_eq "incluinfo: error: unknown option '--reason' for 'approve'" "$(head -n 1 <<<"$ERR")"
}

test_check_usage_error_is_unknown() {
	# check keeps the monitoring-plugins contract: a usage error is UNKNOWN
	conf_new
	conf_services 1
	ii check --frobnicate
	assert_rc 3
	err_has --frobnicate
}

test_missing_config() {
	local command
	for command in config status; do
		run -c missing.conf "$command"
		assert_rc 78
		assert_eq "incluinfo: error: cannot open 'missing.conf': No such file or directory" "$ERR" stderr
	done
	run -c missing.conf check
	assert_rc 3
	err_has "incluinfo: error: cannot open 'missing.conf': No such file or directory"
	first_line_is '^INCLUINFO UNKNOWN'
}

test_default_config_is_incluinfo_conf() {
	run config
	assert_rc 78
	err_has "cannot open 'incluinfo.conf'"
	conf_new history_days=17
	run config
	assert_rc 0
	out_has 17
}

test_config_from_environment() {
	CONF=$T/from-env.conf
	conf_new history_days=21
	export INCLUINFO_CONFIG=$CONF
	run config
	assert_rc 0
	out_has 21
	# -c comes first
	CONF=$T/from-option.conf
	conf_new history_days=22
	run -c "$CONF" config
	assert_rc 0
	out_has 22
	out_lacks 21
	INCLUINFO_CONFIG=$T/nonexistent.conf
	run status
	assert_rc 78
	err_has "cannot open '$T/nonexistent.conf'"
}

test_invalid_config_check_is_unknown() {
	conf_new
	conf_service sede "$(web status/200)" timeout=5
	ii check
	assert_rc 3
	first_line_is '^INCLUINFO UNKNOWN'
	local line
	line=$(grep -n '^timeout = ' "$CONF" | cut -d: -f1)
	err_has "$CONF:$line: error: unknown key 'timeout' in [service sede] (did you mean 'timeout_ms'?)"
	[[ ! -e state ]] || fail 'an invalid configuration created the state directory'
	ii status
	assert_rc 78
}

test_options_after_command() {
	# global options may follow the command too
	conf_new
	conf_services 1
	run check -c "$CONF" --json
	assert_rc 0
	assert_json j.status OK
}

test_stdout_full() {
	conf_new
	conf_services 1
	local command
	for command in config status help; do
		RUN_STDOUT=/dev/full ii "$command"
		assert_rc 74
		err_has 'incluinfo: error: '
	done
}
