# kill -9 trials: run, publish, notices and feeds killed at a random moment, as a power cut
# or the OOM killer would. After each kill the database passes integrity_check; after the
# next run every post is on the fake X exactly once, as the journal says, and no temporary
# file is left in feeds_dir. Then the runner's own cleanup.
#
# The delays are random (TRIALS_SEED, default the test's pid, is in every failure); control
# requests go through curl and the checks through sqlite3, since a node start per trial
# would cost more than the trial.

# x_fault JSON: queues faults on the fake X API
x_fault() {
	curl -sf -o /dev/null -H 'content-type: application/json' -d "$1" "$X_URL/_fault" ||
		fail "POST /_fault on the fake X API failed"
}

# note N [PARAGRAPHS]: notice nN.md of PARAGRAPHS (default 1) paragraphs, a thread of that
# many posts found in no other notice
note() {
	local i paragraphs=()
	for ((i = 1; i <= ${2:-1}; i++)); do
		paragraphs+=("Parte $i del aviso número $1: la sede electrónica cambia el trámite $i.")
	done
	notice_paragraphs "n$1.md" "Aviso número $1" "${paragraphs[@]}"
}

# assert_posted WHAT N: the fake holds N live posts, all different texts, exactly the ones
# the journal says are sent, and no approved draft waits
assert_posted() {
	curl -sf -o "$T/.posts.json" "$X_URL/_posts" || fail 'GET /_posts on the fake X API failed'
	local got
	got=$(sqlite3 -readonly "$T/$DB_FILE" "
		WITH x AS (SELECT json_extract(value, '\$.id') AS id, json_extract(value, '\$.sent_text') AS text
			FROM json_each(readfile('$T/.posts.json'), '\$.posts')
			WHERE NOT coalesce(json_extract(value, '\$.deleted'), 0)),
		j AS (SELECT remote_ref FROM publication WHERE channel = 'x' AND state = 'sent')
		SELECT (SELECT count(*) FROM x) || ' on X, ' || (SELECT count(DISTINCT text) FROM x) ||
			' different, ' || (SELECT count(*) FROM j) || ' sent, ' ||
			(SELECT count(*) FROM j WHERE remote_ref NOT IN (SELECT id FROM x)) || ' sent but not on X, ' ||
			(SELECT count(*) FROM draft WHERE status = 'approved') || ' waiting'" 2>&1)
	assert_eq "$2 on X, $2 different, $2 sent, 0 sent but not on X, 0 waiting" "$got" "$1: posts"
}

# trials COMMAND N MAX_MS PREPARE: N trials, each of which calls the function PREPARE
# (which adds to $expected the posts the trial makes due), kill -9s COMMAND at a random
# moment within MAX_MS of its start (or within the time one unkilled run takes, if shorter), checks the database, runs `run` as cron would (again
# while anything waits, 3 times at most) and checks the posts and feeds_dir. At least a
# third of the kills must find COMMAND still running, or the trials tried nothing.
trials() {
	local command=$1 n=$2 max_ms=$3 prepare=$4 seed=${TRIALS_SEED:-$$} trial killed=0 check runs file
	local -A left=() # temporary file -> the trial after which it was found first
	RANDOM=$seed
	# the kills fall within the time one whole run of the command takes here and now (a
	# ratio to the normal case, not a fixed figure that a faster or busier machine misses)
	"$prepare" 0
	local start=$EPOCHREALTIME
	ii "$command"
	local took=$(((${EPOCHREALTIME/./} - ${start/./}) / 1000))
	((took < max_ms)) && max_ms=$((took > 2 ? took : 2))
	for ((trial = 1; trial <= n; trial++)); do
		local what="$command trial $trial (TRIALS_SEED=$seed)"
		"$prepare" "$trial"
		kill_after $((RANDOM % max_ms)) "$command"
		((RC == 137)) && killed=$((killed + 1))
		check=$(sqlite3 -readonly "$T/$DB_FILE" 'PRAGMA integrity_check' 2>&1)
		assert_eq ok "$check" "$what: integrity_check after the kill"
		ii run
		# a post made whose answer was lost is found by the run after
		for ((runs = 1; runs < 3; runs++)); do
			[[ $(db "SELECT count(*) FROM draft WHERE status = 'approved'") == 0 ]] && break
			ii run
		done
		assert_posted "$what" "$expected"
		# checked after the loop, so that every trial's other checks run
		while read -r file; do
			[[ -z $file || -v 'left[$file]' ]] || left[$file]="trial $trial: $file"
		done < <(find "$T/feeds" -mindepth 1 -name '.*' -printf '%P\n')
	done
	echo "$command: $n trials, $killed kills found it running"
	((killed * 3 >= n)) || fail "only $killed of $n kills found $command running: nothing was tried"
	((${#left[@]} == 0)) || fail "$command (TRIALS_SEED=$seed): temporary files in feeds_dir after the next run: $(printf '\n%s' "${left[@]}")"
}

# The world of the trials: the fake X answering every request 5-15 ms late, 20 notices
# published and an incident opened and resolved (feeds of some size, CAP messages).
setup_trials() {
	setup_publish
	conf_service caida "$(seq_url caida 503,200)" failures_to_open=1 successes_to_resolve=1
	local i now
	for ((i = 1001; i <= 1020; i++)); do
		note "$i"
	done
	now=$(date +%s)
	INCLUINFO_NOW=$((now - 120)) ii run
	INCLUINFO_NOW=$((now - 60)) ii run
	assert_rc 0
	expected=$(db "SELECT count(*) FROM publication WHERE state = 'sent'")
	assert_posted 'the world of the trials' "$expected"
	((expected == 22)) || fail "expected 22 posts before the trials (20 notices, alert, resolution), got $expected"
}

slow_x() { # slow_x: every request to the fake X answers 5-15 ms late, for a while
	x_fault "{\"kind\":\"delay\",\"ms\":$((5 + RANDOM % 10)),\"count\":30}"
}

prepare_run() { # a new notice of 1 or 2 posts, and a slow X
	local posts=$((1 + $1 % 2))
	note "$1" "$posts"
	expected=$((expected + posts))
	slow_x
}

test_trials_kill_run() {
	local expected
	setup_trials
	trials run 60 100 prepare_run
}

prepare_publish() { # a thread of 2 or 3 posts approved, a slow X; one trial in three a post is made and its answer lost
	local posts=$((2 + $1 % 2))
	note "$1" "$posts"
	ii notices
	expected=$((expected + posts))
	slow_x
	(($1 % 3)) || x_fault '{"kind":"drop","match":"POST /2/tweets","count":1}'
}

test_trials_kill_publish() {
	local expected
	setup_trials
	trials publish 40 80 prepare_publish
}

prepare_notices() { # three new notices of one post each
	local i
	for ((i = 0; i < 3; i++)); do
		note "$(($1 * 10 + i))"
	done
	expected=$((expected + 3))
}

test_trials_kill_notices() {
	local expected
	setup_trials
	trials notices 50 40 prepare_notices
}

prepare_feeds() { # nothing new: the feeds of what is there are written again
	:
}

test_trials_kill_feeds() {
	local expected
	setup_trials
	trials feeds 50 30 prepare_feeds
}

# The runner kills whatever a test started, even in a session of its own: the first test
# leaves such a process behind, the second (run after it, in name order) finds it gone.
test_zz_cleanup_1_leaves_a_process_in_a_session_of_its_own() {
	setsid sleep 3017 &
	echo "$!" >"$T/../cleanup.pid"
}

test_zz_cleanup_2_finds_it_gone() {
	[[ -s $T/../cleanup.pid ]] || fail 'no pid from test_zz_cleanup_1 (run the two together)'
	local pid
	pid=$(<"$T/../cleanup.pid")
	rm "$T/../cleanup.pid"
	if [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == 'sleep 3017 ' ]]; then
		kill -9 "$pid"
		fail "pid $pid, started by the test before, outlived it"
	fi
}
