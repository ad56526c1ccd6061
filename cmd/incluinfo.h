#ifndef INCLUINFO_CMD_H
#define INCLUINFO_CMD_H

/* What the commands share: the global options, exit codes and output helpers. */

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "condition.h"
#include "config.h"
#include "draft.h"
#include "error.h"
#include "feeds.h"
#include "ingest.h"
#include "lock.h"
#include "messages.h"
#include "monitor.h"
#include "notice.h"
#include "publish.h"
#include "store.h"

enum exit_code {
	EXIT_OK = 0,
	EXIT_USAGE = 64,
	EXIT_DATA = 65,
	EXIT_REMOTE = 69,
	EXIT_SOFTWARE = 70,
	EXIT_CANTCREAT = 73,
	EXIT_IOERR = 74,
	EXIT_TEMPFAIL = 75,
	EXIT_NOPERM = 77, /* the caller is unknown, names someone else, or lacks the role */
	EXIT_CONFIG = 78,
};

struct cli {
	const char *config_path;
	bool json;
	int verbose;
	bool quiet;
	struct config *config; /* loaded before a command that needs it runs */
};

/*
 * A command's help, defined in the command's own file beside its option table: the one
 * source of `incluinfo help`, which tests/cli/t_help.sh holds the README's command table
 * and the man page's command list to.
 */
struct cli_help {
	const char *summary; /* one line: lower case, no full stop */
	const char *usage;   /* "usage: incluinfo NAME ..." lines, then a blank line and the rest */
};

extern const struct cli_help cmd_check_help, cmd_status_help, cmd_config_help, cmd_count_help,
	cmd_lint_help, cmd_preview_help, cmd_notices_help, cmd_drafts_help, cmd_show_help,
	cmd_approve_help, cmd_reject_help, cmd_incident_help, cmd_feeds_help, cmd_publish_help,
	cmd_retract_help, cmd_run_help, cmd_log_help, cmd_serve_help;

int cmd_approve(int argc, char **argv, struct cli *cli);
int cmd_check(int argc, char **argv, struct cli *cli);
int cmd_config(int argc, char **argv, struct cli *cli);
int cmd_count(int argc, char **argv, struct cli *cli);
int cmd_drafts(int argc, char **argv, struct cli *cli);
int cmd_feeds(int argc, char **argv, struct cli *cli);
int cmd_incident(int argc, char **argv, struct cli *cli);
int cmd_lint(int argc, char **argv, struct cli *cli);
int cmd_log(int argc, char **argv, struct cli *cli);
int cmd_notices(int argc, char **argv, struct cli *cli);
int cmd_preview(int argc, char **argv, struct cli *cli);
int cmd_publish(int argc, char **argv, struct cli *cli);
int cmd_reject(int argc, char **argv, struct cli *cli);
int cmd_retract(int argc, char **argv, struct cli *cli);
int cmd_run(int argc, char **argv, struct cli *cli);
int cmd_serve(int argc, char **argv, struct cli *cli);
int cmd_show(int argc, char **argv, struct cli *cli);
int cmd_status(int argc, char **argv, struct cli *cli);

/* check's report as `check --json` gives it, and as its text (why: the cause when nothing
 * was judged; verbose adds a line per service and canary). */
cJSON *cli_check_json(const struct monitor_report *rep);
void cli_check_print(const struct monitor_report *rep, const char *why, int verbose);
/* check --passive: the selected services' recorded states as one plugin line, read-only;
 * a state not checked for more than max_age seconds is stale, UNKNOWN. Returns 0-3. */
int cli_check_passive(const struct cli *cli, const struct monitor_report *rep, long max_age);
/* A run that judged nothing because of this host (rep->host_fault): one line on stderr. */
void cli_report_host_fault(const struct monitor_report *rep);
/* What ingest_dir() reported: every problem on stderr and, unless quiet, a line per notice
 * drafted; returns the exit code. The JSON gives the files by outcome. */
