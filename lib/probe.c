#include "i18n.h"
#include "probe.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <openssl/x509_vfy.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config.h"
#include "printable.h"

struct transfer {
	CURL *easy;
	const struct probe_request *request;
	struct probe_result *result;
	struct curl_slist *headers;
	size_t body_cap; /* allocated */
	bool out_of_memory;
	/* redirects, followed here rather than by libcurl so that each target is checked */
	long hops;
	long elapsed_ms;  /* the hops before this one */
	int origin_class; /* address class of the configured URL's connection; -1: none yet */
	char refused[200]; /* why the current hop's target was refused; "" when it was not */
	char errbuf[CURL_ERROR_SIZE];
};

const char *probe_failure_name(enum probe_failure failure)
{
	switch (failure) {
	case PROBE_OK: return "ok";
	case PROBE_TIMEOUT: return "timeout";
	case PROBE_DNS: return "dns";
	case PROBE_CONNECT: return "connect";
	case PROBE_TLS: return "tls";
	case PROBE_REDIRECTS: return "redirects";
	case PROBE_PROTOCOL: return "protocol";
	}
	return "unknown";
}

const char *probe_local_name(enum probe_local local)
{
	switch (local) {
	case PROBE_LOCAL_TRUST: return _("certificate verification against the local trust store");
	case PROBE_LOCAL_DNS: return _("DNS resolution");
	case PROBE_LOCAL_PROXY: return _("the proxy");
	case PROBE_LOCAL_ROUTE: return _("no route to the network");
	case PROBE_LOCAL_NONE: break;
	}
	return "";
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct transfer *t = user;
	struct probe_result *r = t->result;
	size_t len = size * nmemb;
	size_t room = PROBE_BODY_CAP - r->body_len;
	size_t take = len < room ? len : room;

	if (r->body_len + take + 1 > t->body_cap) {
		size_t cap = t->body_cap ? t->body_cap : 16384;
		while (cap < r->body_len + take + 1)
			cap *= 2;
		if (cap > PROBE_BODY_CAP + 1)
			cap = PROBE_BODY_CAP + 1;
		char *body = realloc(r->body, cap);
		if (!body) {
			t->out_of_memory = true;
			return 0;
		}
		r->body = body;
		t->body_cap = cap;
	}
	memcpy(r->body + r->body_len, data, take);
	r->body_len += take;
	r->body[r->body_len] = '\0';
	if (take < len) {
		/* returning short makes libcurl stop reading: the rest is never downloaded */
		r->body_truncated = true;
		return 0;
	}
	return len;
}

static enum probe_failure classify_error(CURLcode code)
{
	switch (code) {
	case CURLE_OK: return PROBE_OK;
	case CURLE_OPERATION_TIMEDOUT: return PROBE_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY: return PROBE_DNS;
	case CURLE_COULDNT_CONNECT: return PROBE_CONNECT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_CRL_BADFILE: return PROBE_TLS;
	case CURLE_TOO_MANY_REDIRECTS: return PROBE_REDIRECTS;
	default: return PROBE_PROTOCOL;
	}
}

/* Whether a failure may lie with this host. Verification results that mean "no CA of ours
 * signed this chain" count; an expired, self-signed or misnamed certificate is the
 * server's, and a refused connection is the service's (or its proxy's, which the canaries
 * show). */
static enum probe_local locality(CURL *easy, CURLcode code)
{
	long verify = 0, os_errno = 0, connect_code = 0;
	switch (code) {
	case CURLE_OK: return PROBE_LOCAL_NONE;
	case CURLE_SSL_CACERT_BADFILE: return PROBE_LOCAL_TRUST;
	case CURLE_PEER_FAILED_VERIFICATION:
		curl_easy_getinfo(easy, CURLINFO_SSL_VERIFYRESULT, &verify);
		return verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
				       verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
				       verify == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
				       verify == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
			       ? PROBE_LOCAL_TRUST
			       : PROBE_LOCAL_NONE;
	case CURLE_COULDNT_RESOLVE_HOST: return PROBE_LOCAL_DNS;
	case CURLE_COULDNT_RESOLVE_PROXY: return PROBE_LOCAL_PROXY;
	case CURLE_COULDNT_CONNECT:
		curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
		return os_errno == ENETUNREACH || os_errno == EHOSTUNREACH ? PROBE_LOCAL_ROUTE
									    : PROBE_LOCAL_NONE;
	default:
		/* a CONNECT the proxy answered with an error */
		curl_easy_getinfo(easy, CURLINFO_HTTP_CONNECTCODE, &connect_code);
		return connect_code >= 300 ? PROBE_LOCAL_PROXY : PROBE_LOCAL_NONE;
	}
}

