#include "config.h"
#include "i18n.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "draft.h"
#include "health.h"
#include "i18n.h"
#include "notify.h"
#include "path.h"
#include "people.h"

/* a line holds one setting: 8 KiB is far more than the longest URL a portal hands out */
#define MAX_LINE 8192
#define MAX_SERVICE_ID 32
#define MAX_NAME 120
#define MAX_TEXT 1000 /* a sentence or two a reader sees whole: a legal notice */
#define MAX_SENTENCE 200 /* an alternative: one sentence, with room for the rest of the post */
#define CANARY_TIMEOUT_MS 10000 /* the most a canary waits unless told otherwise */
#define RUN_MARGIN_MS 1000      /* what a run's check step needs besides its probes */

enum section_kind {
	SEC_NONE, SEC_GENERAL, SEC_SERVICE, SEC_PERSON, SEC_CANARY, SEC_POLICY, SEC_TWITTER, SEC_FEEDS,
	SEC_NOTIFY, SEC_SERVE, SEC_CHANNEL
};

enum value_type {
	T_STRING, /* non-empty text */
	T_TEXT,   /* non-empty text of a few sentences, published as it is */
	T_PATH,   /* non-empty, resolved against the configuration folder */
	T_LONG,
	T_URL,
	T_PUBLIC_URL,   /* a URL the feeds publish: no user or password in it */
	T_URL_TEMPLATE, /* a public URL with "{slug}" where each notice's name goes */
	T_CANARY,    /* "URL [STATUSES]" */
	T_TEXT_LIST,
	T_HEADER_LIST,
	T_METHOD,
	T_STATUSSET,
	T_XPATH,
	T_CA_FILE,
	T_POLICY,
	T_TIMEZONE,
	T_BOOL,
	T_CAP_SENDER, /* CAP 1.2 forbids spaces, commas, '<' and '&' in a sender */
	T_IN_SENTENCE, /* a name as it reads inside a sentence: its article in lower case */
	T_PLURAL,      /* true or false, kept apart from "not written" */
	T_SENTENCE,    /* a whole sentence of a post */
	T_EMAIL,       /* one address, local@domain, checked loosely */
	T_LOGIN,       /* one word: a web login */
	T_LOGIN_LIST,  /* words separated by blanks: operating-system accounts */
	T_NAME_LIST,   /* names separated by commas: a person's aliases */
	T_ROLES,       /* words separated by blanks from config_role_name() */
	T_NOTIFY_TYPE, /* smtp or webhook */
	T_RECIPIENTS,   /* addresses, person ids and @groups separated by blanks or commas */
	T_EVENTS,       /* notification event names separated by blanks */
	T_RAW_URL,      /* checked with its section, whose type says which schemes fit */
	T_LISTEN,      /* "ADDRESS:PORT", "[IPv6]:PORT": a numeric address, no name to resolve */
	T_HEADER_NAME, /* an HTTP header's name (RFC 9110 token) */
	T_IP_LIST,      /* numeric IPv4 or IPv6 addresses separated by blanks */
	T_USD,          /* an amount in US dollars, "0.015" (config_usd_parse()), kept in micro-dollars */
	T_CHANNEL_TYPE, /* x, mastodon or bluesky */
	T_VISIBILITY,   /* a Mastodon status's: public or unlisted */
	T_THREAD_MODE,  /* replies or single */
};

struct key {
	const char *name;
	enum value_type type;
	size_t offset;
	long min, max;
};

#define G(field) offsetof(struct config, field)
#define S(field) offsetof(struct config_service, field)
#define P(field) offsetof(struct config_person, field)
#define N(field) offsetof(struct config_notify, field)
#define C(field) offsetof(struct config_channel, field)

static const struct key general_keys[] = {
	{"state_dir", T_PATH, G(state_dir), 0, 0},
	{"notices_dir", T_PATH, G(notices_dir), 0, 0},
	{"feeds_dir", T_PATH, G(feeds_dir), 0, 0},
	{"timezone", T_TIMEZONE, G(timezone), 0, 0},
	{"history_days", T_LONG, G(history_days), 1, 3650},
	{"templates_dir", T_PATH, G(templates_dir), 0, 0},
	{"run_timeout", T_LONG, G(run_timeout), 1, 3600},
	{"ca_file", T_CA_FILE, G(ca_file), 0, 0},
	{NULL, 0, 0, 0, 0},
};

static const struct key service_keys[] = {
	{"name", T_STRING, S(name), 0, 0},
	{"in_sentence", T_IN_SENTENCE, S(in_sentence), 0, 0},
	{"plural", T_PLURAL, S(number_key), 0, 0},
	{"alternative", T_SENTENCE, S(alternative), 0, 0},
	{"url", T_URL, S(url), 0, 0},
	{"public_url", T_PUBLIC_URL, S(public_url), 0, 0},
	{"method", T_METHOD, S(method), 0, 0},
	{"header", T_HEADER_LIST, S(headers), 0, 0},
	{"expect_status", T_STATUSSET, S(expect_status), 0, 0},
	{"expect_text", T_TEXT_LIST, S(expect_text), 0, 0},
	{"reject_text", T_TEXT_LIST, S(reject_text), 0, 0},
	{"expect_xpath", T_XPATH, S(expect_xpath), 0, 0},
	{"degraded_ms", T_LONG, S(degraded_ms), 1, 600000},
	{"timeout_ms", T_LONG, S(timeout_ms), 1, 600000},
	{"follow_redirects", T_LONG, S(follow_redirects), 0, 20},
	{"cert_warn_days", T_LONG, S(cert_warn_days), 0, 365},
	{"retries", T_LONG, S(retries), 0, 5},
	{"failures_to_open", T_LONG, S(failures_to_open), 1, 100},
	{"successes_to_resolve", T_LONG, S(successes_to_resolve), 1, 100},
	{"ca_file", T_CA_FILE, S(ca_file), 0, 0},
	{"announce_degraded", T_BOOL, S(announce_degraded), 0, 0},
	{"remind_minutes", T_LONG, S(remind_minutes), 0, 10080},
	{"flap_limit", T_LONG, S(flap_limit), 1, 100},
	{"grace_minutes", T_LONG, S(grace_minutes), 0, 1440},
	{NULL, 0, 0, 0, 0},
};

static const struct key person_keys[] = {
	{"name", T_STRING, P(name), 0, 0},
	{"email", T_EMAIL, P(email), 0, 0},
	{"os_users", T_LOGIN_LIST, P(os_users), 0, 0},
	{"web_login", T_LOGIN, P(web_login), 0, 0},
	{"aliases", T_NAME_LIST, P(aliases), 0, 0},
	{"roles", T_ROLES, P(roles), 0, 0},
	{NULL, 0, 0, 0, 0},
};

static const struct key canary_keys[] = {
	{"url", T_CANARY, 0, 0, 0},
	{"timeout_ms", T_LONG, G(canary_timeout_ms), 1, 600000},
	{NULL, 0, 0, 0, 0},
};

static const struct key policy_keys[] = {
	{"incidents", T_POLICY, G(incidents), 0, 0},
	{"notices", T_POLICY, G(notices), 0, 0},
	{"two_person", T_BOOL, G(two_person), 0, 0},
	{"confirm_minutes", T_LONG, G(confirm_minutes), 0, 1440},
	{NULL, 0, 0, 0, 0},
};

static const struct key twitter_keys[] = {
	{"api_url", T_URL, G(api_url), 0, 0},
	{"credentials", T_PATH, G(credentials), 0, 0},
	{"thread_delay_ms", T_LONG, G(thread_delay_ms), 0, 60000},
	{"ca_file", T_CA_FILE, G(api_ca_file), 0, 0},
	{"timeout_ms", T_LONG, G(api_timeout_ms), 1000, 600000},
	{"price_post", T_USD, G(x_cost.post), 0, CONFIG_USD_MAX},
	{"price_post_url", T_USD, G(x_cost.post_url), 0, CONFIG_USD_MAX},
	{"price_read", T_USD, G(x_cost.read), 0, CONFIG_USD_MAX},
	{"price_delete", T_USD, G(x_cost.remove), 0, CONFIG_USD_MAX},
	{"monthly_budget", T_USD, G(x_cost.budget), 0, CONFIG_USD_MAX},
	{"budget_warning", T_LONG, G(x_cost.warning), 0, 100},
	{"thread_mode", T_THREAD_MODE, G(x_thread_mode), 0, 0},
	{NULL, 0, 0, 0, 0},
};

static const struct key feeds_keys[] = {
	{"base_url", T_PUBLIC_URL, G(feeds.base_url), 0, 0},
	{"title", T_STRING, G(feeds.title), 0, 0},
	{"author", T_STRING, G(feeds.author), 0, 0},
	{"author_url", T_PUBLIC_URL, G(feeds.author_url), 0, 0},
	{"sender", T_CAP_SENDER, G(feeds.sender), 0, 0},
	{"sender_name", T_STRING, G(feeds.sender_name), 0, 0},
	{"rebuttal_url", T_URL_TEMPLATE, G(feeds.rebuttal_url), 0, 0},
	{"notice_url", T_URL_TEMPLATE, G(feeds.notice_url), 0, 0},
	{"max_entries", T_LONG, G(feeds.max_entries), 1, 1000},
	{"aviso_legal", T_TEXT, G(feeds.legal_notice), 0, 0},
	{NULL, 0, 0, 0, 0},
};

static const struct key notify_keys[] = {
	{"type", T_NOTIFY_TYPE, N(type), 0, 0},
	{"url", T_RAW_URL, N(url), 0, 0},
	{"from", T_EMAIL, N(from), 0, 0},
	{"to", T_RECIPIENTS, N(to), 0, 0},
	{"credentials", T_PATH, N(credentials), 0, 0},
	{"events", T_EVENTS, N(events), 0, 0},
	{"ca_file", T_CA_FILE, N(ca_file), 0, 0},
	{"timeout_ms", T_LONG, N(timeout_ms), 1000, 120000},
	{NULL, 0, 0, 0, 0},
};