int cli_notices_print(const struct ingest_report *rep, bool quiet);
cJSON *cli_notices_json(const struct ingest_report *rep);
/* Regenerates every feed from store into *sum; returns the exit code, after reporting any
 * failure. cli_feeds_print() prints the line `feeds` prints of *sum. */
int cli_write_feeds(const struct config *cfg, struct store *store, struct feeds_summary *sum);
void cli_feeds_print(const struct config *cfg, const struct feeds_summary *sum);
/* What publish found of the X account, for run to report once per change. */
struct cli_publish_news {
	char account[CONDITION_DETAIL_SIZE];     /* why the account cannot post; "" */
	char unreachable[CONDITION_DETAIL_SIZE]; /* why X did not answer; "" */
	bool published; /* something went out: the account posts and X answers */
};
/* Rewrites the feeds when they lag behind what is published (a publication, a retraction,
 * or an earlier write that failed) and [feeds] base_url is set, printing the line of
 * cli_feeds_print() unless quiet; returns the exit code. */
int cli_feeds_catch_up(const struct config *cfg, struct store *store, bool quiet);
/*
 * publish's body, which run calls too: publishes what is due from store (opened read-only
 * when dry_run, and then left as it is), as by (the caller, or the program itself for
 * run), then the feeds when they lag behind it.
 * Prints the drafts unless json is given (quiet: only what went wrong, and only when
 * something did), errors on stderr; with json, *json receives the report as `publish
 * --json` gives it (the caller prints or deletes it). With news, the account's problems
 * (the credentials, X not answering) are given there instead of printed. Returns the exit
 * code: 75 when X's rate limit holds back a due draft.
 */
int cli_publish(const struct cli *cli, struct store *store, const struct draft_actor *by,
		bool dry_run, bool quiet, cJSON **json, struct cli_publish_news *news);
/* approve (true) or reject a draft: the commands' shared body. */
int cli_decide(int argc, char **argv, struct cli *cli, bool approve);
/*
 * The decision itself, as approve, reject and the console make it: in one transaction of
 * store (opened for writing), finds draft id into *d and approves it as actor (the
 * configuration's roles checked already; its two-person rule applied here) or rejects it
 * with reason (may be NULL). Prints nothing; lib/draft's errors (II_EDATA: not pending, the
 * two-person rule) in e.
 */
ii_err cli_decision(const struct cli *cli, struct store *store, const char *id, bool approve,
		    const struct draft_actor *actor, const char *reason, struct draft *d,
		    struct ii_error *e);

/* Warns on stderr, once per run, when state_dir is open to group or others. */
void cli_warn_state_dir(const char *state_dir, bool open_to_others);
/* Opens the state store; STORE_READ leaves *store NULL when there is no database yet.
 * Returns the exit code, after reporting any failure (a broken state_dir: 73). */
int cli_open_store(const struct cli *cli, enum store_mode mode, struct store **store);
/* Opens the store read-only, as cli_open_store(), and finds in it the draft id (a UUID or
 * a unique prefix; NULL: none) into *d. Returns the exit code after reporting any failure,
 * when *store is left NULL; with an id, EXIT_OK means *store is open and *d filled. */
int cli_open_draft(const struct cli *cli, const char *id, struct store **store, struct draft *d);
/* Opens the store read-only, as cli_open_store(), and lists its incidents (all, or the
 * open ones) into *items, a new array of *count the caller frees (none without a
 * database). Returns the exit code after reporting any failure, when *store is left NULL. */
int cli_open_incidents(const struct cli *cli, bool all, struct store **store,
		       struct incident **items, size_t *count);
/* Loads the message templates ([general] templates_dir, or the built-in ones), reporting
 * every problem; returns the exit code. */
int cli_load_messages(const struct config *cfg, struct messages **out);
/* Takes the state lock. Returns the exit code (75 when another run holds it), after
 * reporting any failure. */
int cli_lock(const struct cli *cli, struct lock **lock);
/* The current time, or $INCLUINFO_NOW (seconds since the epoch) when tests set it. */
time_t cli_now(void);
/* The program's own actions (run, check, notices): DRAFT_SYSTEM_NAME, identified by
 * DRAFT_BY_SYSTEM, with the operating-system user running it and the time now. */
