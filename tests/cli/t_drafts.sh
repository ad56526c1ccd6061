# Drafts, approval and the audit trail, through the commands. Drafts come from manual
# incidents here (with [policy] incidents = review), which need no notice file.

# new_draft MESSAGE: opens a manual incident whose first draft waits for approval; sets ID
new_draft() {
	ii incident open --scope 'Oficinas de Madrid' --message "$1" --by Ana
	assert_rc 0
	ID=$(db "SELECT uuid FROM draft ORDER BY created_at DESC, rowid DESC LIMIT 1")
}

setup_review() {
	conf_new
	conf_service sede "$(web status/200)"
	conf_raw '[policy]' 'incidents = review'
}

test_no_database_yet_means_no_drafts() {
	setup_review
	ii drafts
	assert_rc 0
	assert_eq 'no drafts' "$OUT"
	ii --json drafts
	assert_eq '[]' "$OUT"
	ii show 0123456789
	assert_rc 65
	assert_contains "$ERR" "no draft '0123456789'"
}

test_extra_arguments_are_refused_by_name() {
	setup_review
	for cmd in drafts config status; do
		ii "$cmd" extra
		assert_rc 64
		assert_contains "$ERR" "incluinfo: error: unexpected argument 'extra' for '$cmd'"
		assert_contains "$ERR" "usage: incluinfo $cmd"
	done
	ii drafts --all extra
	assert_rc 64
	assert_contains "$ERR" "unexpected argument 'extra' for 'drafts'"
	ii log 0123456789
	assert_rc 65
	assert_contains "$ERR" "no draft '0123456789'"
}

test_approve_by_prefix_then_listed_as_approved() {
	setup_review
	new_draft 'Cerrada por obras.'
	ii drafts
	assert_match "$OUT" "${ID:0:8}  incidencia +pending +now +Oficinas de Madrid: incidencia"
	ii approve "${ID:0:6}" --by Luis
	assert_rc 0
	assert_eq "approved ${ID:0:8} \"Oficinas de Madrid: incidencia\"" "$OUT"
	ii --json drafts
	assert_json 'j[0].id' "$ID" 'j[0].status' approved 'j[0].kind' incidencia 'j[0].due' null
	ii --json log "$ID"
	assert_json 'j.map(x => x.action).join()' 'created,approved' 'j[1].name' Luis \
		'j[1].os_user' "$(id -un)"
	# approving twice is refused, and changes nothing
	ii approve "$ID" --by Luis
	assert_rc 65
	assert_contains "$ERR" "is approved, not pending"
}

test_reject_with_reason() {
	setup_review
	new_draft 'Cerrada por obras.'
	ii reject "$ID" --by Luis --reason 'El texto no dice hasta cuándo'
	assert_rc 0
	ii drafts
	assert_eq 'no drafts' "$OUT" 'drafts in play after the rejection'
	ii --json drafts --all
	assert_json 'j[0].status' rejected
	ii log "$ID"
	assert_contains "$OUT" 'rejected'
	assert_contains "$OUT" 'Luis'
	assert_contains "$OUT" 'El texto no dice hasta cuándo'
}

test_show_prints_the_posts_with_lengths() {
	setup_review
	new_draft 'La oficina de la calle Mayor cierra hoy.'
	ii show "${ID:0:8}"
	assert_rc 0
	assert_contains "$OUT" "id:      $ID"
	assert_contains "$OUT" 'status:  pending'
	assert_contains "$OUT" '[1/1] 80/280'
	assert_contains "$OUT" 'ℹ️ Oficinas de Madrid: La oficina de la calle Mayor cierra hoy. #SeguridadSocial'
	ii --json show "$ID"
	assert_json 'j.posts.length' 1 'j.posts[0].weighted_length' 80 'j.posts[0].state' pending
}

test_ids_and_names_are_checked() {
	setup_review
	new_draft 'Cerrada.'
	ii approve abc --by Luis
	assert_rc 65
	assert_contains "$ERR" "draft id 'abc' is too short"
	ii approve "$ID"
	assert_rc 64
	assert_contains "$ERR" 'say who approves it with --by NAME'
	ii approve "$ID" --by incluinfo
	assert_rc 64
	assert_contains "$ERR" "the name 'incluinfo' is reserved"
	ii approve "$ID" other --by Luis
	assert_rc 64
}
