#!/usr/bin/env bash
# Installs what incluinfo needs to build and run its tests (with --bench, its benchmarks
# too): Debian packages through apt-get when run as root, and the test-only npm packages
# of tests/ from the committed lockfile. Installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
	gcc make pkg-config ca-certificates tzdata
	libcurl4-openssl-dev libxml2-dev libcjson-dev uuid-dev libssl-dev
	libutf8proc-dev libyaml-dev libsqlite3-dev libcmark-dev libmicrohttpd-dev
	libcmocka-dev openssl sqlite3 libxml2-utils clang libclang-rt-dev gettext locales
	python3-aiosmtpd
	chromium # the review console's browser test (tests/cli/console.js)
)
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
# check_curl links libraries that Debian lists only as Recommends of its package, which
# --no-install-recommends leaves out: without them it cannot start (`ldd check_curl`).
[[ "${1:-}" == --bench ]] && packages+=(monitoring-plugins-standard liburiparser1 libcurl4)

missing=()
for pkg in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$pkg")
done
if ((${#missing[@]})); then
	if [[ $(id -u) -ne 0 ]]; then
		echo "incluinfo: error: missing packages; as root, run:" >&2
		echo "  apt-get install --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	echo "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Spanish messages are tested under es_ES.UTF-8, which a fresh Debian does not generate.
if ! locale -a 2>/dev/null | grep -qixE 'es_ES\.utf-?8'; then
	if [[ $(id -u) -eq 0 ]]; then
		grep -qx 'es_ES.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null ||
			echo 'es_ES.UTF-8 UTF-8' >>/etc/locale.gen
		locale-gen >/dev/null
	else
		echo "incluinfo: warning: locale es_ES.UTF-8 missing: the Spanish tests are skipped; as root, run tests/deps.sh" >&2
	fi
fi

# npm ci reinstalls from the lockfile; skip it when node_modules already matches it.
if ! cmp -s tests/package-lock.json tests/node_modules/.incluinfo-lock 2>/dev/null; then
	(cd tests && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
	cp tests/package-lock.json tests/node_modules/.incluinfo-lock
fi