/* Network errors worth another attempt in the same run. Timeouts are not: a retry would
 * double the run's length, and the next run (a minute later) is the retry. */
static bool transient(CURLcode code)
{
	return code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_CONNECT ||
	       code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING;
}

/* The leaf certificate's expiry, from libcurl's certificate information. */
static time_t certificate_expiry(CURL *easy)
{
	struct curl_certinfo *info = NULL;
	if (curl_easy_getinfo(easy, CURLINFO_CERTINFO, &info) != CURLE_OK || !info ||
	    info->num_of_certs < 1)
		return 0;
	static const char key[] = "Expire date:";
	for (struct curl_slist *field = info->certinfo[0]; field; field = field->next) {
		if (strncmp(field->data, key, sizeof key - 1))
			continue;
		struct tm tm;
		memset(&tm, 0, sizeof tm);
		/* OpenSSL prints notAfter as "Mar  3 12:00:00 2027 GMT" */
		const char *end = strptime(field->data + sizeof key - 1, "%b %d %H:%M:%S %Y", &tm);
		return end ? timegm(&tm) : 0;
	}
	return 0;
}

/* Address classes a redirect may not reach unless the configured URL itself did. */
enum { ADDR_PUBLIC, ADDR_PRIVATE, ADDR_LINK_LOCAL, ADDR_LOOPBACK, ADDR_UNSPECIFIED };

static int class_v4(uint32_t v)
{
	if (v >> 24 == 127)
		return ADDR_LOOPBACK;
	if (v >> 24 == 0)
		return ADDR_UNSPECIFIED;
	if (v >> 16 == 0xa9fe) /* 169.254/16, where cloud metadata answers */
		return ADDR_LINK_LOCAL;
	if (v >> 24 == 10 || v >> 20 == 0xac1 || v >> 16 == 0xc0a8 || v >> 22 == (100u << 2 | 1))
		return ADDR_PRIVATE; /* 10/8, 172.16/12, 192.168/16, 100.64/10 */
	return ADDR_PUBLIC;
}

/* The address is copied out by memcpy, never read through another struct's type: the
 * optimiser may assume such reads do not alias (an IPv4-mapped IPv6 address read that
 * way was classed public). */
static int address_class(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6) {
		struct sockaddr_in6 a6;
		memcpy(&a6, ss, sizeof a6);
		const struct in6_addr *a = &a6.sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a)) {
			uint32_t v;
			memcpy(&v, &a->s6_addr[12], sizeof v);
			return class_v4(ntohl(v));
		}
		if (IN6_IS_ADDR_LOOPBACK(a))
			return ADDR_LOOPBACK;
		if (IN6_IS_ADDR_UNSPECIFIED(a))
			return ADDR_UNSPECIFIED;
		if (IN6_IS_ADDR_LINKLOCAL(a))
			return ADDR_LINK_LOCAL;
		return (a->s6_addr[0] & 0xfe) == 0xfc ? ADDR_PRIVATE : ADDR_PUBLIC; /* fc00::/7 */
	}
	if (ss->ss_family != AF_INET)
		return ADDR_PUBLIC;
	struct sockaddr_in a4;
	memcpy(&a4, ss, sizeof a4);
	return class_v4(ntohl(a4.sin_addr.s_addr));
}

/* Every connection of a redirect's target goes to a public address or one of the class
 * the configured URL's connection went to; a refused one never opens. */
