#ifndef INCLUINFO_NOTIFY_H
#define INCLUINFO_NOTIFY_H
/*
 * Alerts to staff: what the people behind the channel must know, before and beside what
 * the public reads. The module owns the store's notification table, the journal of these
 * alerts: one row per event and target ([notify ID] of the configuration), keyed by the
 * event's key, so that raising the same event again is a no-op.
 *
 * Raising (notify_raise() and the notify_*() helpers below) only writes rows, inside the
 * caller's transaction: the row exists exactly when the state change that raised it was
 * committed. Delivering (notify_deliver()) claims each due row with a compare-and-set
 * (pending → sending, committed before the request), sends it through its target's
 * backend and marks it sent. A transient failure puts it back to pending with an
 * exponential backoff; NOTIFY_MAX_ATTEMPTS failures, or a refusal for good, make it
 * failed. A row found sending whose sender is gone (killed mid-request) becomes unknown
 * and is never sent again: at most once across that window, and shown, so nothing is lost
 * silently. status lists the failed and unknown rows.
 *
 * Titles and bodies are written at raise time in the language of the run's messages
 * (English msgids through gettext, po/), and never hold a secret: no credentials, no
 * tokens, only the public address of a service (config_public_url()). Records are copied
 * into the caller's structs; lists are arrays the caller frees.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "cred.h"
#include "error.h"
#include "store.h"

/* The events, stored and configured (events = …) by their stable names. */
enum notify_event {
	NOTIFY_INCIDENT_CONFIRMED, /* an outage confirmed: before its public alert is published */
	NOTIFY_INCIDENT_RESOLVED,
	NOTIFY_DRAFT_WAITING,      /* a draft waits for a person's approval */
	NOTIFY_DRAFT_APPROVED,
	NOTIFY_DRAFT_REJECTED,
	NOTIFY_PUBLICATION_FAILED, /* a draft failed with nothing public */
	NOTIFY_THREAD_STOPPED,     /* a thread failed midway: some posts are public */
	NOTIFY_CHANNEL_PAUSED,     /* rate limited, credentials refused, the channel unreachable */
	NOTIFY_MONITOR_OFFLINE,    /* every canary failed */
	NOTIFY_MONITOR_ONLINE,
	NOTIFY_NOTICE_INVALID,     /* once per version (content hash) of the file */
	NOTIFY_NOTICE_CHANGED_AFTER_PUBLICATION,
	NOTIFY_BUDGET_LOW,         /* a channel's spending crossed its warning share of the
				    * month's budget: once a month */
	/* a channel refused to continue a thread: its rest became one post that links to the
	 * whole text (lib/publish) */
	NOTIFY_THREAD_MODE_SWITCHED,
	NOTIFY_EVENT_COUNT
};
#define NOTIFY_ALL_EVENTS ((1u << NOTIFY_EVENT_COUNT) - 1)

const char *notify_event_name(enum notify_event event);
/* false, leaving *out alone, when name is no event's */
bool notify_event_parse(const char *name, enum notify_event *out);

enum notify_state {
	NOTIFY_PENDING, /* to send, at next_at */
	NOTIFY_SENDING, /* claimed: a request is, or was when its sender died, under way */
	NOTIFY_SENT,
	NOTIFY_FAILED,  /* refused for good, or NOTIFY_MAX_ATTEMPTS failures */
	NOTIFY_UNKNOWN, /* its sender died mid-request: maybe delivered, never sent again */
};
const char *notify_state_name(enum notify_state state);

#define NOTIFY_MAX_ATTEMPTS 6
/* the wait after the first failed attempt, doubled after each one: 1, 2, 4, 8, 16 min */
#define NOTIFY_BACKOFF_SECONDS 60

/*
 * The groups of people an smtp target's "to" may name besides addresses and [person]
 * ids, and the events each group hears of: a group is told what it must act on, so that
 * the approvers' mailboxes hold what waits for them and an author hears what became of
 * their notice. An event outside a group's events does not reach the group (the target's
 * addresses and person ids hear of every event of its events =). Members are the people
 * with the group's role and an email.
 */
struct notify_group {
	const char *token;     /* as written in to: "@approvers" */
	enum config_role role; /* its members have it */
	/* @author: only the person the event is about, whatever their roles (a notice signed
	 * by someone who is no author is invalid, and they are told so) */
	bool only_the_author;
	unsigned events;       /* bits (1u << enum notify_event) */
};
/* The group written token, NULL when token is none. */
const struct notify_group *notify_group_find(const char *token);

#define NOTIFY_KEY_SIZE 256
#define NOTIFY_TITLE_SIZE 1100
#define NOTIFY_BODY_SIZE 4096
#define NOTIFY_URL_SIZE 1024

/* What an event says. key, with the event's name, identifies the occurrence: an incident's
 * id, a draft's id, a notice's path and hash. title is one line; url may be NULL; about is
 * the person the event concerns (a draft's or notice's author, whom @author reaches),
 * NULL when none, pointing into the configuration. */
struct notify_spec {
	enum notify_event event;
	const char *key;
	const char *title;
	const char *body;
	const char *url;
	const struct config_person *about;
};

/*
 * Journals spec for every target of cfg subscribed to its event, at now, unless this
 * event key already was (then nothing changes); an smtp target whose "to" reaches nobody
 * for this event (notify_recipients()) is skipped. In the caller's transaction. *queued
 * (may be NULL) receives the number of rows added.
 */
ii_err notify_raise(struct store *store, const struct config *cfg, const struct notify_spec *spec,
		    time_t now, size_t *queued, struct ii_error *e);

