# The configuration file: the invalid corpus in config-invalid/, and valid files.
#
# Each config-invalid/*.conf holds one problem (several-errors*.conf hold several) and
# starts with comment lines that say what to expect:
#   # command: check        (optional; default: config)
#   # exit: 78              the exit status
#   # expect: :LINE: error: MESSAGE
#                           a line stderr must hold, after the path given to -c; one per
#                           problem, and stderr must report no other
# Every file becomes a test of its own, test_invalid_NAME.

# check_invalid_config FILE: runs the file's command on a copy of it in the test's folder
# (so that nothing can be created next to the corpus) and checks what its header says
check_invalid_config() {
	local file=$T/${1##*/} command=config status='' expected=() line
	cp "$1" "$file"
	while IFS= read -r line; do
		case $line in
		'# command: '*) command=${line#'# command: '} ;;
		'# exit: '*) status=${line#'# exit: '} ;;
		'# expect: '*) expected+=("$file${line#'# expect: '}") ;;
		'#'*) ;;
		*) break ;;
		esac
	done <"$file"
	[[ -n $status && ${#expected[@]} -gt 0 ]] || fail "${1##*/}: no '# exit:' or '# expect:' line"

	run -c "$file" "$command"
	assert_rc "$status"
	for line in "${expected[@]}"; do
		grep -qxF -- "$line" <<<"$ERR" || fail "stderr lacks the line: $line"
	done
	assert_eq "${#expected[@]}" "$(grep -c ': error: ' <<<"$ERR")" 'errors reported'
	[[ $command != check ]] || first_line_is '^INCLUINFO UNKNOWN'
	local left=("$T"/*)
	assert_eq "$file" "${left[*]}" 'files in the folder afterwards'
}

for corpus_file in "$CLI_DIR"/config-invalid/*.conf; do
	corpus_name=${corpus_file##*/}
	corpus_name=${corpus_name%.conf}
	eval "test_invalid_${corpus_name//[^a-zA-Z0-9_]/_}() { check_invalid_config '$corpus_file'; }"
done
unset corpus_file corpus_name

test_invalid_corpus_is_large_enough() {
	local count
	count=$(find "$CLI_DIR/config-invalid" -name '*.conf' | wc -l)
	((count >= 24)) || fail "only $count files in config-invalid/"
}

# has_setting KEY VALUE: `config` printed "KEY = VALUE" on a line of its own
has_setting() {
	grep -qxE -- "$1 *= *$2" <<<"$OUT" || fail "config output lacks '$1 = $2'"
}

test_config_effective_values() {
	conf_new history_days=30
	conf_service sede 'https://sede.seg-social.gob.es/' 'timeout_ms=5000 ; an inline comment'
	conf_raw '# a comment' '; another comment'
	ii config
	assert_rc 0
	# given values, with the inline comment gone
	has_setting history_days 30
	has_setting timeout_ms 5000
	has_setting url 'https://sede\.seg-social\.gob\.es/'
	# defaults
	has_setting timezone Europe/Madrid
	has_setting name sede
	has_setting method GET
	has_setting expect_status 200-299
	has_setting degraded_ms 3000
	has_setting follow_redirects 5
	has_setting cert_warn_days 14
	has_setting retries 1
	has_setting failures_to_open 3
	has_setting successes_to_resolve 2
	has_setting incidents auto
	has_setting notices review
	has_setting api_url 'https://api\.x\.com/?'
	ii --json config
	assert_rc 0
	assert_js 'JSON.stringify(j).includes("\"timeout_ms\":5000")'
}

test_config_masks_secrets() {
	conf_new
	conf_service sede "http://monitor:PASSWORD456@127.0.0.1:$PORT_HTTP/status/200" \
		'header=Authorization: Bearer SECRET123' 'header=X-Api-Key: KEY789'
	local outputs='' args
	for args in config '--json config' '-v check' '--json check' status '--json status'; do
		# shellcheck disable=SC2086 # args holds several words on purpose
		ii $args
		[[ $RC == 0 ]] || fail "exit status $RC"
		outputs+="$OUT$ERR"
	done
	ii config
	out_has Authorization
	outputs+=$(sqlite3 -readonly "$DB_FILE" .dump)
	local secret
	for secret in SECRET123 KEY789 PASSWORD456; do
		assert_not_contains "$outputs" "$secret" 'the outputs and the database'
	done
}

test_config_long_line_and_comments() {
	# 8192 characters is the longest line allowed
	local long
	long="expect_text = $(printf 'x%.0s' {1..8178})"
	assert_eq 8192 "${#long}" 'length of the long line'
	conf_new
	conf_raw '# comment' '; comment' '' '[service sede]' 'url = https://sede.seg-social.gob.es/' \
		"$long" 'name = Sede Electrónica de la Seguridad Social ; comment'
	ii config
	assert_rc 0
	has_setting name 'Sede Electrónica de la Seguridad Social'
}

# issue 13 case 12: the portal's 330-character URLs are read and probed whole
test_config_long_portal_url() {
	local path url
	path="wps/portal/sede/!ut/p/z1/$(printf 'a%.0s' {1..290})/"
	url=$(web "status/200?$path")
	conf_new
	conf_service sede "$url" 'name = Sede'
	((${#url} > 300)) || fail "the URL is only ${#url} characters"
	ii config
	assert_rc 0
	assert_contains "$OUT" " = $url"
	ii check
	assert_rc 0
	assert_eq '' "$ERR" stderr
}

test_paths_relative_to_config_folder() {
	CONF=$T/etc/incluinfo.conf
	conf_new state_dir=../state-here
	conf_service sede "$(web status/200)"
	mkdir cwd
	cd cwd || fail 'cd'
	run -c ../etc/incluinfo.conf check
	assert_rc 0
	[[ -f $T/state-here/incluinfo.db ]] || fail 'no database in state-here next to etc/'
	[[ -z $(ls -A "$T/cwd") ]] || fail 'check created files in the working directory'
}

test_default_state_dir_is_var() {
	conf_raw '[service sede]' "url = $(web status/200)"
	ii check
	assert_rc 0
	[[ -f var/incluinfo.db ]] || fail 'no var/incluinfo.db next to the configuration'
}

test_timezone_of_times_shown() {
	# a zone without summer time, so that the offset is known whatever the date
	conf_new timezone=Asia/Kolkata
	conf_service sede "$(web status/200)"
	ii check
	ii --json status
	assert_rc 0
	assert_match "$(json 'j.services[0].last_check')" '\+05:30$' last_check
}