struct draft_actor cli_system_actor(void);

/* cli-identity.c: the person behind a command that changes the state. */
struct cli_identity {
	struct draft_actor actor; /* for the audit trail; points into this struct and the
				     configuration */
	const struct config_person *person; /* NULL without people configured */
	char caller[64];          /* the caller's account: the one that ran sudo, under sudo */
	char identified_by[96];   /* DRAFT_BY_OS_USER or DRAFT_BY_SUDO and the account */
};
/*
 * Identifies the caller of action (the command's name, "approve"), which needs role. The
 * caller is the account of the real user id, or, for root with SUDO_USER and SUDO_UID set
 * (and naming one account), the account that ran sudo; never $USER or $LOGNAME. With
 * people configured the caller must be one of them (os_users) with role, and by (--by;
 * NULL: not given) must name that same person (people_by_name()). Without people, a
 * single operator: by is recorded as written, or the account when NULL. Returns the exit
 * code after reporting any refusal: 77 (EXIT_NOPERM) for an unknown caller, a --by naming
 * someone else and a missing role; 65 for a --by holding control characters.
 */
int cli_identify(const struct cli *cli, const char *action, enum config_role role,
		 const char *by, struct cli_identity *out);
/*
 * The same for a user of the review console: the person whose web_login is login (what
 * the reverse proxy put in [serve] user_header), identified by DRAFT_BY_WEB_LOGIN and the
 * login, who needs role for action (0: any person may, as to read the pages). Prints
 * nothing: II_EPERM, saying why in e, for a login nobody has and a missing role.
 */
ii_err cli_identify_web(const struct cli *cli, const char *action, enum config_role role,
			const char *login, struct cli_identity *out, struct ii_error *e);

/* A post as preview and show print it: "[2/5] 231/280" (its length and the limit, as
 * its network counts them), the text, a blank line. */
void cli_print_post(size_t index, size_t count, const char *text, int length, int limit);
/* Prints s on stdout followed by the spaces that bring it to width terminal columns
 * (none when it is wider): what "%-9s" would do if printf counted columns, not bytes. */
void cli_pad(const char *s, int width);
/* Prints one row of a table on stdout: each of the count cells but the last padded to
 * its width in terminal columns (utf8proc_charwidth, so that "caída" and "CUÁNDO" line
 * up in Spanish), two spaces between cells, a line end. A cell wider than its width
 * pushes the rest of its row. */
void cli_print_row(const char *const *cells, const int *widths, size_t count);
/*
 * cli-json.c: the JSON every --json output is made of. Keys are snake_case (count's
 * parseTweet fields are the one exception); times are ISO 8601 with offset, or null.
 * Those returning cJSON * give a new tree the caller owns (NULL when out of memory).
 */
/* Prints root on one line and deletes it; returns the exit code. */
int cli_print_json(cJSON *root);
/* Prints count records of size bytes as a JSON array, each made by to_json(). */
int cli_print_json_list(const void *items, size_t count, size_t size,
			cJSON *(*to_json)(const void *item));
/* t as an ISO 8601 string, or null for 0. */
cJSON *cli_json_time(time_t t);
/* s as a string, or null for "" (the store's "none"). */
cJSON *cli_json_text(const char *s);
/* The draft object of `drafts --json`, which `show --json` extends with its posts. */
cJSON *cli_draft_json(const void *draft);
/* A post as preview and show give it: {"text","weighted_length"}. */
cJSON *cli_post_json(const char *text, int weighted_length);

/* Each diagnostic on its own line of stderr. */
void cli_print_diags(const struct diag_list *diags);
/* The warnings of the configuration (config_warn()) and, when messages is not NULL, of its
 * templates (messages_warn()), unless -q: what is valid but reads badly in posts. */
void cli_print_warnings(const struct cli *cli, const struct messages *messages);
/* Prints diags, the problems of a notice that ingest_read() or ingest_dir() returned rc
 * for, and e when they say nothing; returns the exit code (65: the notice is invalid). */
