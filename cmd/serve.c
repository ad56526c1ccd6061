#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "console.h"
#include "i18n.h"
#include "incluinfo.h"
#include "people.h"
#include "printable.h"

const struct cli_help cmd_serve_help = {
	.summary = N_("serve the review console to the staff's browsers"),
	.usage = N_("usage: incluinfo serve\n"
		 "\n"
		 "Serves the review console on [serve] listen (default 127.0.0.1:8080) until SIGTERM\n"
		 "or SIGINT: the drafts waiting, each with its thread, its changes and its audit\n"
		 "trail, approval and rejection under the same rules as approve and reject,\n"
		 "the incidents and the services' states. It belongs behind the reverse proxy that\n"
		 "authenticates the staff: only requests from [serve] proxies are answered, as the\n"
		 "person whose web_login is in their [serve] user_header; anything else gets 403.\n"
		 "It runs beside cron, taking the state lock only for the moment of a change.\n"
		 "Exit 78 when no person has a web_login, 69 when it cannot listen.\n"),
};

/* The most a request's body may hold: a form with a token and a reason. */
#define MAX_BODY 16384
#define MAX_REASON 2000
#define SESSION_COOKIE "incluinfo_session"
#define SESSION_BYTES 32
/* How long a change waits for a cron run that holds the state lock, in tenths of a second. */
#define LOCK_TRIES 30

struct server {
	const struct cli *cli;
	unsigned char key[32]; /* the CSRF tokens' HMAC key, new in every process */
	struct proxy {
		int family;
		unsigned char addr[16];
	} *proxies;
	size_t proxy_count;
	bool secure; /* public_url is https: the cookie says Secure */
};

struct request {
	struct MHD_PostProcessor *post;
	size_t body;    /* bytes received */
	bool too_large; /* more than MAX_BODY: refused once it is all in */
	bool too_long;  /* a field longer than its room: refused, never cut */
	char csrf[2 * EVP_MAX_MD_SIZE + 1];
	char reason[MAX_REASON + 1];
};

static void hex(const unsigned char *bytes, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", bytes[i]);
}

/* The CSRF token of login in session: HMAC-SHA256 under the process's key, so a page of
 * another site can neither read nor make it. */
static void csrf_token(const struct server *srv, const char *login, const char *session,
		       char out[2 * EVP_MAX_MD_SIZE + 1])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned len = 0;
	size_t n = strlen(login) + 1 + strlen(session);
	char *message = malloc(n + 1);
	*out = '\0';
	if (!message)
		return;
	snprintf(message, n + 1, "%s\n%s", login, session);
	if (HMAC(EVP_sha256(), srv->key, sizeof srv->key, (unsigned char *)message, n, mac, &len))
		hex(mac, len, out);
	free(message);
}

/* A session cookie as serve gives them: SESSION_BYTES random bytes in hex. */
static bool valid_session(const char *s)
{
	return s && strlen(s) == 2 * SESSION_BYTES && strspn(s, "0123456789abcdef") == 2 * SESSION_BYTES;
}

/* Whether the peer is one of [serve] proxies; an IPv4 peer reached over IPv6 (::ffff:a.b.c.d)
 * is that IPv4 address. */
static bool from_proxy(const struct server *srv, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!info || !info->client_addr)
		return false;
	int family = info->client_addr->sa_family;
	const unsigned char *addr;
	size_t len;
	if (family == AF_INET) {
		addr = (const unsigned char *)&((const struct sockaddr_in *)info->client_addr)->sin_addr;
		len = 4;
	} else if (family == AF_INET6) {
		const struct in6_addr *a6 = &((const struct sockaddr_in6 *)info->client_addr)->sin6_addr;
		addr = a6->s6_addr;
		len = 16;
		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			family = AF_INET;
			addr += 12;
			len = 4;
		}
	} else {
		return false;
	}
	for (size_t i = 0; i < srv->proxy_count; i++)
		if (srv->proxies[i].family == family && !memcmp(srv->proxies[i].addr, addr, len))
			return true;
	return false;
}

/* The headers every answer carries: nothing but its own stylesheet runs or loads, no other
 * site frames it, no address leaks to another. */
static void secure_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'none'; style-src 'self'; form-action 'self'; "
				"frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, const char *type,
			      char *body, size_t len, const char *set_cookie, const char *location)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	secure_headers(r);
	MHD_add_response_header(r, "Content-Type", type);
	if (set_cookie)
		MHD_add_response_header(r, "Set-Cookie", set_cookie);
	if (location)
		MHD_add_response_header(r, "Location", location);
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result answer_html(struct MHD_Connection *c, unsigned status, char *html,
				   size_t len, const char *set_cookie)
{
	return answer(c, status, "text/html; charset=utf-8", html, len, set_cookie, NULL);
}