static curl_socket_t open_socket(void *user, curlsocktype purpose, struct curl_sockaddr *address)
{
	struct transfer *t = user;
	/* curl_sockaddr declares a 16-byte struct sockaddr; an IPv6 address runs past it, so
	 * it is read from a copy of its real length */
	struct sockaddr_storage ss = {0};
	memcpy(&ss, &address->addr, address->addrlen < sizeof ss ? address->addrlen : sizeof ss);
	int class = address_class(&ss);
	if (purpose == CURLSOCKTYPE_IPCXN && t->hops == 0 && t->origin_class < 0)
		t->origin_class = class;
	else if (purpose == CURLSOCKTYPE_IPCXN && t->hops > 0 && class != ADDR_PUBLIC &&
		 class != t->origin_class) {
		char ip[INET6_ADDRSTRLEN] = "?";
		/* sin6_addr and sin_addr, at their offsets in the copy */
		const void *raw = (const char *)&ss + (address->family == AF_INET6
							       ? offsetof(struct sockaddr_in6, sin6_addr)
							       : offsetof(struct sockaddr_in, sin_addr));
		inet_ntop(address->family, raw, ip, sizeof ip);
		snprintf(t->refused, sizeof t->refused,
			 "redirect refused: %s is a private, link-local or loopback address", ip);
		return CURL_SOCKET_BAD;
	}
	return socket(address->family, address->socktype, address->protocol);
}

static bool setup(struct transfer *t)
{
	const struct probe_request *q = t->request;
	CURL *c = t->easy = curl_easy_init();
	if (!c)
		return false;
	for (size_t i = 0; i < q->header_count; i++) {
		struct curl_slist *list = curl_slist_append(t->headers, q->headers[i]);
		if (!list)
			return false;
		t->headers = list;
	}
	CURLcode rc = CURLE_OK;
#define SET(option, value) \
	if (rc == CURLE_OK)    \
	rc = curl_easy_setopt(c, option, value)
	SET(CURLOPT_URL, q->url);
	SET(CURLOPT_NOBODY, q->head ? 1L : 0L);
	/* every encoding libcurl can decode, so that texts and XPath see the page itself, even
	 * when a configured Accept-Encoding header or the server asks for compression */
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_HTTPHEADER, t->headers);
	SET(CURLOPT_USERAGENT, "incluinfo/" INCLUINFO_VERSION " (health monitor)");
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_OPENSOCKETFUNCTION, open_socket);
	SET(CURLOPT_OPENSOCKETDATA, t);
	SET(CURLOPT_TIMEOUT_MS, q->timeout_ms);
	/* a probe measures the service, not a connection kept from an earlier one */
	SET(CURLOPT_FRESH_CONNECT, 1L);
	SET(CURLOPT_FORBID_REUSE, 1L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (q->ca_file)
		SET(CURLOPT_CAINFO, q->ca_file);
	SET(CURLOPT_CERTINFO, 1L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_ERRORBUFFER, t->errbuf);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, t);
	SET(CURLOPT_PRIVATE, t);
#undef SET
	return rc == CURLE_OK;
}

static void restart(struct transfer *t)
{
	t->result->body_len = 0;
	t->result->body_truncated = false;
	if (t->result->body)
		t->result->body[0] = '\0';
	t->errbuf[0] = '\0';
	t->refused[0] = '\0';
}

/* scheme://host:port of url, for comparing origins; false when url cannot be parsed. */
static bool origin_of(const char *url, char *out, size_t len)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	bool ok = u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
		  !curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) &&
		  !curl_url_get(u, CURLUPART_HOST, &host, 0) &&
		  !curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	if (ok) {
		snprintf(out, len, "%s://%s:%s", scheme, host, port);
		for (char *c = out; *c; c++)
			*c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ok;
}

/*
 * Whether the redirect to target keeps the configured URL's rules, else why not: https
 * stays https (plain http only between loopback hosts); the configured headers go to the
 * configured origin only, so a secret header never reaches another host.
 */
static bool follow_to(struct transfer *t, const char *target, char *why, size_t why_len)
{
	const char *configured = t->request->url;
	char from[1200], to[1200];
	if (!origin_of(configured, from, sizeof from) || !origin_of(target, to, sizeof to) ||
	    (strncmp(to, "https://", 8) && strncmp(to, "http://", 7))) {
		snprintf(why, why_len, "redirect refused: not an http(s) address");
		return false;
	}
	if (!strncmp(to, "http://", 7)) {
		/* the configured host, as plain http, must itself be loopback */
		char plain[1200];
		snprintf(plain, sizeof plain, "http://%s", strstr(from, "://") + 3);
		if (!config_url_ok(target, NULL, 0) || !config_url_ok(plain, NULL, 0)) {
			snprintf(why, why_len, "redirect refused: from %.120s to plain http", from);
			return false;
		}
	}
	bool same_origin = !strcmp(from, to);
	return curl_easy_setopt(t->easy, CURLOPT_URL, target) == CURLE_OK &&
	       curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, same_origin ? t->headers : NULL) == CURLE_OK;
}