/* [twitter]'s, with type and visibility: a type x section's values are moved to X's */
static const struct key channel_keys[] = {
	{"type", T_CHANNEL_TYPE, C(type), 0, 0},
	{"api_url", T_URL, C(api_url), 0, 0},
	{"credentials", T_PATH, C(credentials), 0, 0},
	{"thread_delay_ms", T_LONG, C(thread_delay_ms), 0, 60000},
	{"ca_file", T_CA_FILE, C(ca_file), 0, 0},
	{"timeout_ms", T_LONG, C(timeout_ms), 1000, 600000},
	{"visibility", T_VISIBILITY, C(visibility), 0, 0},
	{"public_url", T_PUBLIC_URL, C(public_url), 0, 0},
	{"thread_mode", T_THREAD_MODE, C(thread_mode), 0, 0},
	{NULL, 0, 0, 0, 0},
};

static const struct key serve_keys[] = {
	{"listen", T_LISTEN, G(serve.listen), 0, 0},
	{"user_header", T_HEADER_NAME, G(serve.user_header), 0, 0},
	{"proxies", T_IP_LIST, G(serve.proxies), 0, 0},
	{"public_url", T_PUBLIC_URL, G(serve.public_url), 0, 0},
	{NULL, 0, 0, 0, 0},
};

struct seen_section {
	char *name;
	int line;
};

struct parser {
	const char *path;
	char *dir;
	struct config *cfg;
	struct diag_list *diags;
	bool out_of_memory;
	int line;

	const char *section;    /* as written in the file; "" before the first one */
	int canary_line;        /* the [canary] timeout_ms line, or its first url line */
	int two_person_line;    /* the [policy] two_person line */
	bool line_skipped;      /* a line was not read: checks of the whole would be noise */
	enum section_kind kind; /* SEC_NONE also for sections already reported as bad */
	const struct key *keys;
	void *item; /* what a section with an id fills: its config_service, config_person */
	unsigned long long keys_set; /* bit i: keys[i] was given in this section */

	struct seen_section *seen;
	size_t seen_count;
};

static bool parse_long(const char *value, long min, long max, long *out);
static char *strip_end(char *s);
static char *skip_blanks(char *s);

static void *grow(void *array, size_t count, size_t size)
{
	/* arrays here are small; grow one element at a time */
	return reallocarray(array, count + 1, size);
}

static bool allocated(struct parser *p, char *s)
{
	if (!s)
		p->out_of_memory = true;
	return s != NULL;
}

static bool strlist_add(struct parser *p, struct strlist *list, const char *value)
{
	char **items = grow(list->items, list->count, sizeof *items);
	if (!items) {
		p->out_of_memory = true;
		return false;
	}
	list->items = items;
	if (!allocated(p, list->items[list->count] = strdup(value)))
		return false;
	list->count++;
	return true;
}

static void strlist_free(struct strlist *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
}

/* Damerau-Levenshtein (optimal string alignment) distance of two short words. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 40 || lb > 40)
		return (size_t)-1;
	size_t d[41][41];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/* The known key closest to name, when close enough to be a likely typo. */
static const char *suggest(const struct key *keys, const char *name)
{
	const char *best = NULL;
	size_t best_distance = 3;
	for (const struct key *k = keys; k->name; k++) {
		size_t distance = edit_distance(name, k->name);
		bool prefix = strlen(name) >= 3 && !strncmp(name, k->name, strlen(name));
		if (prefix && distance > 2)
			distance = 2;
		if (distance < best_distance) {
			best_distance = distance;
			best = k->name;
		}
	}
	return best;
}

/* The rule of every section's id, "[service sede]", "[person lmartin]". */
static bool valid_id(const char *id)
{
	size_t n = strlen(id);
	if (n < 1 || n > MAX_SERVICE_ID || !islower((unsigned char)id[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)id[i]) && !isdigit((unsigned char)id[i]) && id[i] != '_' &&
		    id[i] != '-')
			return false;
	return true;
}

static const struct key *keys_of(enum section_kind kind)
{
	switch (kind) {
	case SEC_GENERAL: return general_keys;
	case SEC_SERVICE: return service_keys;
	case SEC_PERSON: return person_keys;
	case SEC_CANARY: return canary_keys;
	case SEC_POLICY: return policy_keys;
	case SEC_TWITTER: return twitter_keys;
	case SEC_FEEDS: return feeds_keys;
	case SEC_NOTIFY: return notify_keys;
	case SEC_SERVE: return serve_keys;
	case SEC_CHANNEL: return channel_keys;
	case SEC_NONE: break;
	}
	return NULL;
}

static void service_defaults(struct config_service *s)
{
	memset(s, 0, sizeof *s);
	statusset_parse("200-299", &s->expect_status);
	s->degraded_ms = 3000;
	s->timeout_ms = 10000;
	s->follow_redirects = 5;
	s->cert_warn_days = 14;
	s->retries = 1;
	s->failures_to_open = 3;
	s->successes_to_resolve = 2;
	s->remind_minutes = 60;
	s->flap_limit = 3;
	s->grace_minutes = 15;
}

static void *add_service(struct parser *p)
{
	struct config *cfg = p->cfg;
	struct config_service *services = grow(cfg->services, cfg->service_count, sizeof *services);
	if (!services)
		return NULL;
	cfg->services = services;
	service_defaults(&services[cfg->service_count]);
	return &services[cfg->service_count++];
}

static void *add_person(struct parser *p)
{
	struct config *cfg = p->cfg;
	struct config_person *people = grow(cfg->people, cfg->person_count, sizeof *people);
	if (!people)
		return NULL;
	cfg->people = people;
	memset(&people[cfg->person_count], 0, sizeof *people);
	return &people[cfg->person_count++];
}

static void *add_notify(struct parser *p)
{
	struct config *cfg = p->cfg;
	struct config_notify *list = grow(cfg->notify, cfg->notify_count, sizeof *list);
	if (!list)
		return NULL;
	cfg->notify = list;
	list[cfg->notify_count] = (struct config_notify){.events = NOTIFY_ALL_EVENTS,
							 .timeout_ms = 10000};
	return &list[cfg->notify_count++];
}

static void *add_channel(struct parser *p)
{
	struct config *cfg = p->cfg;
	struct config_channel *list = grow(cfg->channels, cfg->channel_count, sizeof *list);
	if (!list)
		return NULL;
	cfg->channels = list;
	list[cfg->channel_count] = (struct config_channel){.thread_delay_ms = 2000,
							   .timeout_ms = 30000};
	return &list[cfg->channel_count++];
}

static void bad_channel_id(struct parser *p, const char *id)
{
	diag_add(p->diags, p->path, p->line,
		 _("invalid channel id '%s': expected 1-32 characters a-z, 0-9, '_' or '-', "
		   "starting with a letter"),
		 id);
}

static void bad_service_id(struct parser *p, const char *id)
{
	diag_add(p->diags, p->path, p->line,
		 _("invalid service id '%s': expected 1-32 characters a-z, 0-9, '_' or '-', "
		   "starting with a letter"),
		 id);
}

static void bad_notify_id(struct parser *p, const char *id)
{
	diag_add(p->diags, p->path, p->line,
		 _("invalid notification target id '%s': expected 1-32 characters a-z, 0-9, '_' or "
		   "'-', starting with a letter"),
		 id);
}

static void bad_person_id(struct parser *p, const char *id)
{
	diag_add(p->diags, p->path, p->line,
		 _("invalid person id '%s': expected 1-32 characters a-z, 0-9, '_' or '-', "
		   "starting with a letter"),
		 id);
}

/*
 * The sections written "[WORD ID]", one for each thing of a kind. A kind is one entry:
 * its word, the function that adds a zeroed or defaulted element to its array (NULL when
 * out of memory), where the element keeps its id and header line, and the message for a
 * bad id (one function each: a message's format must be a literal).
 */
static const struct id_section {
	const char *word;
	enum section_kind kind;
	void *(*add)(struct parser *p);
	size_t id_offset, line_offset;
	void (*bad_id)(struct parser *p, const char *id); /* reports an id valid_id() refuses */
} id_sections[] = {
	{"service", SEC_SERVICE, add_service, S(id), S(line), bad_service_id},
	{"person", SEC_PERSON, add_person, P(id), P(line), bad_person_id},
	{"notify", SEC_NOTIFY, add_notify, N(id), N(line), bad_notify_id},
	{"channel", SEC_CHANNEL, add_channel, C(id), C(line), bad_channel_id},
};

/* The kind of the section written name; *with_id is its entry of id_sections and *id its
 * id when it has one (NULL otherwise). */
static enum section_kind section_kind_of(const char *name, const struct id_section **with_id,
					 const char **id)
{
	static const struct {
		const char *name;
		enum section_kind kind;
	} fixed[] = {
		{"general", SEC_GENERAL},
		{"canary", SEC_CANARY},
		{"policy", SEC_POLICY},
		{"twitter", SEC_TWITTER},
		{"feeds", SEC_FEEDS},
		{"serve", SEC_SERVE},
	};
	*with_id = NULL;
	*id = NULL;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (!strcmp(name, fixed[i].name))
			return fixed[i].kind;
	for (size_t i = 0; i < sizeof id_sections / sizeof id_sections[0]; i++) {
		size_t n = strlen(id_sections[i].word);
		if (!strncmp(name, id_sections[i].word, n) && (name[n] == ' ' || name[n] == '\0')) {
			*with_id = &id_sections[i];
			*id = name + n;
			while (**id == ' ')
				(*id)++;
			return id_sections[i].kind;
		}
	}
	return SEC_NONE;
}

