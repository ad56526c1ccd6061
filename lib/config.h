#ifndef INCLUINFO_CONFIG_H
#define INCLUINFO_CONFIG_H

/*
 * The configuration file (INI in inih's dialect, lines of at most 8192 characters).
 * config_load() returns a struct config that the caller owns and releases with
 * config_free(); everything reachable from it
 * belongs to it and is read-only for the rest of the program, which is why the struct is
 * public: it is a validated record, not an object with behaviour. Paths in it are already
 * resolved against the configuration file's folder.
 */

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "error.h"
#include "statusset.h"

struct strlist {
	char **items;
	size_t count;
};

enum config_policy { CONFIG_POLICY_AUTO, CONFIG_POLICY_REVIEW };

/* What a person may do (issue 15): bits of struct config_person's roles. */
enum config_role {
	CONFIG_ROLE_AUTHOR = 1 << 0,   /* may sign a notice as its autor */
	CONFIG_ROLE_APPROVER = 1 << 1, /* may approve, reject and retract drafts */
	CONFIG_ROLE_OPERATOR = 1 << 2, /* may open, update and resolve incidents and publish by hand */
};

/*
 * A [person ID] section: someone who acts on the channel. The program knows them by the
 * operating-system accounts and the web login that act as them, and by the names authors
 * write in a notice's autor (lib/people.h looks them up). No account, login or normalized
 * name belongs to two people: config_load() refuses the file otherwise.
 */
struct config_person {
	char *id;
	char *name;            /* as the audit trail shows it: "Lucía Martín" (required) */
	char *email;           /* one address, local@domain; NULL: none */
	char *web_login;       /* what the reverse proxy says the web user is; NULL: none */
	struct strlist os_users; /* accounts (getpwuid names) that act as this person */
	struct strlist aliases;  /* other spellings authors use in autor */
	struct strlist keys;     /* people_name_key() of id, name and each alias */
	unsigned roles;          /* enum config_role bits */
	int line;                /* of the section header */
};

struct config_service {
	char *id;
	char *name;        /* as a heading reads it: "Sede Electrónica de la Seguridad Social";
			    * default: id */
	char *in_sentence; /* as a sentence reads it, with its article in lower case: "la Sede
			    * Electrónica…", "el Portal…", "Import@ss"; default: name */
	bool in_sentence_default; /* not written: in_sentence is name (config_warn()) */
	/* Whether the name is plural ("los Servicios…"), for the templates' {singular|plural}
	 * choices: the key plural = true|false when written, else whether in_sentence starts
	 * with "los " or "las " (a name without article cannot tell, hence the key). */
	bool plural;
	enum { CONFIG_NUMBER_BY_ARTICLE, CONFIG_NUMBER_SINGULAR, CONFIG_NUMBER_PLURAL } number_key;
	char *alternative; /* what to do meanwhile, one sentence for the posts of an outage;
			    * "" by default (never a number the program makes up) */
	char *url;        /* what is probed: may hold tokens, never published */
	char *public_url; /* what the feeds link to; default: url without query, fragment and
			   * user information */
	char *method; /* "GET" or "HEAD" */
	struct strlist headers; /* "Name: value" */
	char *expect_status_text;
	struct statusset expect_status;
	struct strlist expect_text;
	struct strlist reject_text;
	char *expect_xpath;
	long degraded_ms;
	long timeout_ms;
	long follow_redirects;
	long cert_warn_days;
	long retries;
	long failures_to_open;
	long successes_to_resolve;
	char *ca_file; /* NULL: the system's CA certificates */
	bool announce_degraded;
	long remind_minutes; /* between updates of an open incident; 0: never */
	long flap_limit;     /* incidents within an hour before the service is unstable */
	long grace_minutes;  /* after a maintenance window, before an incident opens */
	int line;      /* of the section header */
};

/* in-run retries of a canary's transient network errors */
#define CONFIG_CANARY_RETRIES 1

/* A [canary] url: a site unrelated to the services that proves this host's network. */
struct config_canary {
	char *url;
	struct statusset expect_status; /* the statuses of a good answer */
	char *expect_status_text;       /* as written; "200-399" by default */
};

enum config_notify_type { CONFIG_NOTIFY_NONE, CONFIG_NOTIFY_SMTP, CONFIG_NOTIFY_WEBHOOK };

/*
 * A [notify ID]: where staff hear of events (lib/notify). An smtp target mails from to
 * every address of to through url (smtps://, or smtp:// with STARTTLS required unless the
 * host is loopback); a webhook target POSTs JSON to url (https, or http on loopback), or to
 * the url= of its credentials file when the address itself is the secret.
 */
