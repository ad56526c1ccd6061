# The fakes themselves (tests/fakes/): what the other tests rely on.

# get PATH...: "STATUS BYTES" for each PATH, fetched in turn from the fake server
get() {
	node -e '
		const http = require("http");
		const [port, ...paths] = process.argv.slice(1);
		(async () => {
			for (const path of paths) {
				const line = await new Promise((resolve, reject) => {
					http.get({ host: "127.0.0.1", port, path }, (res) => {
						let bytes = 0, body = "";
						res.on("data", (d) => { bytes += d.length; if (body.length < 4096) body += d; });
						res.on("end", () => resolve(`${res.statusCode} ${bytes}${body.includes("mantenimiento") ? " maint" : ""}`));
					}).on("error", reject);
				});
				console.log(line);
			}
		})().catch((e) => { console.log(e.code || e.message); process.exit(1); });
	' "$PORT_HTTP" "$@"
}

test_fake_seq_steps() {
	local url="/seq/$TEST_NAME?steps=200,503,d10:201,maint" got
	got=$(get "$url" "$url" "$url" "$url" "$url" | cut -d' ' -f1,3)
	assert_eq "200
503
201
200 maint
200 maint" "$got" 'answers of /seq/'
	get "/seq-reset/$TEST_NAME" >/dev/null
	assert_eq 200 "$(get "$url" | cut -d' ' -f1)" 'first answer after /seq-reset'
}

test_fake_routes() {
	assert_eq '418 11' "$(get /status/418)" /status/418
	assert_eq '404' "$(get /delay/5/404 | cut -d' ' -f1)" /delay/5/404
	assert_eq '302' "$(get /redirect/2 | cut -d' ' -f1)" /redirect/2
	assert_eq "200 $((3 * 1024 * 1024))" "$(get /big/3072)" /big/3072
	assert_eq 'ECONNRESET' "$(get /reset)" /reset
}

test_fake_mkcerts_idempotent() {
	"$CLI_DIR/../fakes/mkcerts.sh" certs || fail 'mkcerts.sh failed'
	local before
	before=$(cat certs/*.pem | cksum)
	"$CLI_DIR/../fakes/mkcerts.sh" certs || fail 'mkcerts.sh failed'
	assert_eq "$before" "$(cat certs/*.pem | cksum)" 'certificates after a second run'
	openssl verify -CAfile certs/ca.pem certs/good.pem certs/expiring.pem >/dev/null ||
		fail 'good.pem and expiring.pem do not verify against ca.pem'
	! openssl verify -CAfile certs/ca.pem certs/selfsigned.pem >/dev/null 2>&1 ||
		fail 'selfsigned.pem verifies against the test CA'
}
