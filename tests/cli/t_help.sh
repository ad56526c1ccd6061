# One source for each command's help: `incluinfo help` (each command's summary and its
# usage, defined beside the command's options) against the README's command table and the
# man page's command list, which must name the same commands, in the same order, with the
# same synopsis and summary.

ROOT=$CLI_DIR/../..

# from_help: "SYNOPSIS<TAB>SUMMARY" for each command `incluinfo help` lists. The synopsis
# is the usage line after "incluinfo "; a command with several usage lines is named by
# its subcommands ("incident open|update|resolve|list").
from_help() {
	run help
	assert_rc 0
	local name summary forms
	while read -r name summary; do
		run help "$name"
		assert_rc 0
		forms=$(sed -nE 's/^(usage: |       )incluinfo (.*)$/\2/p' <<<"$OUT")
		[[ -n $forms ]] || fail "'incluinfo help $name' prints no usage line"
		if (($(wc -l <<<"$forms") > 1)); then
			forms="$name $(awk '{print $2}' <<<"$forms" | paste -sd '|')"
		fi
		printf '%s\t%s\n' "$forms" "$summary"
	done < <(sed -n '/^Commands:$/,/^$/{/^  /p}' <<<"$OUT")
}

# from_readme: the same from the README's command table (| `SYNOPSIS` | SUMMARY | lock |)
from_readme() {
	sed -n '/^| command | what it does | lock |$/,/^$/p' "$ROOT/README.md" |
		sed -nE 's/^\| `(.*)` \| (.*) \| [^|]* \|$/\1\t\2/p' | sed 's/\\|/|/g'
}

# from_man: the same from etc/incluinfo.1's COMMANDS: each .TP's .B line without its fonts,
# and the line after it, the summary as a sentence (a capital, a full stop)
from_man() {
	sed -n '/^\.SH COMMANDS$/,/^\.SH OPTIONS$/p' "$ROOT/etc/incluinfo.1" |
		awk '/^\.TP$/ { getline syn; getline sum; sub(/^\.B /, "", syn); print syn "\t" sum }' |
		sed -E 's/\\f[BIRP]//g; s/\\-/-/g'
}

test_readme_command_table_matches_help() {
	local want got
	want=$(from_help)
	assert_eq 19 "$(wc -l <<<"$want")" 'commands in help'
	got=$(from_readme)
	[[ $got == "$want" ]] || fail "README's command table differs from 'incluinfo help':
$(diff <(echo "$want") <(echo "$got"))"
}

test_man_page_command_list_matches_help() {
	local want got
	want=$(from_help | sed -E 's/\t(.)(.*)$/\t\u\1\2./')
	got=$(from_man)
	[[ $got == "$want" ]] || fail "etc/incluinfo.1's COMMANDS differ from 'incluinfo help':
$(diff <(echo "$want") <(echo "$got"))"
}