struct config_notify {
	char *id;
	enum config_notify_type type;
	char *url;          /* NULL: a webhook's is in its credentials file */
	char *from;         /* smtp: the sender's address */
	struct strlist to;  /* smtp: as written, resolved when sending (notify_recipients()):
			     * e-mail addresses, [person] ids, @approvers, @operators, @author */
	int *to_lines;      /* the line of each entry of to */
	char *credentials;  /* NULL: none (a loopback relay, an open webhook) */
	unsigned events;    /* bit (1u << enum notify_event): the events it hears of; all by default */
	char *ca_file;      /* NULL: the system's CA certificates */
	long timeout_ms;    /* of one delivery, connection included */
	int line;           /* of the section header */
};

/* How X takes a draft of more than one post ([twitter] or [channel x] thread_mode):
 * replies, a thread of answers (the default); single, one post with the headline and a
 * link to the whole text (lib/cut), for an account X does not let answer its own posts. */
enum config_thread_mode { CONFIG_THREAD_REPLIES, CONFIG_THREAD_SINGLE };

enum config_channel_type {
	CONFIG_CHANNEL_NONE, CONFIG_CHANNEL_X, CONFIG_CHANNEL_MASTODON, CONFIG_CHANNEL_BLUESKY,
};

/*
 * A [channel ID]: a network every draft is published to (lib/publish), besides X. ID is
 * the channel's key in the store, for good. A type x section is [twitter] written long:
 * its keys go to struct config's X fields (api_url, credentials…), and the entry keeps
 * only its id, type and line; there is at most one X channel.
 */
/* The most [channel ID] sections a file may hold, besides X: every draft goes to each. */
#define CONFIG_MAX_CHANNELS 8

struct config_channel {
	char *id;
	enum config_channel_type type;
	char *api_url;       /* https, or http on loopback; the instance's for Mastodon, the
			      * PDS's for Bluesky */
	char *credentials;   /* mode 0600; Mastodon: access_token=; Bluesky: identifier= and
			      * app_password= */
	long thread_delay_ms; /* between the posts of a thread; 2000 */
	long timeout_ms;      /* of one request; 30000 */
	char *ca_file;        /* NULL: [general] ca_file, else the system's CA certificates */
	char *visibility;     /* Mastodon: "public" (default) or "unlisted" */
	char *public_url;     /* the account's page as the public reaches it; a status is
			       * public_url/ID there (Mastodon's rule for a local account); NULL:
			       * the feeds do not link to the channel */
	enum config_thread_mode thread_mode; /* type x: moved to struct config's */
	int line;             /* of the section header */
};

struct config {
	char *path;
	char *state_dir;
	char *notices_dir;
	char *feeds_dir;
	char *timezone;
	long history_days;
	struct config_service *services;
	size_t service_count;
	struct config_canary *canaries;
	size_t canary_count;
	long canary_timeout_ms; /* default: the services' longest timeout_ms, at most 10000, and
				   no more than fits in run_timeout */
	char *ca_file;          /* [general]: default of services, canaries and the X API; NULL: system CAs */
	enum config_policy incidents;
	enum config_policy notices;
	bool two_person; /* an author may not approve their own notice; needs people */
	struct config_person *people; /* none: single-operator mode, --by is taken as given */
	size_t person_count;
	long confirm_minutes; /* incidents = auto: how long an outage's public alert waits after
				 staff were told, for a person to hold it; 0: not at all */
	struct config_notify *notify; /* the [notify ID] sections, in the file's order */
	size_t notify_count;
	struct config_channel *channels; /* the [channel ID] sections, in the file's order */
	size_t channel_count;
	char *templates_dir; /* NULL: the templates built into incluinfo */
	long run_timeout;    /* seconds a `run` may take; every service's timeout_ms *
				(retries + 1) + 1000 ms fits in it, and the canaries' */
	char *api_url;
	char *credentials; /* NULL when not configured */
	long thread_delay_ms;
	char *api_ca_file;   /* NULL: the system's CA certificates */
	long api_timeout_ms; /* of one request to the X API */
	enum config_thread_mode x_thread_mode;
	/* [twitter] price_* and monthly_budget, in micro-dollars (USD / 1 000 000) */
	struct config_x_cost {
		long post;     /* a post without a URL */
		long post_url; /* a post with a URL (twitter-text finds one) */
		long read;     /* a post or the account read from its own timeline ("owned read") */
		long remove;   /* a post deleted */
		long budget;   /* a calendar month's (UTC), -1: no budget */
		long warning;  /* budget_warning: the percent of budget whose spending staff
				* hear of (lib/xchannel), 0: never; default 80 */
	} x_cost;
	struct config_feeds {
		char *base_url;     /* where feeds_dir is served; NULL: not configured */
		char *title;
		char *author;       /* the feeds' author and the rebuttals' publisher */
		char *author_url;   /* the publisher's site; NULL: base_url */
		char *sender;       /* CAP sender: an identifier without spaces */
		char *sender_name;  /* CAP senderName; default: author */
		char *rebuttal_url; /* with {slug} */
		char *notice_url;   /* with {slug}: the page of each notice but a rebuttal */
		long max_entries;
		/* aviso_legal: the channel's legal notice ("La información de esta cuenta tiene
		 * carácter meramente informativo…"), written into every Atom feed (atom:rights)
		 * and ClaimReview (usageInfo), never into a post; NULL: none */
		char *legal_notice;
	} feeds;
	/* [serve]: the review console, behind the ministry's authenticating reverse proxy */
	struct config_serve {
		char *listen;      /* "127.0.0.1:8080" (CONFIG_SERVE_LISTEN), config_listen_parse() */
		char *user_header; /* the header the proxy names the user in: "X-Remote-User" */
		struct strlist proxies; /* numeric addresses whose user_header is believed;
					   default 127.0.0.1 and ::1 */
		char *public_url;  /* the console as staff reach it; default http://LISTEN/ */
	} serve;
};