static void begin_section(struct parser *p, const char *written)
{
	p->kind = SEC_NONE;
	p->keys = NULL;
	p->item = NULL;
	p->keys_set = 0;

	const struct id_section *with_id;
	const char *id;
	enum section_kind kind = section_kind_of(written, &with_id, &id);
	/* "[service  sede]" is the same section as "[service sede]" */
	char *name = NULL;
	if (with_id ? asprintf(&name, "%s %s", with_id->word, id) < 0 : !(name = strdup(written))) {
		p->out_of_memory = true;
		return;
	}
	for (size_t i = 0; i < p->seen_count; i++) {
		if (!strcmp(p->seen[i].name, name)) {
			diag_add(p->diags, p->path, p->line, _("duplicate section [%s] (first at line %d)"),
				 name, p->seen[i].line);
			free(name);
			return;
		}
	}
	struct seen_section *seen = grow(p->seen, p->seen_count, sizeof *seen);
	if (!seen) {
		free(name);
		p->out_of_memory = true;
		return;
	}
	p->seen = seen;
	seen[p->seen_count].name = name;
	seen[p->seen_count++].line = p->line;

	if (kind == SEC_NONE) {
		diag_add(p->diags, p->path, p->line, _("unknown section [%s]"), name);
		return;
	}
	if (with_id) {
		if (!valid_id(id)) {
			with_id->bad_id(p, id);
			return;
		}
		char *copy = strdup(id);
		p->item = copy ? with_id->add(p) : NULL;
		if (!p->item) {
			free(copy);
			p->out_of_memory = true;
			return;
		}
		*(char **)((char *)p->item + with_id->id_offset) = copy;
		*(int *)((char *)p->item + with_id->line_offset) = p->line;
	}
	p->kind = kind;
	p->keys = keys_of(kind);
}

static bool loopback_host(const char *host)
{
	struct in_addr v4;
	if (!strcasecmp(host, "localhost") || !strcmp(host, "[::1]"))
		return true;
	return inet_pton(AF_INET, host, &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

bool config_listen_parse(const char *listen, char *host, size_t host_size, unsigned *port)
{
	const char *colon = strrchr(listen, ':');
	if (!colon)
		return false;
	size_t len = (size_t)(colon - listen);
	bool bracketed = len >= 2 && listen[0] == '[' && listen[len - 1] == ']';
	char address[INET6_ADDRSTRLEN + 1];
	if (bracketed)
		listen++, len -= 2;
	if (len >= sizeof address)
		return false;
	memcpy(address, listen, len);
	address[len] = '\0';
	unsigned char scratch[sizeof(struct in6_addr)];
	if (bracketed ? inet_pton(AF_INET6, address, scratch) != 1
		      : inet_pton(AF_INET, address, scratch) != 1)
		return false;
	long number;
	if (!parse_long(colon + 1, 1, 65535, &number))
		return false;
	if (host)
		snprintf(host, host_size, "%s", address);
	if (port)
		*port = (unsigned)number;
	return true;
}

bool config_url_ok(const char *url, char *why, size_t why_len)
{
	char scratch[1];
	if (!why) {
		why = scratch;
		why_len = sizeof scratch;
	}
	bool https = !strncasecmp(url, "https://", 8);
	if (!https && strncasecmp(url, "http://", 7)) {
		snprintf(why, why_len, _("expected https://"));
		return false;
	}
	CURLU *u = curl_url();
	if (!u) {
		snprintf(why, why_len, _("out of memory"));
		return false;
	}
	char *host = NULL;
	CURLUcode rc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (rc == CURLUE_OK)
		rc = curl_url_get(u, CURLUPART_HOST, &host, 0);
	bool ok = false;
	if (rc == CURLUE_NO_HOST || (rc == CURLUE_OK && (!host || !*host)))
		snprintf(why, why_len, _("no host"));
	else if (rc != CURLUE_OK)
		snprintf(why, why_len, "%s", curl_url_strerror(rc));
	else if (!https && !loopback_host(host))
		snprintf(why, why_len, _("http is allowed only for loopback hosts"));
	else
		ok = true;
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

char *config_public_url(const char *url)
{
	CURLU *u = curl_url();
	char *clean = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_QUERY, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_USER, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_OPTIONS, NULL, 0) == CURLUE_OK) {
		char *text;
		if (curl_url_get(u, CURLUPART_URL, &text, 0) == CURLUE_OK) {
			clean = strdup(text);
			curl_free(text);
		}
	}
	curl_url_cleanup(u);
	return clean;
}

/* Whether url names a user or a password ("https://user:secret@host/"). */
static bool has_userinfo(const char *url)
{
	CURLU *u = curl_url();
	char *user = NULL, *password = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_USER, &user, 0);
		curl_url_get(u, CURLUPART_PASSWORD, &password, 0);
	}
	bool found = user || password;
	curl_free(user);
	curl_free(password);
	curl_url_cleanup(u);
	return found;
}

static void ignore_xml_error(void *ctx, const xmlError *error)
{
	(void)ctx;
	(void)error;
}

static bool valid_xpath(const char *expr)
{
	/* libxml2 would print compile errors on stderr; lib/ never prints */
	xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)ignore_xml_error);
	xmlXPathCompExprPtr comp = xmlXPathCompile((const xmlChar *)expr);
	xmlXPathFreeCompExpr(comp);
	return comp != NULL;
}

static bool valid_header(const char *h)
{
	const char *colon = strchr(h, ':');
	if (!colon || colon == h)
		return false;
	for (const char *c = h; c < colon; c++)
		if (!isgraph((unsigned char)*c))
			return false;
	const char *value = colon + 1;
	while (*value == ' ' || *value == '\t')
		value++;
	return *value != '\0';
}

/* A zone is a compiled tzfile under the zoneinfo folder (not zone.tab and friends). */
static bool known_timezone(const char *name)
{
	if (name[0] == '/' || strstr(name, ".."))
		return false;
	const char *zoneinfo = getenv("TZDIR");
	char file[512];
	snprintf(file, sizeof file, "%s/%s", zoneinfo && *zoneinfo ? zoneinfo : "/usr/share/zoneinfo",
		 name);
	char *magic;
	size_t len;
	if (path_read_limited(file, 4, &magic, &len, NULL))
		return false;
	bool tzfile = len >= 4 && !memcmp(magic, "TZif", 4);
	free(magic);
	return tzfile;
}

bool config_usd_parse(const char *value, long max, long *out)
{
	/* by hand, not strtod: the locale's decimal comma must not change what a file means */
	long micro = 0;
	const char *c = value;
	if (!isdigit((unsigned char)*c))
		return false;
	for (; isdigit((unsigned char)*c); c++) {
		if (micro > (LONG_MAX - 9) / 10 / 1000000)
			return false;
		micro = micro * 10 + (*c - '0');
	}
	micro *= 1000000;
	if (*c == '.') {
		long scale = 100000;
		if (!isdigit((unsigned char)*++c))
			return false;
		for (; isdigit((unsigned char)*c); c++, scale /= 10) {
			if (!scale)
				return false; /* finer than a micro-dollar */
			micro += (*c - '0') * scale;
		}
	}
	if (*c || micro > max)
		return false;
	*out = micro;
	return true;
}

static bool parse_long(const char *value, long min, long max, long *out)
{
	if (!isdigit((unsigned char)value[0]))
		return false;
	errno = 0;
	char *end;
	long n = strtol(value, &end, 10);
	if (errno || *end || n < min || n > max)
		return false;
	*out = n;
	return true;
}

static bool set_string(struct parser *p, char **slot, const char *value)
{
	char *copy = strdup(value);
	if (!allocated(p, copy))
		return false;
	free(*slot);
	*slot = copy;
	return true;
}

static void bad_value(struct parser *p, const char *name, const char *value, const char *expected)
{
	diag_add(p->diags, p->path, p->line, _("invalid value '%s' for '%s': %s"), value, name,
		 expected);
}

/*
 * url as a diagnostic may quote it, into out (size bytes, cut when longer): user and
 * password, when written, are "********". Done on the text, because a URL that is being
 * refused may be one libcurl cannot parse.
 */
static void quotable_url(const char *url, char *out, size_t size)
{
	const char *host = strstr(url, "://");
	host = host ? host + 3 : url;
	size_t authority = strcspn(host, "/?#");
	const char *at = NULL;
	for (size_t i = 0; i < authority; i++)
		at = host[i] == '@' ? host + i : at;
	if (at)
		snprintf(out, size, "%.*s********%s", (int)(host - url), url, at);
	else
		snprintf(out, size, "%s", url);
}

static void bad_url(struct parser *p, const char *url, const char *why)
{
	char shown[1024];
	quotable_url(url, shown, sizeof shown);
	diag_add(p->diags, p->path, p->line, _("invalid url '%s': %s"), shown, why);
}

/* "URL" or "URL STATUSES" (a URL holds no blank, so the first one ends it). */
static void add_canary(struct parser *p, const char *value)
{
	char why[256];
	size_t url_len = strcspn(value, " \t");
	const char *codes = value + url_len + strspn(value + url_len, " \t");
	char *url = strndup(value, url_len);
	if (!allocated(p, url))
		return;
	struct config_canary c = {.url = url};
	if (!config_url_ok(url, why, sizeof why)) {
		bad_url(p, url, why);
	} else if (!statusset_parse(*codes ? codes : "200-399", &c.expect_status)) {
		/* the statuses alone: the URL before them may hold a password */
		bad_value(p, "url", codes,
			  _("expected a URL, then optionally codes and ranges from 100 to 599, like 200-399"));
	} else if (allocated(p, c.expect_status_text = strdup(*codes ? codes : "200-399"))) {
		struct config_canary *list = grow(p->cfg->canaries, p->cfg->canary_count, sizeof *list);
		if (list) {
			p->cfg->canaries = list;
			list[p->cfg->canary_count++] = c;
			return;
		}
		p->out_of_memory = true;
	}
	free(c.url);
	free(c.expect_status_text);
}