enum next { DONE, RETRY, FOLLOW };

/* After a 3xx: FOLLOW with the next hop set up, or DONE with the failure recorded. */
static enum next redirect(struct transfer *t, const char *target)
{
	struct probe_result *r = t->result;
	long left = t->request->timeout_ms - r->time_ms;
	char why[sizeof r->error];
	if (t->hops >= t->request->max_redirects) {
		r->failure = PROBE_REDIRECTS;
		snprintf(r->error, sizeof r->error, "more than %ld redirects", t->request->max_redirects);
	} else if (left <= 0) {
		r->failure = PROBE_TIMEOUT;
		snprintf(r->error, sizeof r->error, "timed out after %ld redirects", t->hops);
	} else if (!follow_to(t, target, why, sizeof why) ||
		   curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, left) != CURLE_OK) {
		r->failure = PROBE_REDIRECTS;
		snprintf(r->error, sizeof r->error, "%s", why);
	} else {
		t->elapsed_ms = r->time_ms;
		t->hops++;
		return FOLLOW;
	}
	r->http_status = 0;
	printable_clean(r->error);
	return DONE;
}

/* Records a finished attempt and says what comes next. */
static enum next finish(struct transfer *t, CURLcode code)
{
	struct probe_result *r = t->result;
	curl_off_t total_us = 0;
	curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &total_us);
	r->time_ms = t->elapsed_ms + (long)(total_us / 1000);
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &r->http_status);
	if (*t->refused) {
		r->failure = PROBE_REDIRECTS;
		r->http_status = 0;
		snprintf(r->error, sizeof r->error, "%s", t->refused);
		return DONE;
	}

	if (code == CURLE_WRITE_ERROR && r->body_truncated && !t->out_of_memory)
		code = CURLE_OK; /* we stopped reading at the cap on purpose */
	if (t->out_of_memory) {
		r->failure = PROBE_PROTOCOL;
		snprintf(r->error, sizeof r->error, "out of memory reading the body");
		return DONE;
	}
	r->failure = classify_error(code);
	r->local = locality(t->easy, code);
	if (code != CURLE_OK) {
		r->http_status = 0;
		snprintf(r->error, sizeof r->error, "%s", t->errbuf[0] ? t->errbuf : curl_easy_strerror(code));
		size_t n = strlen(r->error);
		if (n && r->error[n - 1] == '\n')
			r->error[n - 1] = '\0';
		/* it may quote what the server sent */
		printable_clean(r->error);
		return transient(code) && r->attempts <= t->request->retries ? RETRY : DONE;
	}
	r->error[0] = '\0';
	r->cert_expiry = certificate_expiry(t->easy);
	char *target = NULL;
	if (t->request->max_redirects > 0 && r->http_status >= 300 && r->http_status < 400 &&
	    curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_URL, &target) == CURLE_OK && target)
		return redirect(t, target);
	return DONE;
}

/* The descriptors open now, or a guess when /proc cannot say. */
static size_t open_descriptors(void)
{
	DIR *dir = opendir("/proc/self/fd");
	if (!dir)
		return 64;
	size_t count = 0;
	for (struct dirent *entry; (entry = readdir(dir));)
		count += entry->d_name[0] != '.';
	closedir(dir);
	return count > 0 ? count - 1 : 0; /* the directory's own */
}

/*
 * How many probes may have a connection open at once. Each takes a socket, and while its
 * name resolves libcurl's resolver thread a socket pair more; the process's soft limit of
 * open files (often 1,024) is raised towards the hard one as far as the probes need, and
 * when even that is not enough the others wait for a free slot instead of failing.
 */