/* The events of the modules that raise them, worded here so that every alert of an event
 * reads alike. Each is notify_raise() with its key. */
struct incident;
struct draft;
/* incident_confirmed (due: when its public alert is due, 0 when at once) or
 * incident_resolved, about service (its name and public address) */
ii_err notify_incident(struct store *store, const struct config *cfg, enum notify_event event,
		       const struct incident *inc, const struct config_service *service,
		       time_t due, time_t now, struct ii_error *e);
/* draft_waiting, draft_approved, draft_rejected, publication_failed, thread_stopped,
 * thread_mode_switched or notice_changed_after_publication, about d; detail (may be NULL): a reason, an error. The
 * key is the draft's id with its content's hash, so a revision is news again. */
ii_err notify_draft(struct store *store, const struct config *cfg, enum notify_event event,
		    const struct draft *d, const char *detail, time_t now, struct ii_error *e);
/* draft_waiting about draft uuid when it is pending (a draft made approved says nothing) */
ii_err notify_if_waiting(struct store *store, const struct config *cfg, const char *uuid,
			 time_t now, struct ii_error *e);
/* notice_invalid: the file path, whose content's hash is hash, with its first problem;
 * author: the person its autor names (NULL: unknown, or the notice could not be read that
 * far) */
ii_err notify_notice_invalid(struct store *store, const struct config *cfg, const char *path,
			     const char *hash, const char *problem,
			     const struct config_person *author, time_t now, struct ii_error *e);
/* monitor_offline, monitor_online, channel_paused or budget_low, one line saying what, about
 * the condition (lib/condition's key, or the budget's) that started at since: its
 * occurrence */
ii_err notify_condition(struct store *store, const struct config *cfg, enum notify_event event,
			const char *condition, const char *detail, time_t since, time_t now,
			struct ii_error *e);

/* A journal row, as notify_deliver() and notify_problems() give it. */
struct notify_row {
	char event_key[NOTIFY_KEY_SIZE];
	char target[64];
	enum notify_event event;
	enum notify_state state;
	char title[NOTIFY_TITLE_SIZE];
	long attempts;
	time_t created_at;
	time_t next_at; /* pending: not before */
	char error[1024]; /* the last failure, "" when none */
};

struct notify_report {
	size_t sent;
	size_t retrying; /* failed this time, tried again later */
	/* rows this pass found undeliverable: failed for good, or unknown */
	struct notify_row *undelivered;
	size_t undelivered_count;
};

/*
 * Sends every due row of cfg's targets (a row whose target is no longer configured
 * fails), oldest first; each row's journal steps are committed one by one, outside any
 * transaction of the caller. Reading a credentials file that is refused fails that
 * target's rows (the detail says why), not the pass. Release the report with
 * notify_report_free().
 */
ii_err notify_deliver(struct store *store, const struct config *cfg, time_t now,
		      struct notify_report *report, struct ii_error *e);
void notify_report_free(struct notify_report *report);

/* The rows that cannot be delivered (failed or unknown), raised after since, oldest
 * first, into *out (the caller frees it). */
ii_err notify_problems(struct store *store, time_t since, struct notify_row **out, size_t *count,
		       struct ii_error *e);
#define NOTIFY_PROBLEM_DAYS 7 /* how long status shows an undelivered notification */

/* ---- backends: how a target is reached ---- */

enum notify_outcome { NOTIFY_DELIVERED, NOTIFY_RETRY, NOTIFY_REFUSED };

/* What a backend can do. */
enum notify_capability {
	/* sends to recipients of its own (to =): the recipients are resolved before sending */
	NOTIFY_RECIPIENTS = 1u << 0,
};

/* A message as a backend sends it: every field belongs to the caller. */
struct notify_message {
	enum notify_event event;
	const char *event_key;
	const char *title;
	const char *body;
	const char *url; /* NULL: none */
	time_t at;       /* when it was raised */
	const struct config_person *about; /* the person it concerns, NULL: none */
	const char *const *recipients; /* NOTIFY_RECIPIENTS: addresses, resolved */
	size_t recipient_count;
};

#define NOTIFY_MAX_RECIPIENTS 64
/*
 * The addresses smtp target t sends event to, into out (at most max; pointers into cfg),
 * each once (compared without regard to case): its e-mail addresses, the email of each
 * [person] id it names, and the members of each group it names whose events include event
 * (struct notify_group; about is the event's person, for @author). Returns how many.
 */
size_t notify_recipients(const struct config *cfg, const struct config_notify *t,
			 enum notify_event event, const struct config_person *about,
			 const char **out, size_t max);

struct notify_backend {
	enum config_notify_type type;
	const char *name;
	unsigned capabilities; /* enum notify_capability bits */
	enum cred_use cred; /* what its credentials file holds */
	/* Sends msg to target t with its credentials (cred may be NULL); detail receives why
	 * it was not delivered, without any secret. */
	enum notify_outcome (*send)(const struct config_notify *t, const struct cred *cred,
				    const struct notify_message *msg, char *detail, size_t size);
};

/* The backend of type, NULL when there is none. */
const struct notify_backend *notify_backend_of(enum config_notify_type type);

/* The RFC 5322 message of msg from t (CRLF line ends), as the smtp backend sends it;
 * the caller frees it (NULL when out of memory). */
char *notify_mail_text(const struct config_notify *t, const struct notify_message *msg);
/* The JSON body of msg, as the webhook backend POSTs it; the caller frees it. A chat room
 * is its own audience, so a webhook has no "to": an event that @author would reach names
 * its person instead, at the start of the text and in "person" ({id, name}, else null). */
char *notify_webhook_json(const struct notify_message *msg);
#endif