/* Whether a name in a sentence starts with an article in capitals ("La Sede…"), which
 * would read "…que La Sede…" inside a sentence. */
static bool capital_article(const char *value)
{
	static const char *const articles[] = {"El ", "La ", "Los ", "Las "};
	for (size_t i = 0; i < sizeof articles / sizeof *articles; i++)
		if (!strncmp(value, articles[i], strlen(articles[i])))
			return true;
	return false;
}

/*
 * One address as a mail header and an SMTP RCPT TO carry it (RFC 5321: at most 254
 * bytes): local@domain, printable ASCII without blanks, quotes, angle brackets or commas,
 * so that neither a display name nor a second address nor a terminal control gets in.
 */
static bool valid_email(const char *value)
{
	const char *at = strchr(value, '@');
	if (!at || at == value || !at[1] || strchr(at + 1, '@') || strlen(value) > 254)
		return false;
	for (const char *c = value; *c; c++)
		if (*c <= ' ' || *c > '~' || strchr("<>\",;:()[]\\", *c))
			return false;
	return at[1] != '.' && value[strlen(value) - 1] != '.';
}

/* An account or a login as systems write them: letters, digits, '.', '_', '-', '@', not
 * starting with '-' (it would read as an option). */
static bool valid_login(const char *word, size_t len)
{
	if (len < 1 || len > MAX_SERVICE_ID * 4 || word[0] == '-')
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)word[i]) && !strchr("._-@", word[i]))
			return false;
	return true;
}

static const char *const login_rule =
	N_("expected letters, digits, '.', '_', '-' or '@', not starting with '-'");

/* "lmartin  lucia" into a list of words, each one valid() accepts (else reported with
 * rule, a message id). */
static void add_words(struct parser *p, const struct key *k, struct strlist *list,
		      const char *value, bool (*valid)(const char *word), const char *rule)
{
	for (const char *w = value; *w;) {
		size_t len = strcspn(w, " \t");
		char *word = strndup(w, len);
		if (!allocated(p, word))
			return;
		if (!valid(word))
			bad_value(p, k->name, word, _(rule));
		else
			strlist_add(p, list, word);
		free(word);
		w += len;
		w += strspn(w, " \t");
	}
}

static bool valid_account(const char *word)
{
	return valid_login(word, strlen(word));
}

/* "Lucía Martín, L. Martín" into a list of names, each trimmed; an empty one is an error. */
static void add_names(struct parser *p, const struct key *k, struct strlist *list,
		      const char *value)
{
	for (const char *n = value;; n++) {
		size_t len = strcspn(n, ",");
		char *name = strndup(n, len);
		if (!allocated(p, name))
			return;
		char *trimmed = strip_end(skip_blanks(name));
		if (!*trimmed || strlen(trimmed) > MAX_NAME)
			bad_value(p, k->name, value,
				  _("expected names separated by commas, each of at most 120 bytes"));
		else
			strlist_add(p, list, trimmed);
		free(name);
		n += len;
		if (!*n)
			break;
	}
}

/* The characters of an HTTP token (RFC 9110, 5.6.2), which a header's name is. */
#define HEADER_TOKEN "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

/* A numeric IPv4 or IPv6 address, as [serve] proxies lists them. */
static bool numeric_address(const char *word)
{
	unsigned char scratch[sizeof(struct in6_addr)];
	return inet_pton(AF_INET, word, scratch) == 1 || inet_pton(AF_INET6, word, scratch) == 1;
}

static void set_roles(struct parser *p, const struct key *k, unsigned *roles, const char *value)
{
	static const enum config_role all[] = {CONFIG_ROLE_AUTHOR, CONFIG_ROLE_APPROVER,
					       CONFIG_ROLE_OPERATOR};
	for (const char *w = value; *w;) {
		size_t len = strcspn(w, " \t");
		size_t i = 0;
		while (i < sizeof all / sizeof *all &&
		       (strlen(config_role_name(all[i])) != len ||
			strncmp(config_role_name(all[i]), w, len)))
			i++;
		if (i == sizeof all / sizeof *all) {
			char *word = strndup(w, len);
			if (allocated(p, word))
				bad_value(p, k->name, word,
					  _("expected author, approver or operator, separated by spaces"));
			free(word);
		} else {
			*roles |= (unsigned)all[i];
		}
		w += len;
		w += strspn(w, " \t");
	}
}

/* The recipients of a "to" line of t, separated by blanks or commas, each with its line:
 * their form is checked here, the people they name once every section is read
 * (check_recipients()). They are resolved when a message is sent (lib/notify), so the list
 * keeps them as written. */
static void add_recipients(struct parser *p, struct config_notify *t, const char *value)
{
	char *copy = strdup(value);
	if (!allocated(p, copy))
		return;
	char *save = NULL;
	for (char *word = strtok_r(copy, " \t,", &save); word; word = strtok_r(NULL, " \t,", &save)) {
		bool ok = word[0] == '@'     ? notify_group_find(word) != NULL
			  : strchr(word, '@') ? valid_email(word)
					      : valid_id(word);
		/* kept even when refused (the file is rejected): "has no 'to'" would only add noise */
		if (!ok)
			bad_value(p, "to", word,
				  _("expected e-mail addresses such as guardia@example.org, [person] ids, "
				    "@approvers, @operators or @author"));
		int *lines = grow(t->to_lines, t->to.count, sizeof *lines);
		if (!lines) {
			p->out_of_memory = true;
			break;
		}
		t->to_lines = lines;
		lines[t->to.count] = p->line;
		if (!strlist_add(p, &t->to, word))
			break;
	}
	free(copy);
}

/* "incident_confirmed draft_waiting …": the events a target hears of. */
static void set_events(struct parser *p, unsigned *events, const char *value)
{
	char *copy = strdup(value);
	if (!allocated(p, copy))
		return;
	*events = 0;
	char *save = NULL;
	for (char *word = strtok_r(copy, " \t,", &save); word; word = strtok_r(NULL, " \t,", &save)) {
		enum notify_event ev;
		if (notify_event_parse(word, &ev))
			*events |= 1u << ev;
		else
			bad_value(p, "events", word, _("expected event names such as incident_confirmed (see the manual)"));
	}
	free(copy);
}

/* Validates value for key k and stores it at base + k->offset. */
/* The keys that take one word of a few, each word an enum's value (every enum of config.h
 * is stored as an int, as T_PLURAL's is). */
static const struct {
	enum value_type type;
	const char *expected;
	struct {
		const char *word;
		int value;
	} words[4]; /* ended by a NULL word */
} word_keys[] = {
	{T_POLICY, N_("expected auto or review"),
	 {{"auto", CONFIG_POLICY_AUTO}, {"review", CONFIG_POLICY_REVIEW}}},
	{T_NOTIFY_TYPE, N_("expected smtp or webhook"),
	 {{"smtp", CONFIG_NOTIFY_SMTP}, {"webhook", CONFIG_NOTIFY_WEBHOOK}}},
	{T_CHANNEL_TYPE, N_("expected x, mastodon or bluesky"),
	 {{"x", CONFIG_CHANNEL_X}, {"mastodon", CONFIG_CHANNEL_MASTODON}, {"bluesky", CONFIG_CHANNEL_BLUESKY}}},
	{T_THREAD_MODE, N_("expected replies or single"),
	 {{"replies", CONFIG_THREAD_REPLIES}, {"single", CONFIG_THREAD_SINGLE}}},
};

/* *slot, an enum of k's type in word_keys, set to value's word; bad otherwise. */
static void set_word(struct parser *p, const struct key *k, void *slot, const char *value)
{
	for (size_t i = 0; i < sizeof word_keys / sizeof *word_keys; i++) {
		if (word_keys[i].type != k->type)
			continue;
		for (size_t w = 0; word_keys[i].words[w].word; w++)
			if (!strcmp(value, word_keys[i].words[w].word)) {
				*(int *)slot = word_keys[i].words[w].value;
				return;
			}
		bad_value(p, k->name, value, _(word_keys[i].expected));
		return;
	}
}