/* A page that only says something (a refusal); an empty answer when even that fails. */
static enum MHD_Result answer_message(struct MHD_Connection *c, unsigned status,
				      const struct console_view *view, const char *title,
				      const char *says)
{
	char *html = NULL;
	size_t len = 0;
	struct ii_error e = {0};
	console_message_page(view, title, says, &html, &len, &e);
	return answer_html(c, status, html ? html : strdup(""), len, NULL);
}

static unsigned status_of(ii_err rc)
{
	switch (rc) {
	case II_EDATA: return MHD_HTTP_CONFLICT;
	case II_EPERM: return MHD_HTTP_FORBIDDEN;
	case II_ELOCKED: return MHD_HTTP_SERVICE_UNAVAILABLE;
	default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

/* The store as it is now, read-only; NULL without error before the first run made one. */
static ii_err open_for_reading(const struct config *cfg, struct store **store, struct ii_error *e)
{
	bool exists = false, open_to_others;
	*store = NULL;
	ii_err rc = store_exists(cfg->state_dir, &exists, &open_to_others, e);
	return rc || !exists ? rc : store_open(cfg->state_dir, STORE_READ, store, e);
}

/* Approves or rejects draft id as the person behind login, under the state lock, which a
 * cron run may hold for a moment: it is waited for up to LOCK_TRIES tenths of a second. */
static ii_err decide(const struct server *srv, const char *login, const char *id, bool approve,
		     const char *reason, struct ii_error *e)
{
	const struct cli *cli = srv->cli;
	struct cli_identity who;
	ii_err rc = cli_identify_web(cli, approve ? "approve" : "reject", CONFIG_ROLE_APPROVER,
				     login, &who, e);
	if (rc)
		return rc;
	who.actor.at = cli_now();
	struct lock *lock = NULL;
	for (int tries = 0; (rc = lock_acquire(cli->config->state_dir, &lock, e)) == II_ELOCKED &&
			    tries < LOCK_TRIES;
	     tries++) {
		struct timespec tenth = {0, 100000000};
		nanosleep(&tenth, NULL);
	}
	if (rc)
		return rc;
	struct store *store;
	rc = store_open(cli->config->state_dir, STORE_WRITE, &store, e);
	if (rc == II_OK) {
		struct draft d;
		rc = cli_decision(cli, store, id, approve, &who.actor, reason && *reason ? reason : NULL,
				  &d, e);
		store_close(store);
	}
	lock_release(lock);
	return rc;
}

enum route { R_NONE, R_STYLESHEET, R_DRAFTS, R_DRAFT, R_INCIDENTS, R_SERVICES, R_APPROVE, R_REJECT };

/* What url names; *id receives a draft's UUID. */
static enum route route_of(const char *url, char id[37])
{
	static const struct {
		const char *path;
		enum route route;
	} fixed[] = {
		{"/", R_DRAFTS},
		{"/incidents", R_INCIDENTS},
		{"/services", R_SERVICES},
		{CONSOLE_STYLESHEET_PATH, R_STYLESHEET},
	};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		if (!strcmp(url, fixed[i].path))
			return fixed[i].route;
	const char *rest = url + strlen("/drafts/");
	if (strncmp(url, "/drafts/", strlen("/drafts/")) || strspn(rest, "0123456789abcdef-") != 36)
		return R_NONE;
	snprintf(id, 37, "%.36s", rest);
	rest += 36;
	return !*rest ? R_DRAFT
	       : !strcmp(rest, "/approve") ? R_APPROVE
	       : !strcmp(rest, "/reject") ? R_REJECT
					   : R_NONE;
}

/* The form's reason made a line break as the CLI writes it (a browser sends a textarea's
 * as CR LF, by HTML's rule); the first code point that the audit trail would not keep as
 * written (printable_first_unsafe()), or -1 when there is none. */
static int32_t form_reason(struct request *req)
{
	char *to = req->reason;
	for (const char *from = req->reason; *from; from++)
		if (from[0] != '\r' || from[1] != '\n')
			*to++ = *from;
	*to = '\0';
	return printable_first_unsafe(req->reason, strlen(req->reason), true);
}

static enum MHD_Result collect_field(void *cls, enum MHD_ValueKind kind, const char *key,
				     const char *filename, const char *content_type,
				     const char *transfer_encoding, const char *data, uint64_t off,
				     size_t size)
{
	(void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
	struct request *req = cls;
	char *field = !strcmp(key, CONSOLE_CSRF_FIELD)     ? req->csrf
		      : !strcmp(key, CONSOLE_REASON_FIELD) ? req->reason
							   : NULL;
	size_t room = field == req->csrf ? sizeof req->csrf : sizeof req->reason;
	if (field && off + size < room) {
		memcpy(field + off, data, size);
		field[off + size] = '\0';
	} else if (field) {
		req->too_long = true;
	}
	return MHD_YES;
}

struct header_count {
	const char *name;
	const char *value; /* the last one seen */
	unsigned count;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	(void)kind;
	struct header_count *h = cls;
	if (!strcasecmp(key, h->name)) {
		h->count++;
		h->value = value;
	}
	return MHD_YES;
}

/* The login in [serve] user_header; NULL when there is none, or more than one. A proxy that
 * adds its header after the client's (Apache's RequestHeader add, a misread example) leaves
 * two, and the first, which MHD_lookup_connection_value would give, is the client's. */
static const char *user_login(const struct server *srv, struct MHD_Connection *c)
{
	struct header_count h = {.name = srv->cli->config->serve.user_header};
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &h);
	return h.count == 1 && *h.value ? h.value : NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **req_cls)
{
	(void)version;
	const struct server *srv = cls;
	const struct cli *cli = srv->cli;
	bool post = !strcmp(method, MHD_HTTP_METHOD_POST);
	struct request *req = *req_cls;
	if (!req) {
		/* the first call only sees the headers: refuse early what will be refused anyway */
		if (!(req = calloc(1, sizeof *req)))
			return MHD_NO;
		*req_cls = req;
		if (post)
			req->post = MHD_create_post_processor(c, 4096, collect_field, req);
		return MHD_YES;
	}
	if (*upload_data_size) {
		req->body += *upload_data_size;
		req->too_large |= req->body > MAX_BODY;
		if (!req->too_large && req->post)
			MHD_post_process(req->post, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}

	struct console_view view = {.cfg = cli->config};
	const char *login = user_login(srv, c);
	if (!from_proxy(srv, c) || !login)
		return answer_message(c, MHD_HTTP_FORBIDDEN, &view, _("Access refused"),
				      _("The console is reached through the ministry's sign-in, not "
					"directly."));
	struct cli_identity who;
	struct ii_error e = {0};
	if (cli_identify_web(cli, "serve", 0, login, &who, &e))
		return answer_message(c, MHD_HTTP_FORBIDDEN, &view, _("Access refused"), e.detail);
	view.viewer = who.person->name;

	char id[37] = "";
	enum route route = route_of(url, id);
	bool changes = route == R_APPROVE || route == R_REJECT;
	if (route == R_NONE)
		return answer_message(c, MHD_HTTP_NOT_FOUND, &view, _("Page not found"),
				      _("There is no such page in the console."));
	/* GET never changes anything, and a change is only ever a POST */
	if (changes != post || (!post && strcmp(method, MHD_HTTP_METHOD_GET) &&
				strcmp(method, MHD_HTTP_METHOD_HEAD)))
		return answer_message(c, MHD_HTTP_METHOD_NOT_ALLOWED, &view, _("Not allowed"),
				      _("This page does not take that kind of request."));
	if (route == R_STYLESHEET) {
		char *css = strdup(console_stylesheet);
		return css ? answer(c, MHD_HTTP_OK, "text/css; charset=utf-8", css, strlen(css), NULL,
				    NULL)
			   : MHD_NO;
	}

	const char *session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, SESSION_COOKIE);
	char fresh[2 * SESSION_BYTES + 1], cookie[160] = "";
	if (!valid_session(session)) {
		unsigned char bytes[SESSION_BYTES];
		if (getrandom(bytes, sizeof bytes, 0) != (ssize_t)sizeof bytes)
			return MHD_NO;
		hex(bytes, sizeof bytes, fresh);
		session = fresh;
		snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
			 SESSION_COOKIE, fresh, srv->secure ? "; Secure" : "");
	}
	char token[2 * EVP_MAX_MD_SIZE + 1];
	csrf_token(srv, login, session, token);
	view.csrf = token;

	if (changes) {
		if (req->too_large)
			return answer_message(c, MHD_HTTP_CONTENT_TOO_LARGE, &view, _("Request too large"),
					      _("The form sent more than the console accepts."));
		/* a new session (no cookie) cannot hold a token: the form came from elsewhere */
		if (session == fresh || !*token || strlen(req->csrf) != strlen(token) ||
		    CRYPTO_memcmp(req->csrf, token, strlen(token)))
			return answer_message(c, MHD_HTTP_FORBIDDEN, &view, _("Form refused"),
					      _("The form was not sent from this console's page, or it "
						"has expired: open the page again and repeat."));
		int32_t bad = form_reason(req);
		if (req->too_long)
			return answer_message(c, MHD_HTTP_CONTENT_TOO_LARGE, &view, _("Request too large"),
					      _("The reason is longer than the console accepts."));
		if (bad >= 0) {
			char says[200];
			snprintf(says, sizeof says,
				 _("The reason holds a character that cannot be kept in the audit trail "
				   "(U+%04X): write it again without it."),
				 (unsigned)bad);
			return answer_message(c, MHD_HTTP_BAD_REQUEST, &view, _("Form refused"), says);
		}
		if (decide(srv, login, id, route == R_APPROVE, req->reason, &e) == II_OK) {
			char location[64];
			snprintf(location, sizeof location, "/drafts/%s", id);
			return answer(c, MHD_HTTP_SEE_OTHER, "text/plain", strdup(""), 0, NULL, location);
		}
		view.notice = e.detail;
		route = R_DRAFT;
	}

	struct store *store = NULL;
	static const enum console_page pages[] = {
		[R_DRAFTS] = CONSOLE_DRAFTS, [R_DRAFT] = CONSOLE_DRAFT,
		[R_INCIDENTS] = CONSOLE_INCIDENTS, [R_SERVICES] = CONSOLE_SERVICES,
	};
	char *html = NULL;
	size_t len = 0;
	struct ii_error why = {0};
	ii_err rc = open_for_reading(cli->config, &store, &why);
	if (rc == II_OK)
		rc = console_page(store, &view, pages[route], id, &html, &len, &why);
	store_close(store);
	if (rc == II_EDATA)
		return answer_message(c, MHD_HTTP_NOT_FOUND, &view, _("Page not found"), why.detail);
	if (rc)
		return answer_message(c, MHD_HTTP_INTERNAL_SERVER_ERROR, &view,
				      _("The console failed"), why.detail);
	return answer_html(c, changes ? status_of(e.code) : MHD_HTTP_OK, html, len,
			   *cookie ? cookie : NULL);
}

static void completed(void *cls, struct MHD_Connection *c, void **req_cls,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)c, (void)toe;
	struct request *req = *req_cls;
	if (req && req->post)
		MHD_destroy_post_processor(req->post);
	free(req);
	*req_cls = NULL;
}

