#!/usr/bin/env bash
# mkcerts.sh DIR: the test certificates, made with the openssl command-line tool (EC P-256):
#   ca.pem, ca.key                 a test certificate authority
#   good.pem, good.key             127.0.0.1 and localhost, signed by the CA, 365 days
#   expiring.pem, expiring.key     the same, expiring in 3 days
#   wronghost.pem, wronghost.key   signed by the CA for another name (example.org)
#   selfsigned.pem, selfsigned.key 127.0.0.1 and localhost, self-signed: fails verification
# Idempotent: a file already there is kept, unless the expiring certificate has fewer than
# two days left or the CA changed (then the certificates it signed are made again).
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 DIR" >&2
	exit 64
fi
dir=$1
mkdir -p "$dir"
cd "$dir"

san='subjectAltName=IP:127.0.0.1,DNS:localhost'

new_key() { # new_key FILE
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
	chmod 600 "$1"
}

# issue NAME DAYS SAN: NAME.pem (and NAME.key), signed by the test CA
issue() {
	local name=$1 days=$2 alt=$3 ext
	new_key "$name.key"
	ext=$(mktemp)
	printf '%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
		"$alt" >"$ext"
	openssl req -new -key "$name.key" -subj "/O=incluinfo tests/CN=$name" 2>/dev/null |
		openssl x509 -req -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
			-days "$days" -extfile "$ext" -out "$name.pem.tmp" 2>/dev/null
	rm -f "$ext"
	mv "$name.pem.tmp" "$name.pem"
}

# fresh NAME SECONDS: NAME.pem and NAME.key exist and NAME.pem is valid SECONDS more
fresh() {
	[[ -s $1.pem && -s $1.key ]] && openssl x509 -in "$1.pem" -noout -checkend "$2" >/dev/null 2>&1
}

ca_changed=false
if ! fresh ca 86400; then
	new_key ca.key
	openssl req -x509 -new -key ca.key -subj '/O=incluinfo tests/CN=incluinfo test CA' -days 3650 \
		-addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' \
		-out ca.pem.tmp 2>/dev/null
	mv ca.pem.tmp ca.pem
	ca_changed=true
fi

# NAME DAYS SAN SECONDS_LEFT_NEEDED
while read -r name days alt left; do
	if $ca_changed || ! fresh "$name" "$left"; then
		issue "$name" "$days" "$alt"
	fi
done <<END
good 365 $san 86400
expiring 3 $san 172800
wronghost 365 subjectAltName=DNS:example.org 86400
END

if ! fresh selfsigned 86400; then
	new_key selfsigned.key
	openssl req -x509 -new -key selfsigned.key -subj '/O=incluinfo tests/CN=127.0.0.1' -days 365 \
		-addext "$san" -addext 'basicConstraints=critical,CA:FALSE' -out selfsigned.pem.tmp 2>/dev/null
	mv selfsigned.pem.tmp selfsigned.pem
fi