enum { DESCRIPTORS_PER_PROBE = 3, DESCRIPTORS_SPARE = 16 };
static size_t probe_slots(size_t count)
{
	struct rlimit lim;
	if (count == 0 || getrlimit(RLIMIT_NOFILE, &lim) != 0 || lim.rlim_cur == RLIM_INFINITY)
		return count;
	size_t fixed = open_descriptors() + DESCRIPTORS_SPARE;
	rlim_t want = (rlim_t)(fixed + count * DESCRIPTORS_PER_PROBE);
	if (lim.rlim_cur < want) {
		struct rlimit raised = lim;
		raised.rlim_cur = lim.rlim_max == RLIM_INFINITY || want < lim.rlim_max ? want : lim.rlim_max;
		if (raised.rlim_cur > lim.rlim_cur && setrlimit(RLIMIT_NOFILE, &raised) == 0)
			lim.rlim_cur = raised.rlim_cur;
	}
	if (lim.rlim_cur >= want)
		return count;
	size_t slots = lim.rlim_cur > fixed ? (size_t)(lim.rlim_cur - fixed) / DESCRIPTORS_PER_PROBE : 0;
	return slots > 0 ? slots : 1;
}

/* The probes not started yet: transfers[next..count) wait for a slot. */
struct queue {
	struct transfer *transfers;
	size_t next, count;
};

/* Starts the next waiting probe, if any. Its timeout runs from here: libcurl counts it
 * from the transfer's start, and a waiting probe has not started. */
static CURLMcode start_next(CURLM *multi, struct queue *q)
{
	if (q->next >= q->count)
		return CURLM_OK;
	return curl_multi_add_handle(multi, q->transfers[q->next++].easy);
}

static ii_err drive(CURLM *multi, struct queue *queue, struct ii_error *e)
{
	int running = 1;
	while (running) {
		CURLMcode mc = curl_multi_perform(multi, &running);
		if (mc == CURLM_OK && running)
			mc = curl_multi_poll(multi, NULL, 0, 1000, NULL);
		if (mc != CURLM_OK)
			return ii_fail(e, II_EINTERNAL, _("probing failed: %s"), curl_multi_strerror(mc));

		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(multi, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct transfer *t;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
			CURLcode code = msg->data.result;
			curl_multi_remove_handle(multi, t->easy);
			enum next next = finish(t, code);
			if (next != DONE) {
				/* the retry and the next hop keep the slot */
				restart(t);
				t->result->attempts += next == RETRY;
				mc = curl_multi_add_handle(multi, t->easy);
			} else {
				mc = start_next(multi, queue);
			}
			if (mc != CURLM_OK)
				return ii_fail(e, II_EINTERNAL, _("probing failed: %s"), curl_multi_strerror(mc));
			running = 1;
		}
	}
	return II_OK;
}

ii_err probe_run(const struct probe_request *requests, size_t count,
		 struct probe_result *results, struct ii_error *e)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return ii_fail(e, II_EINTERNAL, _("cannot initialise libcurl"));
	memset(results, 0, count * sizeof *results);
	struct transfer *transfers = calloc(count ? count : 1, sizeof *transfers);
	CURLM *multi = curl_multi_init();
	struct queue queue = {transfers, 0, count};
	ii_err rc = II_OK;
	if (!transfers || !multi) {
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
		goto out;
	}
	for (size_t i = 0; i < count; i++) {
		struct transfer *t = &transfers[i];
		t->request = &requests[i];
		t->result = &results[i];
		t->result->attempts = 1;
		t->origin_class = -1;
		if (!setup(t)) {
			rc = ii_fail(e, II_EINTERNAL, _("cannot set up the probe of '%s'"), requests[i].url);
			goto out;
		}
	}
	for (size_t slots = probe_slots(count); queue.next < slots;) {
		if (start_next(multi, &queue) != CURLM_OK) {
			rc = ii_fail(e, II_EINTERNAL, _("cannot set up the probe of '%s'"),
				     requests[queue.next - 1].url);
			goto out;
		}
	}
	rc = drive(multi, &queue, e);
out:
	for (size_t i = 0; transfers && i < count; i++) {
		if (transfers[i].easy) {
			curl_multi_remove_handle(multi, transfers[i].easy);
			curl_easy_cleanup(transfers[i].easy);
		}
		curl_slist_free_all(transfers[i].headers);
	}
	curl_multi_cleanup(multi);
	free(transfers);
	curl_global_cleanup();
	if (rc != II_OK)
		for (size_t i = 0; i < count; i++)
			probe_result_free(&results[i]);
	return rc;
}

void probe_result_free(struct probe_result *result)
{
	free(result->body);
	result->body = NULL;
	result->body_len = 0;
}