/* [serve] proxies as addresses to compare with a peer's. */
static bool read_proxies(struct server *srv)
{
	const struct strlist *list = &srv->cli->config->serve.proxies;
	srv->proxies = calloc(list->count ? list->count : 1, sizeof *srv->proxies);
	if (!srv->proxies)
		return false;
	for (size_t i = 0; i < list->count; i++) {
		struct proxy *p = &srv->proxies[srv->proxy_count];
		p->family = strchr(list->items[i], ':') ? AF_INET6 : AF_INET;
		srv->proxy_count += inet_pton(p->family, list->items[i], p->addr) == 1;
	}
	return true;
}

int cmd_serve(int argc, char **argv, struct cli *cli)
{
	if (argc > 1)
		return cli_no_more_arguments(argc, argv, 1, "serve");
	const struct config *cfg = cli->config;
	bool anyone = false;
	for (size_t i = 0; i < cfg->person_count; i++)
		anyone |= cfg->people[i].web_login != NULL;
	if (!anyone) {
		cli_error(_("no [person] section of '%s' has a web_login: nobody could use the console"),
			  cfg->path);
		return EXIT_CONFIG;
	}
	struct server srv = {.cli = cli, .secure = !strncasecmp(cfg->serve.public_url, "https:", 6)};
	if (getrandom(srv.key, sizeof srv.key, 0) != (ssize_t)sizeof srv.key || !read_proxies(&srv)) {
		cli_error(_("cannot start the console: %s"), strerror(errno));
		free(srv.proxies);
		return EXIT_SOFTWARE;
	}

	char host[64];
	unsigned port = 0;
	config_listen_parse(cfg->serve.listen, host, sizeof host, &port);
	struct sockaddr_storage addr = {0};
	bool v6 = strchr(host, ':') != NULL;
	if (v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&addr;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, host, &a->sin6_addr);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&addr;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, host, &a->sin_addr);
	}

	/* the server's thread inherits the mask: only sigwait() below sees these */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	/* one internal thread: requests are answered one at a time, as cron runs beside it */
	struct MHD_Daemon *daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | (v6 ? MHD_USE_IPv6 : 0), (uint16_t)port, NULL, NULL,
		handle, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 64u,
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	if (!daemon) {
		cli_error(_("cannot listen on %s: %s"), cfg->serve.listen, strerror(errno));
		free(srv.proxies);
		return EXIT_REMOTE;
	}
	if (!cli->quiet) {
		printf(_("the console listens on %s; staff reach it at %s\n"), cfg->serve.listen,
		       cfg->serve.public_url);
		fflush(stdout);
	}
	int sig;
	sigwait(&stop, &sig);
	MHD_stop_daemon(daemon);
	free(srv.proxies);
	return EXIT_OK;
}
