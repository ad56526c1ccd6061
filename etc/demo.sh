#!/usr/bin/env bash
# `make demo`: runs `incluinfo run` on etc/demo.conf once a "minute" (two seconds here)
# against simulated endpoints that fail and recover and a fake X API, and shows what was
# published: the outage's alert and resolution as one thread, and the example notices
# of notices/ (a bulo rebuttal among them), with each post's id on X, on a fake
# Mastodon instance and on a fake Bluesky PDS; then the alerts to staff
# that a local mail sink received, and the feeds.
set -uo pipefail
cd "$(dirname "$0")/.."

bin=build/incluinfo
conf=etc/demo.conf
runs=9
state=var/demo
workdir=$(mktemp -d)
rm -rf "$state"
mkdir -p "$(dirname "$state")" && mkdir -m 700 "$state"
# made-up keys that only the fake API knows
printf '%s\n' consumer_key=demo-consumer consumer_secret=demo-consumer-secret \
	access_token=1512345678901234567-demo access_token_secret=demo-token-secret >"$state/x.cred"
chmod 600 "$state/x.cred"
printf 'access_token=demo-mastodon-token\n' >"$state/mastodon.cred"
chmod 600 "$state/mastodon.cred"
printf 'identifier=seguridadsocial.bsky.social\napp_password=demo-bsky-app-password\n' >"$state/bluesky.cred"
chmod 600 "$state/bluesky.cred"
printf '%s\n' username=demo password=demo-mail-password >"$state/smtp.cred"
chmod 600 "$state/smtp.cred"
# the mail sink speaks STARTTLS with a certificate of a made-up CA, as a real relay would
if ! tests/fakes/mkcerts.sh "$state/certs" >/dev/null; then
	echo "incluinfo demo: error: tests/fakes/mkcerts.sh could not make the mail sink's certificate" >&2
	exit 1
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$workdir"' EXIT
node tests/fakes/web.js --http-port 47801 --port-file "$workdir/web" &
pids+=($!)
node tests/fakes/xapi.js --http-port 47802 --port-file "$workdir/x" --cred "$state/x.cred" &
pids+=($!)
node tests/fakes/mastodon.js --http-port 47804 --port-file "$workdir/m" --token demo-mastodon-token &
pids+=($!)
node tests/fakes/bsky.js --http-port 47805 --port-file "$workdir/b" --identifier seguridadsocial.bsky.social \
	--password demo-bsky-app-password &
pids+=($!)
/usr/bin/python3 tests/fakes/smtp.py --port 47803 --port-file "$workdir/smtp" --dir "$state/mail" \
	--cert "$state/certs/good.pem" --key "$state/certs/good.key" --user demo \
	--password demo-mail-password >"$workdir/smtp.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
	[[ -s $workdir/web && -s $workdir/x && -s $workdir/m && -s $workdir/b && -s $workdir/smtp ]] && break
	sleep 0.1
done
if [[ ! -s $workdir/web || ! -s $workdir/x || ! -s $workdir/m || ! -s $workdir/b || ! -s $workdir/smtp ]]; then
	echo "incluinfo demo: error: the simulated endpoints, the fake X API, the fake Mastodon, the fake Bluesky PDS or the mail sink did not start on 127.0.0.1:47801-47805" >&2
	exit 1
fi

# new_posts: the posts each fake accepted since the last call, one line each with its id
# on that channel
echo '{"x":0,"mastodon":0,"bluesky":0}' >"$workdir/seen"
new_posts() {
	node -e '
		const fs = require("fs");
		const file = process.argv[1];
		const seen = JSON.parse(fs.readFileSync(file, "utf8"));
		const get = (port) => new Promise((done) => require("http").get(`http://127.0.0.1:${port}/_posts`, (res) => {
			let body = "";
			res.on("data", (d) => (body += d));
			res.on("end", () => done(JSON.parse(body).posts));
		}));
		(async () => {
			for (const [channel, name, port] of [["x", "X", 47802], ["mastodon", "Mastodon", 47804], ["bluesky", "Bluesky", 47805]]) {
				const posts = await get(port);
				for (const p of posts.slice(seen[channel])) {
					const id = p.id || p.rkey, to = p.reply_to && p.reply_to.split("/").pop();
					console.log(`    -> ${name} ${id}${to ? ` (reply to ${to})` : ""}: ${p.text}`);
				}
				seen[channel] = posts.length;
			}
			fs.writeFileSync(file, JSON.stringify(seen));
		})();
	' "$workdir/seen"
}

echo "Simulated Seguridad Social endpoints on 127.0.0.1:47801, fake X API on 127.0.0.1:47802,"
echo "fake Mastodon instance on 127.0.0.1:47804, fake Bluesky PDS on 127.0.0.1:47805;"
echo "configuration: $conf. The sede fails for four checks, the portal is slow once, Importass"
echo "shows a maintenance page twice. An incident opens after 3 failed checks and is resolved"
echo "after 2 good ones; the notices in notices/ are approved automatically (policy auto)."
echo

for run in $(seq "$runs"); do
	"$bin" -c "$conf" run
	rc=$?
	line=$("$bin" -c "$conf" status | grep '^sede ' | tr -s ' ')
	printf 'run %d (exit %d): %s\n' "$run" "$rc" "$line"
	new_posts
	((run < runs)) && sleep 2
done

echo
echo "Alerts to staff received by the mail sink on 127.0.0.1:47803 ($state/mail/):"
/usr/bin/python3 - "$state/mail" <<'PY' | sed 's/^/    /'
import email, email.policy, glob, os, sys
paths = sorted(glob.glob(os.path.join(sys.argv[1], "*.eml")))
for path in paths:
    m = email.message_from_binary_file(open(path, "rb"), policy=email.policy.default)
    print("%s  to %s" % (m["Subject"], m["X-Test-Rcpt"]))
if not paths:
    print("(none)")
PY
echo
echo "incluinfo status:"
"$bin" -c "$conf" status | sed 's/^/    /'
echo
echo "incluinfo drafts --all:"
"$bin" -c "$conf" drafts --all | sed 's/^/    /'
echo
"$bin" -c "$conf" feeds | sed 's/^/    /'
echo "The state is in $state/incluinfo.db and the feeds in $state/feeds/; run"
echo "'$bin -c $conf status' or '$bin -c $conf log' to see them again."
console=$("$bin" -c "$conf" config 2>/dev/null | sed -n '/^\[serve\]/,/^\[/s/^public_url = //p')
echo "The review console: '$bin -c $conf serve' serves it at $console once a [person]"
echo "section has a web_login, behind a sign-in proxy that sets X-Remote-User (README, 'The"
echo "review console')."