static void set_value(struct parser *p, const struct key *k, void *base, const char *value)
{
	void *slot = (char *)base + k->offset;
	char why[256];

	if (!*value && k->type != T_LONG && k->type != T_STATUSSET) {
		diag_add(p->diags, p->path, p->line, _("empty value for '%s'"), k->name);
		return;
	}
	bool single_url = k->type == T_URL || k->type == T_PUBLIC_URL || k->type == T_URL_TEMPLATE;
	if (single_url && !config_url_ok(value, why, sizeof why)) {
		bad_url(p, value, why);
		/* kept anyway (the file is rejected): "has no 'url'" would only add noise */
		set_string(p, slot, value);
		return;
	}

	switch (k->type) {
	case T_STRING:
		if (strlen(value) > MAX_NAME)
			bad_value(p, k->name, value, _("at most 120 bytes"));
		else
			set_string(p, slot, value);
		break;
	case T_TEXT:
		/* not quoted: a text this long would bury the message */
		if (strlen(value) > MAX_TEXT)
			diag_add(p->diags, p->path, p->line, _("value of '%s' too long: %zu bytes, at most %d"),
				 k->name, strlen(value), MAX_TEXT);
		else
			set_string(p, slot, value);
		break;
	case T_PATH: {
		char *resolved = path_resolve(p->dir, value);
		if (allocated(p, resolved)) {
			free(*(char **)slot);
			*(char **)slot = resolved;
		}
		break;
	}
	case T_LONG:
		if (!parse_long(value, k->min, k->max, slot)) {
			char expected[96];
			snprintf(expected, sizeof expected, _("expected a whole number from %ld to %ld"),
				 k->min, k->max);
			bad_value(p, k->name, value, expected);
		}
		break;
	case T_URL:
		set_string(p, slot, value);
		break;
	case T_PUBLIC_URL:
	case T_URL_TEMPLATE:
		if (has_userinfo(value))
			bad_url(p, value, _("an address the feeds publish holds no user or password"));
		else if (k->type == T_URL_TEMPLATE && !strstr(value, "{slug}"))
			bad_value(p, k->name, value, _("expected '{slug}' where each page's name goes"));
		else
			set_string(p, slot, value);
		break;
	case T_CAP_SENDER:
		if (strpbrk(value, " \t,<&") || strlen(value) > MAX_NAME)
			bad_value(p, k->name, value,
				  _("a CAP sender has no spaces, commas, '<' or '&' (at most 120 bytes)"));
		else
			set_string(p, slot, value);
		break;
	case T_CANARY:
		add_canary(p, value);
		break;
	case T_HEADER_LIST:
		if (!valid_header(value)) {
			/* not quoted: without its colon, nothing tells the name from a secret */
			diag_add(p->diags, p->path, p->line,
				 _("invalid value for 'header': expected 'Name: value' (not shown: it may "
				 "hold a secret)"));
			break;
		}
		/* fall through */
	case T_TEXT_LIST:
		strlist_add(p, slot, value);
		break;
	case T_METHOD:
		if (strcmp(value, "GET") && strcmp(value, "HEAD"))
			bad_value(p, k->name, value, _("expected GET or HEAD"));
		else
			set_string(p, slot, value);
		break;
	case T_STATUSSET:
		if (!statusset_parse(value, slot))
			bad_value(p, k->name, value,
				  _("expected codes and ranges from 100 to 599, like 200-299,301"));
		else
			set_string(p, &((struct config_service *)base)->expect_status_text, value);
		break;
	case T_XPATH:
		if (!valid_xpath(value))
			bad_value(p, k->name, value, _("not a valid XPath expression"));
		else
			set_string(p, slot, value);
		break;
	case T_CA_FILE: {
		char *resolved = path_resolve(p->dir, value);
		if (!allocated(p, resolved))
			break;
		/* libcurl opens it blocking, on every probe: a FIFO there would hang every check */
		int fd;
		struct stat st;
		struct ii_error unusable = {0};
		if (path_open_regular(resolved, O_RDONLY, 0, &fd, &st, &unusable)) {
			/* the reason alone: the file is named as the line gives it */
			const char *reason = strstr(unusable.detail, "': ");
			diag_add(p->diags, p->path, p->line, _("cannot read ca_file '%s': %s"), value,
				 reason ? reason + 3 : unusable.detail);
			free(resolved);
			break;
		}
		close(fd);
		free(*(char **)slot);
		*(char **)slot = resolved;
		break;
	}
	case T_POLICY:
	case T_NOTIFY_TYPE:
	case T_CHANNEL_TYPE:
	case T_THREAD_MODE:
		set_word(p, k, slot, value);
		break;
	case T_USD:
		if (!config_usd_parse(value, k->max, slot))
			bad_value(p, k->name, value,
				  _("expected an amount in US dollars with a point, like 0.015 or 50"));
		break;
	case T_BOOL:
	case T_PLURAL: {
		bool yes = !strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "1");
		bool no = !strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "0");
		if (!yes && !no)
			bad_value(p, k->name, value, _("expected true or false"));
		else if (k->type == T_BOOL)
			*(bool *)slot = yes;
		else
			*(int *)slot = yes ? CONFIG_NUMBER_PLURAL : CONFIG_NUMBER_SINGULAR;
		break;
	}
	case T_IN_SENTENCE:
		if (strlen(value) > MAX_NAME)
			bad_value(p, k->name, value, _("at most 120 bytes"));
		else if (capital_article(value))
			bad_value(p, k->name, value,
				  _("write the article in lower case ('la Sede…'): posts capitalise it "
				    "at the start of a sentence"));
		else
			set_string(p, slot, value);
		break;
	case T_SENTENCE:
		if (strlen(value) > MAX_SENTENCE)
			bad_value(p, k->name, value, _("at most 200 bytes"));
		else if (!strchr(".!?", value[strlen(value) - 1]) &&
			 !(strlen(value) >= 3 && !strcmp(value + strlen(value) - 3, "…")))
			bad_value(p, k->name, value,
				  _("expected a whole sentence, ending with '.', '!' or '?'"));
		else
			set_string(p, slot, value);
		break;
	case T_EMAIL:
		if (!valid_email(value))
			bad_value(p, k->name, value, _("expected one address, like name@example.org"));
		else
			set_string(p, slot, value);
		break;
	case T_LOGIN:
		if (!valid_login(value, strlen(value)))
			bad_value(p, k->name, value, _(login_rule));
		else
			set_string(p, slot, value);
		break;
	case T_LOGIN_LIST:
		add_words(p, k, slot, value, valid_account, login_rule);
		break;
	case T_NAME_LIST:
		add_names(p, k, slot, value);
		break;
	case T_ROLES:
		set_roles(p, k, slot, value);
		break;
	case T_VISIBILITY:
		if (strcmp(value, "public") && strcmp(value, "unlisted"))
			bad_value(p, k->name, value, _("expected public or unlisted"));
		else
			set_string(p, slot, value);
		break;
	case T_RECIPIENTS:
		add_recipients(p, base, value);
		break;
	case T_EVENTS:
		set_events(p, slot, value);
		break;
	case T_RAW_URL:
		set_string(p, slot, value);
		break;
	case T_LISTEN:
		if (!config_listen_parse(value, NULL, 0, NULL))
			bad_value(p, k->name, value,
				  _("expected a numeric address and a port, like 127.0.0.1:8080 or "
				    "[::1]:8080"));
		else
			set_string(p, slot, value);
		break;
	case T_HEADER_NAME:
		if (strspn(value, HEADER_TOKEN) != strlen(value) || strlen(value) > MAX_NAME)
			bad_value(p, k->name, value, _("expected a header name, like X-Remote-User"));
		else
			set_string(p, slot, value);
		break;
	case T_IP_LIST:
		add_words(p, k, slot, value, numeric_address,
			  N_("expected numeric IPv4 or IPv6 addresses separated by spaces"));
		break;
	case T_TIMEZONE:
		if (!known_timezone(value))
			diag_add(p->diags, p->path, p->line, _("unknown time zone '%s'"), value);
		else
			set_string(p, slot, value);
		break;
	}
}

static void on_value(struct parser *p, const char *name, const char *value)
{
	const char *section = p->section;
	if (p->kind == SEC_NONE) {
		/* keys outside any section, or in a section already reported */
		if (!*section && p->seen_count == 0)
			diag_add(p->diags, p->path, p->line, _("key '%s' outside of any section"), name);
		return;
	}
	const struct key *k = p->keys;
	size_t index = 0;
	for (; k->name && strcmp(k->name, name); k++)
		index++;
	if (!k->name) {
		const char *hint = suggest(p->keys, name);
		if (hint)
			diag_add(p->diags, p->path, p->line,
				 _("unknown key '%s' in [%s] (did you mean '%s'?)"), name,
				 section, hint);
		else
			diag_add(p->diags, p->path, p->line, _("unknown key '%s' in [%s]"), name,
				 section);
		return;
	}
	bool repeatable = k->type == T_CANARY || k->type == T_TEXT_LIST || k->type == T_HEADER_LIST ||
			  k->type == T_RECIPIENTS;
	if (!repeatable && (p->keys_set & (1ull << index))) {
		diag_add(p->diags, p->path, p->line, _("duplicate key '%s' in [%s]"), name,
			 section);
		return;
	}
	p->keys_set |= 1ull << index;
	if (p->kind == SEC_CANARY && (k->type != T_CANARY || !p->canary_line))
		p->canary_line = p->line;
	if (p->kind == SEC_POLICY && k->offset == G(two_person))
		p->two_person_line = p->line;
	set_value(p, k, p->item ? p->item : (void *)p->cfg, value);
}

/* inih's rule: ';' starts a comment at the start of a line or after a blank */
static char *find_chars_or_comment(char *s, const char *chars)
{
	bool after_blank = false;
	while (*s && !(chars && strchr(chars, *s)) && !(after_blank && *s == ';')) {
		after_blank = isspace((unsigned char)*s);
		s++;
	}
	return s;
}

