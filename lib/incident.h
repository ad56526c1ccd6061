#ifndef INCLUINFO_INCIDENT_H
#define INCLUINFO_INCIDENT_H
/*
 * Incidents as the public reads them: from a confirmed outage to the alert, updates and
 * resolution, all drafted as one thread (each draft answers the incident's previous one);
 * planned maintenance windows; incidents staff open by hand. Records are copied into the
 * caller's structs; lists are arrays the caller frees. Every function that drafts posts
 * must run inside a store transaction (store_begin()/store_commit()).
 *
 * The monitor's rule is level-triggered, so a missed or repeated check never leaves a
 * wrong state behind: a service that is confirmed down (or degraded, when it is to be
 * announced) and not in a maintenance window has an open incident; one that is up has
 * none. A service that opened and resolved flap_limit incidents within an hour and fails
 * again is "unstable": one post, no more alerts, and one resolution once it has been
 * up for successes_to_resolve checks and INCIDENT_STABLE_SECONDS.
 */
#include <stdbool.h>
#include <time.h>
#include "config.h"
#include "draft.h"
#include "error.h"
#include "health.h"
#include "messages.h"
#include "store.h"

#define INCIDENT_FLAP_WINDOW 3600    /* seconds in which openings count as flapping */
#define INCIDENT_STABLE_SECONDS 900  /* an unstable service must stay up this long */

enum incident_kind { INCIDENT_OUTAGE, INCIDENT_DEGRADED, INCIDENT_UNSTABLE, INCIDENT_MANUAL };

const char *incident_kind_name(enum incident_kind kind);
/* The kind as people read it, in the language of the messages (a static string). */
const char *incident_kind_label(enum incident_kind kind);

/* The statuses, as the public reads them; stored, shown and written in notices by name. */
enum incident_status {
	INCIDENT_INVESTIGANDO,   /* "investigando" */
	INCIDENT_IDENTIFICADO,   /* "identificado" */
	INCIDENT_EN_SEGUIMIENTO, /* "en seguimiento" */
	INCIDENT_RESUELTO,       /* "resuelto" */
};

const char *incident_status_name(enum incident_status status);
/* false, leaving *out alone, when name is not a status. */
bool incident_status_parse(const char *name, enum incident_status *out);

struct incident {
	char uuid[37];
	enum incident_kind kind;
	char service[64]; /* "" for a manual incident about something else */
	char scope[256];  /* what it is about, as the public reads it */
	enum incident_status status;
	time_t opened_at;
	time_t resolved_at; /* 0 while open */
	time_t last_post_at;
	char last_draft[37]; /* the thread's latest draft */
	char cause[256];
	bool held; /* a person holds its public posts (incident_hold()) */
};

/* What every decision needs. */
struct incident_context {
	struct store *store;
	const struct config *cfg;
	const struct messages *messages;
	const struct draft_actor *actor;
	time_t now;
};

enum incident_event {
	INCIDENT_NONE,
	INCIDENT_OPENED,
	INCIDENT_REMINDED,
	INCIDENT_MARKED_UNSTABLE,
	INCIDENT_RESOLVED,
	INCIDENT_IN_MAINTENANCE, /* failing, inside a maintenance window: no incident */
};

/*
 * Brings the incidents of svc in line with its confirmed state h, after its check at
 * ctx->now was recorded. *event says what was drafted; out (may be NULL) receives the
 * incident concerned.
 */
ii_err incident_observe(const struct incident_context *ctx, const struct config_service *svc,
			const struct health_state *h, const char *reason,
			enum incident_event *event, struct incident *out, struct ii_error *e);

/* Whether service is inside an approved maintenance window at now, its grace included. */
ii_err incident_in_maintenance(struct store *store, const struct config_service *svc,
			       time_t now, bool *in, struct ii_error *e);

/* Records the window of an approved or pending maintenance notice's draft. */
ii_err incident_maintenance_put(struct store *store, const char *draft, const char *service,
				time_t starts_at, time_t ends_at, struct ii_error *e);

/* Drafts the "started" and "finished" posts of approved windows that are due. Returns
 * how many were drafted in *drafted. */
ii_err incident_maintenance_tick(const struct incident_context *ctx, int *drafted,
				 struct ii_error *e);

/*
 * Manual incidents. scope is a configured service id or free text ("Oficinas de
 * Madrid"); opening one for a service that already has an open incident is II_EDATA
 * naming it. status must be the name of a status other than "resuelto" (NULL:
 * "investigando").
 */