int cli_notice_status(const struct diag_list *diags, ii_err rc, const struct ii_error *e);
/*
 * Reads, validates and splits the notice at path, printing every problem, and a warning
 * (not -q) for each post that starts inside a sentence, with its line. EXIT_OK with
 * *notice and *thread set (the caller frees both), or with *changing set and nothing
 * read when the file changed while it was read; otherwise the exit code.
 */
int cli_read_notice(const struct cli *cli, const struct messages *messages, const char *path,
		    struct notice **notice, struct thread **thread, bool *changing);
/*
 * Under X's thread_mode = single, the single post of notice n (ingest_single_post()) as a
 * thread of one post into *thread, when X's thread has more posts than one (x_count): what X
 * publishes instead; *thread NULL otherwise (replies, or a thread of one post). Prints its
 * problems; EXIT_DATA when it cannot be written.
 */
int cli_notice_single(const struct cli *cli, const char *path, const struct notice *n,
		      size_t x_count, struct thread **thread);
/*
 * Each network's counter into counters (indexed by enum count_network) as a draft is cut
 * for it: the first configured channel's of that network (channels_counters(): Mastodon's
 * with the limits of its instance cached in the state store, when there is one), else the
 * network's default. preview and lint show and check what publish will send. Returns the
 * exit code, after reporting a store that cannot be read (cli_read_notice() reads it too).
 */
int cli_network_counters(const struct cli *cli, struct counter counters[COUNT_NETWORKS]);
/*
 * The thread of notice n (read from path by cli_read_notice()) on the network of counter,
 * printing its problems (a word too long there is named with the network). EXIT_OK with
 * *thread set (the caller frees it); otherwise the exit code (EXIT_DATA: invalid there).
 */
int cli_notice_thread(const struct cli *cli, const struct messages *messages, const char *path,
		      const struct notice *n, const struct counter *counter,
		      struct thread **thread);

/*
 * Makes stdout and stderr terminal-safe for the rest of the run: whatever is printed shows
 * control characters, bidirectional controls and invalid UTF-8 escaped (printable_escape(),
 * newline and tab kept). False when out of memory. Called first thing by main.
 */
bool cli_safe_streams(void);
/* "incluinfo: error: ..." on stderr, on one line: newlines and tabs in it escaped too. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports e and returns the exit code its error maps to. */
int cli_fail(const struct ii_error *e);
int cli_exit_code(ii_err code);
/* Prints the command's usage on stderr and returns EXIT_USAGE. */
int cli_usage(const char *command);
/* Refuses the arguments argv[first..argc): reports the first one and prints the command's
 * usage (EXIT_USAGE); EXIT_OK when there is none. */
int cli_no_more_arguments(int argc, char **argv, int first, const char *command);
/* After getopt_long() returned opt for argv[optind - 1], an option command refuses ('?':
 * unknown to it, or without its value; any other opt: one it does not take): says which,
 * in the program's words rather than getopt's (cmd/main.c sets opterr to 0).
 * cli_bad_option() then prints the command's usage and returns EXIT_USAGE. */
void cli_option_refused(int opt, char **argv, const char *command);
int cli_bad_option(int opt, char **argv, const char *command);
/* EXIT_DATA, after saying so, when value (given with option; NULL: not given) holds a
 * character that acts on a terminal or reorders text (printable_first_unsafe()), newline
 * and tab allowed when lines; else EXIT_OK. */
int cli_check_text(const char *option, const char *value, bool lines);

/* Local time as "2026-11-28T10:42:05+01:00" and as "2026-11-28 10:42:05". */
void cli_time_iso(time_t t, char buf[32]);
void cli_time_human(time_t t, char buf[32]);
struct notify_row;
/* One line about an alert to staff that cannot be delivered (failed or unknown), to out:
 * run says it on stderr when it happens, status lists it. */
void cli_print_undelivered(FILE *out, const struct notify_row *row);

#endif
