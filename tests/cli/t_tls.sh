# HTTPS: verification is always on; ca_file adds the test CA; certificates about to
# expire are degraded. The listeners and certificates come from tests/fakes/mkcerts.sh.

# tls_check LISTENER [KEY=VALUE...]: one service "sede" on that HTTPS listener, --json check
tls_check() {
	local listener=$1
	shift
	conf_new
	conf_service sede "$(tls_url "$listener" status/200)" "$@"
	ii --json check
}

# the reason of a certificate that fails verification names TLS, SSL or the certificate
assert_tls_reason() {
	assert_match "$(json 'j.services[0].reason')" '[Tt][Ll][Ss]|SSL|[Cc]ertificate' reason
}

test_tls_good_with_ca_file() {
	# ca_file is relative to the configuration's folder, not to the working directory
	CONF=$T/etc/incluinfo.conf
	mkdir -p etc
	cp "$CERTS/ca.pem" etc/test-ca.pem
	tls_check good ca_file=test-ca.pem
	assert_rc 0
	svc_is 0 result up reason 'HTTP 200' http_status 200
}

test_tls_localhost_name() {
	conf_new
	conf_service sede "https://localhost:$PORT_GOOD/status/200" "ca_file=$CERTS/ca.pem"
	ii --json check
	assert_rc 0
	svc_is 0 result up
}

test_tls_good_without_ca_file() {
	# the test CA is not among the system's CAs
	tls_check good
	svc_is 0 result down http_status null
	assert_tls_reason
}

test_tls_expiring() {
	tls_check expiring "ca_file=$CERTS/ca.pem" cert_warn_days=14
	assert_rc 1
	svc_is 0 result degraded state degraded
	# made "-days 3" moments ago: 3 days, or 2 if rounded down
	assert_match "$(json 'j.services[0].reason')" '^certificate expires in [23] days$' reason
}

test_tls_expiring_outside_warning() {
	tls_check expiring "ca_file=$CERTS/ca.pem" cert_warn_days=2
	assert_rc 0
	svc_is 0 result up
	tls_check expiring "ca_file=$CERTS/ca.pem" cert_warn_days=0
	assert_rc 0
	svc_is 0 result up
}

test_tls_self_signed_with_ca_file() {
	tls_check selfsigned "ca_file=$CERTS/ca.pem"
	svc_is 0 result down http_status null
	assert_tls_reason
}

test_tls_self_signed_without_ca_file() {
	tls_check selfsigned
	svc_is 0 result down http_status null
	assert_tls_reason
}

test_tls_wrong_host() {
	# signed by the test CA, but for example.org
	tls_check wronghost "ca_file=$CERTS/ca.pem"
	svc_is 0 result down http_status null
	assert_tls_reason
}
