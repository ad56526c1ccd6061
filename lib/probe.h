#ifndef INCLUINFO_PROBE_H
#define INCLUINFO_PROBE_H

/*
 * HTTP(S) probes, run at the same time with libcurl's multi interface: all of them, or as
 * many as the open-file limit allows, the others waiting for a free slot (probe_run()
 * raises the process's soft RLIMIT_NOFILE towards the hard one first). The caller
 * owns the request array and the strings it points to; probe_run() fills the caller's
 * result array, whose bodies the caller releases with probe_result_free().
 * TLS verification is always on: a request can only add a CA file.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "error.h"

/* At most this much of a body is read, counted after decoding: the rest is never
 * downloaded, so a compressed bomb stops here rather than expanding without bound. */
#define PROBE_BODY_CAP (2u * 1024 * 1024)

struct probe_request {
	const char *url;
	bool head;
	const char *const *headers; /* "Name: value" */
	size_t header_count;
	long timeout_ms;
	long max_redirects;
	long retries; /* extra attempts after a transient network error */
	const char *ca_file; /* NULL: the system's CA certificates */
};

enum probe_failure {
	PROBE_OK,        /* an HTTP response arrived (whatever its status) */
	PROBE_TIMEOUT,
	PROBE_DNS,
	PROBE_CONNECT,   /* refused, unreachable, reset */
	PROBE_TLS,       /* handshake or certificate verification */
	PROBE_REDIRECTS, /* more redirects than allowed, or one refused (error says which) */
	PROBE_PROTOCOL,  /* anything else: bad response, read error */
};

/*
 * What a failure says about where it happened: a probe cannot tell this host's fault from
 * the service's, but when every service fails with the same one of these, the host is
 * the likelier culprit (monitor_probe() decides).
 */
enum probe_local {
	PROBE_LOCAL_NONE,  /* nothing points at this host */
	PROBE_LOCAL_TRUST, /* the chain leads to no CA this host trusts, or the CA file is unreadable */
	PROBE_LOCAL_DNS,   /* the name did not resolve */
	PROBE_LOCAL_PROXY, /* the proxy did not resolve or refused the tunnel */
	PROBE_LOCAL_ROUTE, /* no route: network or host unreachable */
};

struct probe_result {
	enum probe_failure failure;
	enum probe_local local; /* PROBE_LOCAL_NONE when failure is PROBE_OK */
	char error[256];    /* libcurl's explanation when failure != PROBE_OK, controls replaced */
	long http_status;   /* 0 without a response */
	long time_ms;       /* of the last attempt */
	int attempts;
	char *body;         /* NUL-terminated, decoded (gzip, br, ...), at most PROBE_BODY_CAP bytes */
	size_t body_len;
	bool body_truncated;
	time_t cert_expiry; /* the server certificate's notAfter; 0 when not HTTPS or unknown */
};

/* Probes every request concurrently and fills results[i] for requests[i]. Fails only
 * when the probing itself cannot run (memory, libcurl); a failed probe is a result. */
ii_err probe_run(const struct probe_request *requests, size_t count,
		 struct probe_result *results, struct ii_error *e);

void probe_result_free(struct probe_result *result);

const char *probe_failure_name(enum probe_failure failure);
/* "the local trust store", "DNS resolution", ...: words for a sentence; "" for NONE. */
const char *probe_local_name(enum probe_local local);

#endif