static char *strip_end(char *s)
{
	char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static char *skip_blanks(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/*
 * One line of the file, without its line ending, in the INI dialect inih reads: "[section]",
 * "key = value" or "key: value", comments after ';' or '#' at the start of a line and after
 * ";" following a blank. inih itself is not used: the packaged library's line buffer is
 * fixed at 200 bytes when it is built, too short for the portals' URLs. Leading blanks are
 * removed, so an indented key is a key, not inih's continuation of the previous value.
 */
static void parse_line(struct parser *p, char *line, size_t len)
{
	if (len > MAX_LINE || memchr(line, '\0', len)) {
		if (len > MAX_LINE)
			diag_add(p->diags, p->path, p->line,
				 _("line too long (at most %d characters)"), MAX_LINE);
		else
			diag_add(p->diags, p->path, p->line, _("NUL character in line"));
		p->line_skipped = true;
		return;
	}
	if (p->line == 1 && !strncmp(line, "\xEF\xBB\xBF", 3))
		line += 3; /* a UTF-8 byte-order mark */
	char *start = strip_end(skip_blanks(line));
	if (!*start || *start == ';' || *start == '#')
		return;
	char *end = find_chars_or_comment(start + (*start == '['), *start == '[' ? "]" : "=:");
	if (*start == '[' && *end == ']') {
		*end = '\0';
		begin_section(p, start + 1);
		p->section = p->kind == SEC_NONE ? "" : p->seen[p->seen_count - 1].name;
	} else if (*start != '[' && (*end == '=' || *end == ':')) {
		*end = '\0';
		char *value = end + 1;
		*find_chars_or_comment(value, NULL) = '\0';
		on_value(p, strip_end(start), strip_end(skip_blanks(value)));
	} else {
		diag_add(p->diags, p->path, p->line,
			 _("syntax error: expected '[section]' or 'key = value'"));
	}
}

static void parse_text(struct parser *p, char *text, size_t len)
{
	char *end = text + len;
	for (char *line = text; line < end; p->line++) {
		char *newline = memchr(line, '\n', (size_t)(end - line));
		char *stop = newline ? newline : end;
		size_t n = (size_t)(stop - line);
		if (n > 0 && line[n - 1] == '\r')
			n--;
		line[n] = '\0'; /* text holds one byte more than len */
		parse_line(p, line, n);
		line = stop + 1;
	}
}

static void check_service(struct parser *p, const struct config_service *s)
{
	if (!s->url)
		diag_add(p->diags, p->path, s->line, _("[service %s] has no 'url'"), s->id);
	if (s->degraded_ms >= s->timeout_ms)
		diag_add(p->diags, p->path, s->line, _("'degraded_ms' (%ld) must be below 'timeout_ms' (%ld)"),
			 s->degraded_ms, s->timeout_ms);
}

/* The normalized forms of the names person answers to: id, name, aliases. */
static bool add_person_keys(struct parser *p, struct config_person *person)
{
	const char *names[2] = {person->id, person->name};
	for (size_t i = 0; i < 2 + person->aliases.count; i++) {
		const char *name = i < 2 ? names[i] : person->aliases.items[i - 2];
		char *key;
		struct ii_error e = {0};
		if (!name)
			continue;
		ii_err rc = people_name_key(name, &key, &e);
		if (rc == II_EDATA)
			diag_add(p->diags, p->path, person->line, "%s", e.detail);
		if (rc == II_ENOMEM)
			p->out_of_memory = true;
		if (rc)
			return false;
		bool added = strlist_add(p, &person->keys, key);
		free(key);
		if (!added)
			return false;
	}
	return true;
}

bool config_url_loopback(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;
	bool loopback = u &&
			curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
			curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && loopback_host(host);
	curl_free(host);
	curl_url_cleanup(u);
	return loopback;
}

/* A mail server's address: smtps://HOST[:PORT] (TLS from the start) or smtp://HOST[:PORT]
 * (STARTTLS, required unless HOST is loopback), nothing after the host. */
static bool smtp_url_ok(const char *url, char *why, size_t why_len)
{
	if (strncasecmp(url, "smtps://", 8) && strncasecmp(url, "smtp://", 7)) {
		snprintf(why, why_len, _("expected smtps://HOST:PORT or smtp://HOST:PORT"));
		return false;
	}
	const char *host = strstr(url, "://") + 3;
	if (!*host || host[strcspn(host, "/?#@")]) {
		snprintf(why, why_len, _("expected smtps://HOST:PORT or smtp://HOST:PORT, without "
					 "user, path or query (credentials go in the credentials file)"));
		return false;
	}
	return true;
}

/* Whether list holds item. */
static bool strlist_has(const struct strlist *list, const char *item)
{
	for (size_t i = 0; i < list->count; i++)
		if (!strcmp(list->items[i], item))
			return true;
	return false;
}

/*
 * What makes the people one per person: each needs a name, and no account, web login or
 * normalized name may belong to two of them, or the audit trail and the two-person rule
 * would not know whom it means. The name of automatic actions is nobody's.
 */
static void check_people(struct parser *p)
{
	struct config *cfg = p->cfg;
	char *reserved = NULL;
	struct ii_error e = {0};
	if (people_name_key(DRAFT_SYSTEM_NAME, &reserved, &e) == II_ENOMEM)
		p->out_of_memory = true;
	for (size_t i = 0; i < cfg->person_count; i++) {
		struct config_person *b = &cfg->people[i];
		if (!b->name)
			diag_add(p->diags, p->path, b->line, _("[person %s] has no 'name'"), b->id);
		if (!add_person_keys(p, b))
			continue;
		if (reserved && strlist_has(&b->keys, reserved))
			diag_add(p->diags, p->path, b->line,
				 _("[person %s] is named '%s', the name of the program's own actions"),
				 b->id, DRAFT_SYSTEM_NAME);
		/* root is every administrator (su, sudo -i, a root shell): it names nobody */
		if (strlist_has(&b->os_users, "root"))
			diag_add(p->diags, p->path, b->line,
				 _("[person %s] lists 'root' in os_users: every administrator is root, "
				   "so it names nobody; through sudo, each acts as their own account"),
				 b->id);
		for (size_t j = 0; j < i; j++) {
			const struct config_person *a = &cfg->people[j];
			for (size_t k = 0; k < b->os_users.count; k++)
				if (strlist_has(&a->os_users, b->os_users.items[k]))
					diag_add(p->diags, p->path, b->line,
						 _("[person %s] and [person %s] (line %d) both claim the OS "
						   "user '%s'"),
						 b->id, a->id, a->line, b->os_users.items[k]);
			if (a->web_login && b->web_login && !strcmp(a->web_login, b->web_login))
				diag_add(p->diags, p->path, b->line,
					 _("[person %s] and [person %s] (line %d) both claim the web "
					   "login '%s'"),
					 b->id, a->id, a->line, b->web_login);
			for (size_t k = 0; k < b->keys.count; k++)
				if (strlist_has(&a->keys, b->keys.items[k])) {
					diag_add(p->diags, p->path, b->line,
						 _("[person %s] and [person %s] (line %d) both answer to the "
						   "name '%s' (names are compared without regard to case, "
						   "accents and spaces)"),
						 b->id, a->id, a->line, b->keys.items[k]);
					break;
				}
		}
	}
	free(reserved);
	/* without people the rule could only compare names as typed, which a space defeats */
	if (cfg->two_person && cfg->person_count == 0)
		diag_add(p->diags, p->path, p->two_person_line,
			 _("two_person = true needs the people in [person ID] sections: without "
			   "them the rule would compare names as they are typed"));
}

/* The people t's "to" names exist and can be written to: a person by id with an email, a
 * group with at least one member with an email. */
static void check_recipients(struct parser *p, const struct config_notify *t)
{
	const struct config *cfg = p->cfg;
	for (size_t i = 0; i < t->to.count; i++) {
		const char *word = t->to.items[i];
		int line = t->to_lines[i];
		const struct notify_group *g = notify_group_find(word);
		if (g) {
			size_t reached = 0;
			for (size_t k = 0; k < cfg->person_count; k++)
				reached += cfg->people[k].email && people_has_role(&cfg->people[k], g->role);
			if (!cfg->person_count)
				diag_add(p->diags, p->path, line,
					 _("[notify %s]: 'to' names %s, but no [person ID] section says who "
					   "that is"),
					 t->id, word);
			else if (!reached)
				diag_add(p->diags, p->path, line,
					 _("[notify %s]: 'to' names %s, but no person with the role '%s' has "
					   "an email"),
					 t->id, word, config_role_name(g->role));
			continue;
		}
		if (strchr(word, '@') || !valid_id(word))
			continue;
		const struct config_person *person = people_by_id(cfg, word);
		if (!person)
			diag_add(p->diags, p->path, line,
				 _("[notify %s]: 'to' names '%s', who is no [person] of the configuration"),
				 t->id, word);
		else if (!person->email)
			diag_add(p->diags, p->path, line,
				 _("[notify %s]: 'to' names %s (%s), who has no email"), t->id,
				 person->name, person->id);
	}
}

/* The keys a [notify ID] needs for its type, and the address its type can reach. */
static void check_notify(struct parser *p, const struct config_notify *t)
{
	char why[256];
	if (t->type == CONFIG_NOTIFY_NONE) {
		diag_add(p->diags, p->path, t->line, _("[notify %s] has no 'type' (smtp or webhook)"), t->id);
		return;
	}
	if (t->type == CONFIG_NOTIFY_SMTP) {
		if (!t->url)
			diag_add(p->diags, p->path, t->line, _("[notify %s] has no 'url'"), t->id);
		else if (!smtp_url_ok(t->url, why, sizeof why))
			diag_add(p->diags, p->path, t->line, _("[notify %s]: invalid url '%s': %s"), t->id,
				 t->url, why);
		if (!t->from)
			diag_add(p->diags, p->path, t->line, _("[notify %s] has no 'from'"), t->id);
		if (!t->to.count)
			diag_add(p->diags, p->path, t->line, _("[notify %s] has no 'to'"), t->id);
		check_recipients(p, t);
		return;
	}
	/* a webhook's address is often its only secret (Slack, Teams): then it goes in the
	 * credentials file as url=, never here, where `config` would show it */
	if (!t->url && !t->credentials)
		diag_add(p->diags, p->path, t->line,
			 _("[notify %s] has no 'url' and no 'credentials' holding one"), t->id);
	else if (t->url && !config_url_ok(t->url, why, sizeof why))
		diag_add(p->diags, p->path, t->line, _("[notify %s]: invalid url '%s': %s"), t->id,
			 t->url, why);
	else if (t->url && has_userinfo(t->url))
		diag_add(p->diags, p->path, t->line,
			 _("[notify %s]: the url holds a user or password: put a secret address in the "
			   "credentials file as url="),
			 t->id);
	if (t->from || t->to.count)
		diag_add(p->diags, p->path, t->line,
			 _("[notify %s]: 'from' and 'to' are for type smtp"), t->id);
}

/* A type x [channel ID] is [twitter] written long: its values become X's, before the
 * defaults fill what neither gave. */
static void move_x_channel(struct parser *p)
{
	struct config *cfg = p->cfg;
	int x_line = 0;
	for (size_t i = 0; i < p->seen_count; i++)
		if (!strcmp(p->seen[i].name, "twitter"))
			x_line = p->seen[i].line;
	for (size_t i = 0; i < cfg->channel_count; i++) {
		struct config_channel *c = &cfg->channels[i];
		if (c->type != CONFIG_CHANNEL_X)
			continue;
		if (x_line) {
			diag_add(p->diags, p->path, c->line,
				 _("[channel %s]: X is configured already at line %d: one X account only"),
				 c->id, x_line);
			continue;
		}
		x_line = c->line;
		char **from[] = {&c->api_url, &c->credentials, &c->ca_file};
		char **to[] = {&cfg->api_url, &cfg->credentials, &cfg->api_ca_file};
		for (size_t k = 0; k < sizeof from / sizeof from[0]; k++) {
			*to[k] = *from[k];
			*from[k] = NULL;
		}
		cfg->thread_delay_ms = c->thread_delay_ms;
		cfg->api_timeout_ms = c->timeout_ms;
		cfg->x_thread_mode = c->thread_mode;
	}
}

/* X's single post links to the whole text: a notice's entry in the Atom feeds (lib/cut),
 * which needs their public address. */
static void check_thread_mode(struct parser *p)
{
	if (p->cfg->x_thread_mode == CONFIG_THREAD_SINGLE && !p->cfg->feeds.base_url)
		diag_add(p->diags, p->path, 0,
			 _("thread_mode = single needs [feeds] base_url: X's single post links to the"
			   " whole text in the feeds"));
}

/* The keys a [channel ID] needs for its type. */
static void check_channel(struct parser *p, const struct config_channel *c)
{
	char why[256];
	if (c->type == CONFIG_CHANNEL_NONE) {
		diag_add(p->diags, p->path, c->line, _("[channel %s] has no 'type' (x, mastodon or bluesky)"),
			 c->id);
		return;
	}
	const char *const mastodon_only[] = {c->visibility ? "visibility" : NULL,
					     c->public_url ? "public_url" : NULL};
	for (size_t i = 0; c->type != CONFIG_CHANNEL_MASTODON && i < 2; i++)
		if (mastodon_only[i])
			diag_add(p->diags, p->path, c->line, _("[channel %s]: '%s' is for type mastodon"),
				 c->id, mastodon_only[i]);
	if (c->type == CONFIG_CHANNEL_X)
		return;
	/* "x" is X's key in the store: another network there would share X's journal */
	if (!strcmp(c->id, "x"))
		diag_add(p->diags, p->path, c->line, _("[channel x] is X's: give this channel another id"));
	if (!c->api_url)
		diag_add(p->diags, p->path, c->line, _("[channel %s] has no 'api_url'"), c->id);
	else if (!config_url_ok(c->api_url, why, sizeof why)) {
		char shown[1024];
		quotable_url(c->api_url, shown, sizeof shown);
		diag_add(p->diags, p->path, c->line, _("[channel %s]: invalid api_url '%s': %s"), c->id,
			 shown, why);
	}
	if (!c->credentials)
		diag_add(p->diags, p->path, c->line, _("[channel %s] has no 'credentials'"), c->id);
}

static bool fill_defaults(struct parser *p)
{
	struct config *cfg = p->cfg;
	struct {
		char **slot;
		const char *value;
	} paths[] = {
		{&cfg->state_dir, "var"},
		{&cfg->notices_dir, "notices"},
		{&cfg->feeds_dir, "feeds"},
	};
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (!*paths[i].slot && !allocated(p, *paths[i].slot = path_resolve(p->dir, paths[i].value)))
			return false;
	if (!cfg->timezone && !allocated(p, cfg->timezone = strdup("Europe/Madrid")))
		return false;
	if (!cfg->api_url && !allocated(p, cfg->api_url = strdup("https://api.x.com")))
		return false;
	struct config_feeds *f = &cfg->feeds;
	if (!f->title && !allocated(p, f->title = strdup("Seguridad Social")))
		return false;
	if (!f->author &&
	    !allocated(p, f->author = strdup("Ministerio de Inclusión, Seguridad Social y Migraciones")))
		return false;
	if (!f->sender && !allocated(p, f->sender = strdup("incluinfo")))
		return false;
	if (!f->sender_name && !allocated(p, f->sender_name = strdup(f->author)))
		return false;
	if (cfg->ca_file && !cfg->api_ca_file && !allocated(p, cfg->api_ca_file = strdup(cfg->ca_file)))
		return false;
	for (size_t i = 0; i < cfg->notify_count; i++)
		if (cfg->ca_file && !cfg->notify[i].ca_file &&
		    !allocated(p, cfg->notify[i].ca_file = strdup(cfg->ca_file)))
			return false;
	for (size_t i = 0; i < cfg->channel_count; i++) {
		struct config_channel *c = &cfg->channels[i];
		if (c->type == CONFIG_CHANNEL_X)
			continue;
		if (cfg->ca_file && !c->ca_file && !allocated(p, c->ca_file = strdup(cfg->ca_file)))
			return false;
		if (c->type == CONFIG_CHANNEL_MASTODON && !c->visibility &&
		    !allocated(p, c->visibility = strdup("public")))
			return false;
	}
	struct config_serve *sv = &cfg->serve;
	if (!sv->listen && !allocated(p, sv->listen = strdup(CONFIG_SERVE_LISTEN)))
		return false;
	if (!sv->user_header && !allocated(p, sv->user_header = strdup("X-Remote-User")))
		return false;
	if (!sv->proxies.count && (!strlist_add(p, &sv->proxies, "127.0.0.1") ||
				   !strlist_add(p, &sv->proxies, "::1")))
		return false;
	if (!sv->public_url && asprintf(&sv->public_url, "http://%s/", sv->listen) < 0) {
		sv->public_url = NULL;
		p->out_of_memory = true;
		return false;
	}
	long longest = 0;
	for (size_t i = 0; i < cfg->service_count; i++) {
		struct config_service *s = &cfg->services[i];
		if (cfg->ca_file && !s->ca_file && !allocated(p, s->ca_file = strdup(cfg->ca_file)))
			return false;
		if (s->timeout_ms > longest)
			longest = s->timeout_ms;
		if (!s->name && !allocated(p, s->name = strdup(s->id)))
			return false;
		/* without it the name is written as it is, like a name without article */
		s->in_sentence_default = !s->in_sentence;
		if (!s->in_sentence && !allocated(p, s->in_sentence = strdup(s->name)))
			return false;
		s->plural = s->number_key == CONFIG_NUMBER_BY_ARTICLE
				    ? !strncmp(s->in_sentence, "los ", 4) || !strncmp(s->in_sentence, "las ", 4)
				    : s->number_key == CONFIG_NUMBER_PLURAL;
		if (!s->alternative && !allocated(p, s->alternative = strdup("")))
			return false;
		if (!s->public_url && s->url && config_url_ok(s->url, NULL, 0) &&
		    !allocated(p, s->public_url = config_public_url(s->url)))
			return false;
		if (!s->method && !allocated(p, s->method = strdup("GET")))
			return false;
		if (!s->expect_status_text && !allocated(p, s->expect_status_text = strdup("200-299")))
			return false;
	}
	/* one hanging canary must not make every check slower than its services or the run
	 * allow; at least 1 ms, as 0 would be no timeout at all */
	if (!cfg->canary_timeout_ms) {
		long fits = (cfg->run_timeout * 1000 - RUN_MARGIN_MS) / (CONFIG_CANARY_RETRIES + 1);
		long chosen = longest && longest < CANARY_TIMEOUT_MS ? longest : CANARY_TIMEOUT_MS;
		cfg->canary_timeout_ms = chosen < fits ? chosen : fits > 0 ? fits : 1;
	}
	return true;
}

/*
 * The check step of a run must end before run_timeout, or a hanging site stops every run
 * in that step and is never judged: each probe with its retries, plus a second for the
 * rest of the step, must fit.
 */
static void check_run_timeout(struct parser *p)
{
	const struct config *cfg = p->cfg;
	long limit = cfg->run_timeout * 1000;
	for (size_t i = 0; i < cfg->service_count; i++) {
		const struct config_service *s = &cfg->services[i];
		long needed = s->timeout_ms * (s->retries + 1) + RUN_MARGIN_MS;
		if (needed > limit)
			diag_add(p->diags, p->path, s->line,
				 _("service '%s' cannot be judged within run_timeout (%ld s): timeout_ms "
				 "× (retries + 1) + %d ms = %ld ms is over %ld ms"),
				 s->id, cfg->run_timeout, RUN_MARGIN_MS, needed, limit);
	}
	/* the pages of expect_xpath are judged one after another once the probes are in, each
	 * in at most HEALTH_XPATH_MS: together with the slowest probe they must fit too */
	long slowest = 0, pages = 0;
	int last_xpath_line = 0;
	for (size_t i = 0; i < cfg->service_count; i++) {
		const struct config_service *s = &cfg->services[i];
		long probe = s->timeout_ms * (s->retries + 1);
		slowest = probe > slowest ? probe : slowest;
		if (s->expect_xpath) {
			pages++;
			last_xpath_line = s->line;
		}
	}
	long judged = slowest + pages * HEALTH_XPATH_MS + RUN_MARGIN_MS;
	if (pages && judged > limit)
		diag_add(p->diags, p->path, last_xpath_line,
			 _("the %ld services with expect_xpath cannot be judged within run_timeout (%ld s): "
			 "the slowest probe + %ld × %d ms + %d ms = %ld ms is over %ld ms"),
			 pages, cfg->run_timeout, pages, HEALTH_XPATH_MS, RUN_MARGIN_MS, judged, limit);
	long needed = cfg->canary_timeout_ms * (CONFIG_CANARY_RETRIES + 1) + RUN_MARGIN_MS;
	if (cfg->canary_count && needed > limit)
		diag_add(p->diags, p->path, p->canary_line,
			 _("canaries cannot be judged within run_timeout (%ld s): timeout_ms × (%d + "
			 "1) + %d ms = %ld ms is over %ld ms"),
			 cfg->run_timeout, CONFIG_CANARY_RETRIES, RUN_MARGIN_MS, needed, limit);
}

/* far more than any configuration needs, and little enough to hold in memory */
#define CONFIG_MAX_FILE (1024u * 1024)

ii_err config_load(const char *path, struct config **out, struct diag_list *diags,
		   struct ii_error *e)
{
	*out = NULL;
	struct parser p = {.path = path, .diags = diags, .section = "", .line = 1};
	char *text;
	size_t len;
	struct ii_error why = {0};
	ii_err read = path_read_limited(path, CONFIG_MAX_FILE, &text, &len, &why);
	if (read)
		return ii_fail(e, read == II_ENOMEM ? read : II_ECONFIG, "%s", why.detail);
	if (len > CONFIG_MAX_FILE) {
		free(text);
		return ii_fail(e, II_ECONFIG, _("cannot read '%s': larger than %u KiB"), path,
			       CONFIG_MAX_FILE / 1024);
	}
	p.cfg = calloc(1, sizeof *p.cfg);
	p.dir = path_dirname(path);
	if (!p.cfg || !p.dir || !(p.cfg->path = strdup(path))) {
		free(text);
		free(p.dir);
		config_free(p.cfg);
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	}
	p.cfg->history_days = 90;
	p.cfg->run_timeout = 50;
	p.cfg->thread_delay_ms = 2000;
	p.cfg->api_timeout_ms = 30000;
	p.cfg->x_cost = (struct config_x_cost){
		.post = CONFIG_X_PRICE_POST, .post_url = CONFIG_X_PRICE_POST_URL,
		.read = CONFIG_X_PRICE_READ, .remove = CONFIG_X_PRICE_DELETE, .budget = -1,
		.warning = 80,
	};
	p.cfg->feeds.max_entries = 50;
	p.cfg->incidents = CONFIG_POLICY_AUTO;
	p.cfg->notices = CONFIG_POLICY_REVIEW;

	size_t errors_before = diag_count(diags);
	/* the file is read whole and bounded above, so it is parsed where it lies */
	parse_text(&p, text, len);
	free(text);
	move_x_channel(&p);
	bool filled = fill_defaults(&p);
	if (!p.line_skipped) {
		for (size_t i = 0; i < p.cfg->service_count; i++)
			check_service(&p, &p.cfg->services[i]);
		check_people(&p);
		for (size_t i = 0; i < p.cfg->notify_count; i++)
			check_notify(&p, &p.cfg->notify[i]);
		for (size_t i = 0; i < p.cfg->channel_count; i++)
			check_channel(&p, &p.cfg->channels[i]);
		if (p.cfg->channel_count > CONFIG_MAX_CHANNELS)
			diag_add(p.diags, p.path, p.cfg->channels[CONFIG_MAX_CHANNELS].line,
				 _("more than %d [channel ID] sections"), CONFIG_MAX_CHANNELS);
		if (filled)
			check_run_timeout(&p);
		check_thread_mode(&p);
	}

	for (size_t i = 0; i < p.seen_count; i++)
		free(p.seen[i].name);
	free(p.seen);
	free(p.dir);

	ii_err rc = II_OK;
	if (p.out_of_memory || !filled)
		rc = ii_fail(e, II_ENOMEM, _("out of memory"));
	else if (diag_count(diags) > errors_before)
		rc = ii_fail(e, II_ECONFIG, _("invalid configuration '%s'"), path);
	if (rc != II_OK) {
		config_free(p.cfg);
		return rc;
	}
	*out = p.cfg;
	return II_OK;
}

static void service_free(struct config_service *s)
{
	free(s->id);
	free(s->name);
	free(s->in_sentence);
	free(s->alternative);
	free(s->url);
	free(s->public_url);
	free(s->method);
	strlist_free(&s->headers);
	free(s->expect_status_text);
	strlist_free(&s->expect_text);
	strlist_free(&s->reject_text);
	free(s->expect_xpath);
	free(s->ca_file);
}

static void person_free(struct config_person *person)
{
	free(person->id);
	free(person->name);
	free(person->email);
	free(person->web_login);
	strlist_free(&person->os_users);
	strlist_free(&person->aliases);
	strlist_free(&person->keys);
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->person_count; i++)
		person_free(&cfg->people[i]);
	free(cfg->people);
	for (size_t i = 0; i < cfg->service_count; i++)
		service_free(&cfg->services[i]);
	free(cfg->services);
	for (size_t i = 0; i < cfg->canary_count; i++) {
		free(cfg->canaries[i].url);
		free(cfg->canaries[i].expect_status_text);
	}
	free(cfg->canaries);
	for (size_t i = 0; i < cfg->notify_count; i++) {
		struct config_notify *t = &cfg->notify[i];
		free(t->id);
		free(t->url);
		free(t->from);
		strlist_free(&t->to);
		free(t->to_lines);
		free(t->credentials);
		free(t->ca_file);
	}
	free(cfg->notify);
	for (size_t i = 0; i < cfg->channel_count; i++) {
		struct config_channel *c = &cfg->channels[i];
		free(c->id);
		free(c->api_url);
		free(c->credentials);
		free(c->ca_file);
		free(c->visibility);
		free(c->public_url);
	}
	free(cfg->channels);
	free(cfg->ca_file);
	free(cfg->path);
	free(cfg->state_dir);
	free(cfg->notices_dir);
	free(cfg->feeds_dir);
	free(cfg->timezone);
	free(cfg->api_url);
	free(cfg->credentials);
	free(cfg->api_ca_file);
	free(cfg->templates_dir);
	free(cfg->feeds.base_url);
	free(cfg->feeds.title);
	free(cfg->feeds.author);
	free(cfg->feeds.sender);
	free(cfg->feeds.author_url);
	free(cfg->feeds.sender_name);
	free(cfg->feeds.rebuttal_url);
	free(cfg->feeds.notice_url);
	free(cfg->feeds.legal_notice);
	free(cfg->serve.listen);
	free(cfg->serve.user_header);
	strlist_free(&cfg->serve.proxies);
	free(cfg->serve.public_url);
	free(cfg);
}

void config_warn(const struct config *cfg, struct diag_list *warnings)
{
	for (size_t i = 0; i < cfg->service_count; i++)
		if (cfg->services[i].in_sentence_default)
			diag_warn(warnings, cfg->path, cfg->services[i].line,
				  _("service '%s' has no in_sentence, so posts read '%s no funciona' "
				    "without an article: write the name as a sentence says it, like "
				    "'in_sentence = la Sede Electrónica…', or as it is when it takes no "
				    "article, like 'in_sentence = Import@ss'"),
				  cfg->services[i].id, cfg->services[i].name);
	/* a status's address is public_url/ID (see struct config_channel): without it the
	 * feeds' entries lose their link to the thread, and nothing else would say so */
	for (size_t i = 0; cfg->feeds.base_url && i < cfg->channel_count; i++)
		if (cfg->channels[i].type == CONFIG_CHANNEL_MASTODON && !cfg->channels[i].public_url)
			diag_warn(warnings, cfg->path, cfg->channels[i].line,
				  _("channel '%s' has no public_url, so the feeds do not link to its "
				    "posts: give the account's page, like "
				    "'public_url = https://social.example.gob.es/@seguridadsocial'"),
				  cfg->channels[i].id);
	/* a single post's link is what a reader of X follows: a feed is code in a browser */
	if (cfg->x_thread_mode == CONFIG_THREAD_SINGLE && cfg->feeds.base_url && !cfg->feeds.notice_url)
		diag_warn(warnings, cfg->path, 0,
			  _("thread_mode = single links a notice's post on X to the Atom feed, which a "
			    "browser shows as code: give the page where each notice is published, like "
			    "'notice_url = https://www.seg-social.es/avisos/{slug}' in [feeds]"));
}

const struct config_service *config_find_service(const struct config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->service_count; i++)
		if (!strcmp(cfg->services[i].id, id))
			return &cfg->services[i];
	return NULL;
}

