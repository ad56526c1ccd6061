# Redirects keep the configured URL's rules: no downgrade to plain http, no private,
# link-local or loopback target the configured URL did not reach, no configured header
# to another origin.

# redirect_to TARGET: a URL of the fake server that redirects to TARGET
redirect_to() {
	local enc
	enc=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1")
	echo "redirect-to?url=$enc"
}

test_redirect_from_https_to_plain_http_refused() {
	conf_new
	conf_service sede "$(tls_url good "$(redirect_to http://sede.example.invalid/)")" \
		"ca_file=$CERTS/ca.pem"
	ii --json check
	svc_is 0 result down reason "redirect refused: from https://127.0.0.1:$PORT_GOOD to plain http"
	# between loopback hosts plain http stays allowed (the tests' own servers)
	conf_new
	conf_service sede "$(tls_url good "$(redirect_to "$(web status/200)")")" "ca_file=$CERTS/ca.pem"
	ii --json check
	svc_is 0 result up
}

test_redirect_to_link_local_or_private_refused() {
	local target
	for target in https://169.254.169.254/latest/meta-data/ https://10.1.2.3/ https://192.168.0.1/ \
		"https://[::ffff:192.168.0.1]/" "https://[::ffff:169.254.169.254]/"; do
		conf_new
		conf_service sede "$(web "$(redirect_to "$target")")" timeout_ms=5000
		ii --json check
		svc_is 0 result down
		assert_match "$(json 'j.services[0].reason')" '^redirect refused: [0-9a-f.:]+ is a private, link-local or loopback address$' "$target"
	done
}

test_configured_headers_stay_on_the_configured_origin() {
	# the same server under another name: another origin, and the secret stays home
	conf_new
	conf_service sede "$(web "$(redirect_to "http://localhost:$PORT_HTTP/echo")")" \
		'header=X-Api-Key: HDR-S3CRET' reject_text=HDR-S3CRET expect_text=GET
	ii --json check
	svc_is 0 result up
	# on the configured origin it is sent
	conf_new
	conf_service sede "$(web "$(redirect_to "$(web echo)")")" \
		'header=X-Api-Key: HDR-S3CRET' expect_text='x-api-key: HDR-S3CRET'
	ii --json check
	svc_is 0 result up
}