#define CONFIG_SERVE_LISTEN "127.0.0.1:8080"

/*
 * X's prices in micro-dollars, from the X developer docs' pricing page
 * (docs.x.com/x-api/getting-started/pricing, as read in December 2026): "Content: Create" $0.015 a
 * request, "Content: Create (with URL)" $0.200, owned reads $0.001 a resource (docs.x.com
 * overview, "Pay Per Use Pricing Changes: Featuring Owned Reads"). The page names no
 * price for deleting a post: "Content: Manage", $0.005 a request, is our reading of it.
 */
#define CONFIG_X_PRICE_POST 15000L
#define CONFIG_X_PRICE_POST_URL 200000L
#define CONFIG_X_PRICE_READ 1000L
#define CONFIG_X_PRICE_DELETE 5000L
/* the largest price or budget a file may give: a million dollars */
#define CONFIG_USD_MAX 1000000000000L

/*
 * Parses an amount in US dollars, digits with an optional point and up to six decimals
 * ("0.015", "50", "12.5"), whatever the locale, into micro-dollars; false when value is
 * not one or is over max micro-dollars.
 */
bool config_usd_parse(const char *value, long max, long *out);

/* Splits a [serve] listen value, "ADDRESS:PORT" or "[IPv6]:PORT" with a numeric address
 * (no name to resolve: the console must bind where the file says), into host (without
 * brackets; may be NULL) and *port (1-65535; may be NULL). False when it is not one. */
bool config_listen_parse(const char *listen, char *host, size_t host_size, unsigned *port);

/*
 * Reads and validates path. On II_ECONFIG every problem found is in diags, one per line of
 * the file ("path:line: error: ..."); a file that cannot be opened is reported in e.
 */
ii_err config_load(const char *path, struct config **out, struct diag_list *diags,
		   struct ii_error *e);
void config_free(struct config *cfg);

/*
 * For `config` and `lint`: adds to warnings (a list of warnings only, diag_warn()) what is
 * valid but reads badly in posts: a service without in_sentence, at its section's line,
 * since posts then name it as its heading does, without an article ("Sede Electrónica…
 * no funciona"; issue 14, item 1); with feeds, a Mastodon channel without public_url, at
 * its section's line, since the feeds then do not link to its posts (issue 16).
 */
void config_warn(const struct config *cfg, struct diag_list *warnings);

const struct config_service *config_find_service(const struct config *cfg, const char *id);
const char *config_policy_name(enum config_policy policy);
/* "author", "approver", "operator": the word the configuration uses for one role. */
const char *config_role_name(enum config_role role);
const struct config_notify *config_find_notify(const struct config *cfg, const char *id);
/* "x", "mastodon", "bluesky" */
const char *config_channel_type_name(enum config_channel_type type);
/* "smtp", "webhook" */
const char *config_notify_type_name(enum config_notify_type type);

/* Whether url's host is a loopback address or "localhost" (false when it has none). */
bool config_url_loopback(const char *url);

/* Whether url is acceptable for a monitored or API address: https, or http on loopback.
 * Fills why (may be NULL) with the reason when it is not. */
bool config_url_ok(const char *url, char *why, size_t why_len);

/* url with any password replaced by "********", for showing; the caller frees the
 * result (NULL when out of memory). */
char *config_mask_url(const char *url);
/* url without its query, fragment and user information, the part that is safe to
 * publish; a new string, NULL when url is invalid or memory runs out. */
char *config_public_url(const char *url);

#endif