ii_err incident_open_manual(const struct incident_context *ctx, const char *scope,
			    const char *message, const char *status, struct incident *out,
			    struct ii_error *e);
/* The first draft of a manual incident may already exist (an `incidencia` notice's). */
ii_err incident_open_for_draft(const struct incident_context *ctx, const char *scope,
			       enum incident_status status, const char *draft, struct incident *out,
			       struct ii_error *e);
ii_err incident_update_manual(const struct incident_context *ctx, const char *id,
			      const char *message, const char *status, struct incident *out,
			      struct ii_error *e);
/* message, what works again, is required (II_EDATA without it): the program cannot know
 * whether an office or a phone line works, and must not say so. */
ii_err incident_resolve_manual(const struct incident_context *ctx, const char *id,
			       const char *message, struct incident *out, struct ii_error *e);

/*
 * A person's say over what the public reads of an incident, audited. incident_hold()
 * takes back the approval of the drafts of an open incident's thread that nobody has seen
 * (an outage's alert waiting for confirm_minutes): they wait, pending, until
 * incident_release() approves them again; an incident resolved while held with nothing
 * public is closed without any post. II_EDATA when there is nothing unsent to hold, or
 * the incident is resolved, or already (not) held.
 * incident_cancel() closes a manual incident of which nothing is public or being
 * published, superseding its drafts, without any post: II_EDATA otherwise.
 */
ii_err incident_hold(const struct incident_context *ctx, const char *id, struct incident *out,
		     struct ii_error *e);
ii_err incident_release(const struct incident_context *ctx, const char *id, struct incident *out,
			struct ii_error *e);
ii_err incident_cancel(const struct incident_context *ctx, const char *id, struct incident *out,
		       struct ii_error *e);
/* The first post of a manual incident as incident_open_manual() would draft it at now,
 * without touching any store (incident open --dry-run); *out as incident_post_render(). */
ii_err incident_preview_manual(const struct config *cfg, const struct messages *m,
			       const char *scope, const char *message, const char *status,
			       time_t now, struct thread **out, struct ii_error *e);

/*
 * The posts of an incident's thread, before they are worded: what incident_observe(),
 * the maintenance tick and the manual incidents draft, exposed so that a test renders
 * exactly what is published. values point into the service, configuration and incident
 * given, which must outlive the post.
 */
struct incident_post {
	enum message_kind kind;
	struct message_values values;   /* all but the moments' */
	struct message_moments moments; /* worded when rendered, as of its writing */
};
/* The post of kind about svc's incident inc, for the event at at (the alert's start,
 * an update's now, the first good check of a resolution). */
void incident_post_service(const struct config_service *svc, const struct incident *inc,
			   enum message_kind kind, time_t at, struct incident_post *out);
/* The post of kind about the window from from to until of the service whose id is
 * service (named by its id when cfg has no such service). */
void incident_post_window(const struct config *cfg, const char *service, time_t from,
			  time_t until, enum message_kind kind, struct incident_post *out);
/* The post of kind (MESSAGE_MANUAL, _UPDATE or _RESOLVED) about the manual incident
 * inc, with staff's message, at at. */
void incident_post_manual(const struct incident *inc, enum message_kind kind,
			  const char *message, time_t at, struct incident_post *out);
/*
 * Renders post as written at now, in wording n: 0, its moments as a post written at now
 * names them ("desde las 10:42"); 1, with their dates even when today's ("desde el 30 de
 * noviembre a las 10:42"); 2, with a last line "Actualizado el 30 de noviembre a las
 * 10:42."; 3 and more, that line numbered "(2)", "(3)"… Drafting tries each in turn
 * until the text repeats no earlier post (X refuses a repeated text).
 */
ii_err incident_post_render(const struct messages *m, const struct incident_post *post,
			    time_t now, int wording, struct thread **out, struct ii_error *e);
/* The same, cut for counter's network (NULL: X). */
ii_err incident_post_render_for(const struct messages *m, const struct incident_post *post,
				time_t now, int wording, const struct counter *counter,
				struct thread **out, struct ii_error *e);

/* The incident whose id is exactly uuid; *found false when there is none. */
ii_err incident_get(struct store *store, const char *uuid, struct incident *out, bool *found,
		    struct ii_error *e);
/* By UUID or a unique prefix of at least DRAFT_ID_MIN_PREFIX characters. */
ii_err incident_find(struct store *store, const char *id, struct incident *out,
		     struct ii_error *e);
/* Open incidents, or all, oldest first. */
ii_err incident_list(struct store *store, bool all, struct incident **out, size_t *count,
		     struct ii_error *e);
#endif