const struct config_notify *config_find_notify(const struct config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->notify_count; i++)
		if (!strcmp(cfg->notify[i].id, id))
			return &cfg->notify[i];
	return NULL;
}

const char *config_channel_type_name(enum config_channel_type type)
{
	static const char *const names[] = {
		[CONFIG_CHANNEL_X] = "x", [CONFIG_CHANNEL_MASTODON] = "mastodon",
		[CONFIG_CHANNEL_BLUESKY] = "bluesky",
	};
	return type > CONFIG_CHANNEL_NONE && type <= CONFIG_CHANNEL_BLUESKY ? names[type] : "";
}

const char *config_notify_type_name(enum config_notify_type type)
{
	return type == CONFIG_NOTIFY_SMTP ? "smtp" : type == CONFIG_NOTIFY_WEBHOOK ? "webhook" : "";
}

const char *config_policy_name(enum config_policy policy)
{
	return policy == CONFIG_POLICY_AUTO ? "auto" : "review";
}

const char *config_role_name(enum config_role role)
{
	switch (role) {
	case CONFIG_ROLE_AUTHOR: return "author";
	case CONFIG_ROLE_APPROVER: return "approver";
	case CONFIG_ROLE_OPERATOR: return "operator";
	}
	return "?";
}

char *config_mask_url(const char *url)
{
	CURLU *u = curl_url();
	char *password = NULL, *masked = NULL, *out = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PASSWORD, "********", 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &masked, 0) == CURLUE_OK)
		out = strdup(masked);
	else if (!password)
		out = strdup(url); /* nothing secret in it */
	curl_free(password);
	curl_free(masked);
	curl_url_cleanup(u);
	return out;
}
