#ifndef INCLUINFO_DRAFT_H
#define INCLUINFO_DRAFT_H
/*
 * Drafts: messages waiting for approval and publication, each the posts of one thread,
 * and the audit trail of everything done to them, kept in the state store. Records are
 * copied into the caller's structs; lists are arrays the caller releases with the
 * matching *_free(). Calls that change more than one row must run between store_begin()
 * and store_commit(), so a crash leaves either the old state or the new one.
 *
 * Lifecycle: pending → approved → published, or rejected, failed, expired, superseded. A
 * draft made from a notice is tied to the notice's path: when the file's content changes
 * the draft is revised (an approval is revoked) unless publication already began, in
 * which case it is only marked as changed after publication and never sent again. A
 * draft that failed midway (some posts public, the rest refused) is the exception: a new
 * version that keeps every public post as it is, at its place, revises its other posts,
 * and once approved again they follow the public ones in the thread.
 *
 * A rejection or retraction sticks: a person's "no" is never overturned by an automatic
 * approval. A revision of a rejected, retracted or superseded draft, a new draft with the
 * content of a rejected one, and a later draft of an incident one of whose drafts was
 * rejected all wait for a person's approval, whatever the policy; a draft whose
 * publication began cannot be rejected (it is retracted once published); and a post is
 * claimed for sending only while its draft is approved, so a draft rejected or superseded
 * after a run listed it is not sent.
 */
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include "error.h"
#include "store.h"

struct config;

#define DRAFT_ID_MIN_PREFIX 6
#define DRAFT_SYSTEM_NAME "incluinfo" /* the approver when a policy is "auto" */
/* Bytes a draft's title and author are read back with, the NUL included: a longer one is
 * refused when the draft is made (ingest), never cut when it is read. */
#define DRAFT_TITLE_SIZE 1024
#define DRAFT_AUTHOR_SIZE 256

enum draft_status {
	DRAFT_PENDING,
	DRAFT_APPROVED,
	DRAFT_REJECTED,
	DRAFT_PUBLISHED,
	DRAFT_FAILED,
	DRAFT_EXPIRED,
	DRAFT_SUPERSEDED, /* never sent, and a later draft of its thread made it untrue */
};

/* The status as the store and --json write it: "pending", "approved"... */
const char *draft_status_name(enum draft_status status);
/* The status as people read it, in the language of the messages (a static string). */
const char *draft_status_label(enum draft_status status);

/* What a draft is, stored as its name: a notice's type, or the incident or maintenance
 * event it announces. */
enum draft_kind {
	DRAFT_BULO,                 /* "bulo": a hoax rebuttal */
	DRAFT_AVISO,                /* "aviso" */
	DRAFT_INCIDENCIA,           /* "incidencia": a manual incident's post */
	DRAFT_MANTENIMIENTO,        /* "mantenimiento": a window's announcement */
	DRAFT_MANTENIMIENTO_INICIO, /* "mantenimiento-inicio" */
	DRAFT_MANTENIMIENTO_FIN,    /* "mantenimiento-fin" */
	DRAFT_ALERTA,               /* "alerta": an outage's first post */
	DRAFT_ACTUALIZACION,        /* "actualizacion" */
	DRAFT_INESTABLE,            /* "inestable" */
	DRAFT_RESUELTA,             /* "resuelta" */
};

const char *draft_kind_name(enum draft_kind kind);
/* Whether kind is one of a maintenance window's (announcement, start, end). */
bool draft_kind_is_maintenance(enum draft_kind kind);

/*
 * The keys of a draft's meta, the JSON object that carries what the feeds need beyond
 * the posts. status is an incident status (incident_status_name()), or for a window's
 * posts draft_kind_name(DRAFT_MANTENIMIENTO); sources and tags are arrays of strings,
 * the others strings.
 */
enum draft_meta_key {
	DRAFT_META_STATUS,
	DRAFT_META_SCOPE,   /* what an incident is about, as the public reads it */
	DRAFT_META_VERDICT, /* a rebuttal's: "FALSO", "ENGAÑOSO", "SIN CONTEXTO" */
	DRAFT_META_HOAX,
	DRAFT_META_ID,      /* the notice's own id */
	DRAFT_META_SOURCES,
	DRAFT_META_TAGS,
	DRAFT_META_LANGUAGE, /* the notice's idioma: "es", "ca", "gl", "en" */
	DRAFT_META_ORIGIN,   /* a rebuttal's origen: where the hoax circulates */
	DRAFT_META_TEXT,     /* the whole text, as written, for the feeds (not the posts) */
};

const char *draft_meta_key_name(enum draft_meta_key key);

struct draft {
	char uuid[37];
	enum draft_kind kind;
	char title[DRAFT_TITLE_SIZE];
	char source[1024]; /* the notice's path, "" for a draft that no file made */
	char hash[65];     /* of the notice's content, "" when there is no notice */
	char author[DRAFT_AUTHOR_SIZE];
	char incident[37]; /* "" when not part of an incident's thread */
	char reply_to[37]; /* the draft whose last post this thread answers, or "" */
	enum draft_status status;
	time_t due_at;     /* not before; 0: at once */
	time_t expires_at; /* never after; 0: never */
	time_t created_at;
	time_t updated_at;
	bool changed_after_publication;
	char error[512];   /* why it failed */
	size_t post_count; /* of X's thread */
	/* cut once, by X's counter, before threads were cut per channel (schema 12): every
	 * channel publishes X's posts */
	bool one_cut;
};

/* The channel whose thread every draft has, configured or not (XCHANNEL_ID): preview and
 * lint work without credentials, and the drafts list counts its posts. */
#define DRAFT_X_CHANNEL "x"

/* A draft's thread on one channel other than X, cut by that channel's counter. */
struct draft_thread {
	const char *channel; /* its id, as the configuration names it: "mastodon" */
	const char *const *posts;
	const int *lengths;  /* each post's length as the channel counts it */
	size_t post_count;
};

/* What a new draft, or a new version of a notice's draft, holds: one thread per channel,
 * each cut by its channel's counter when the draft is made (lib/cut), so that what is
 * approved is what each network shows. */
struct draft_spec {
	enum draft_kind kind;
	const char *title;
	const char *source;   /* NULL when no file made it */
	const char *hash;     /* NULL when no file made it */
	const char *author;   /* may be NULL */
	const char *incident; /* may be NULL */
	const char *reply_to; /* may be NULL */
	const char *meta;     /* JSON for the feeds, may be NULL */
	time_t due_at;
	time_t expires_at;
	/* X's thread (DRAFT_X_CHANNEL), which every draft has */
	const char *const *posts;
	const int *lengths; /* weighted length of each post */
	size_t post_count;
	/* every other channel's; a channel without one is not sent the draft */
	const struct draft_thread *threads;
	size_t thread_count;
	/* The post that takes the place of a thread's rest when a channel refuses to continue
	 * it (CHANNEL_REPLY_REFUSED, lib/publish): its headline and a link to the whole text,
	 * within X's 280 (lib/cut); NULL: none, and such a refusal fails the draft there. */
	const char *single_text;
	int single_length; /* its length on X */
};

/* Who does something, for the audit trail. */
struct draft_actor {
	const char *name;    /* the person's name; --by as given without people configured;
				DRAFT_SYSTEM_NAME for automatic actions */
	const char *os_user; /* the operating-system user running the command */
	time_t at;
	const char *person;  /* the person's id ([person ID]); NULL: none (single operator, the
				system) */
	const char *identified_by; /* how the caller was identified (DRAFT_BY_OS_USER…, "system");
				      NULL: not recorded */
};

/* The words of draft_actor's identified_by, as the audit trail stores them (never
 * translated: tools read them), each followed by the account or login. */
#define DRAFT_BY_OS_USER "os-user "   /* the account running incluinfo */
#define DRAFT_BY_SUDO "sudo from "    /* root, run through sudo by that account */
#define DRAFT_BY_WEB_LOGIN "web login " /* the login the reverse proxy passed */
#define DRAFT_BY_SYSTEM "system"      /* an automatic action of run, check, notices */

/* Creates a draft (pending, or approved by the actor when approve is set, unless a
 * person rejected this content or a draft of its incident: then it waits, pending, and
 * the audit trail says why). */
ii_err draft_create(struct store *store, const struct draft_spec *spec,
		    const struct draft_actor *actor, bool approve, char uuid[37],
		    struct ii_error *e);

enum draft_change {
	DRAFT_NEW,       /* the notice had no draft: one was created */
	DRAFT_SAME,      /* the notice has not changed */
	DRAFT_REVISED,   /* the draft now holds the new content, pending again */
	DRAFT_REVOKED,   /* revised, and the approval it had was revoked */
	DRAFT_CHANGED_AFTER_PUBLICATION, /* left alone: its posts were already sent */
};

/*
 * Brings the draft of the notice spec->source up to date with its content (spec->hash).
 * With auto_approve a new or revised draft is approved at once by DRAFT_SYSTEM_NAME,
 * except the revision of a rejected or retracted draft and content a person rejected
 * (see draft_create()). *change says what happened; uuid receives the draft's id.
 */
ii_err draft_ingest(struct store *store, const struct draft_spec *spec,
		    const struct draft_actor *actor, bool auto_approve, enum draft_change *change,
		    char uuid[37], struct ii_error *e);

/* The posts of X's thread draft uuid held before its latest revision (draft_ingest()),
 * separated by blank lines, into *out, a new string the caller frees; NULL when it was
 * never revised (or was revised before schema 8 kept them). X's, the thread every draft
 * has: a revision changes every channel's thread from the same text, so one says what
 * changed. II_ENOMEM, II_ESTATE. */
ii_err draft_previous_text(struct store *store, const char *uuid, char **out,
			   struct ii_error *e);

/* The draft whose id is id or starts with it (at least DRAFT_ID_MIN_PREFIX characters).
 * II_EDATA when there is none, when the prefix is ambiguous or too short. */
ii_err draft_find(struct store *store, const char *id, struct draft *out, struct ii_error *e);

/* Makes draft uuid due at due (not published before). */
ii_err draft_set_due(struct store *store, const char *uuid, time_t due, struct ii_error *e);
/* Ties draft uuid to the incident whose thread it opened. */
ii_err draft_set_incident(struct store *store, const char *uuid, const char *incident,
			  struct ii_error *e);

/* Drafts still in play (pending, approved, failed), or all of them; oldest first. */
ii_err draft_list(struct store *store, bool all, struct draft **out, size_t *count,
		  struct ii_error *e);

/* Where a post stands on one channel; draft_post_state_name() gives its name in the store
 * and in output ("pending", "sending", "sent"). */
enum draft_post_state {
	DRAFT_POST_PENDING, /* not sent, or certainly not posted by the request that tried */
	DRAFT_POST_SENDING, /* claimed: a request is, or was when a run died, under way */
	DRAFT_POST_SENT,    /* on the channel, with its remote reference */
};

const char *draft_post_state_name(enum draft_post_state state);

/* A post's remote reference on a channel, an opaque string: X's is a number, a Bluesky
 * reply needs the URI and CID of its parent and root. */
#define DRAFT_REF_SIZE 1024
/* Who claimed a post for sending: an opaque string (lib/process's "HOST:PID:START"). */
#define DRAFT_CLAIMANT_SIZE 320
/* The key of a post's request a channel chose at its claim (lib/publish's choose_key),
 * with its NUL: an opaque string, Bluesky's record key. */
#define DRAFT_KEY_SIZE 64

struct draft_post {
	char *text;
	int weighted_length;
	/* its journal on the channel asked for */
	enum draft_post_state state;
	long attempts;                  /* claims so far: the version the claim compares */
	char remote_id[DRAFT_REF_SIZE]; /* once sent */
	time_t sent_at;                 /* once sent */
	/* the process that claimed it last, as the claim gave it ("" when unknown), and when */
	char claimed_by[DRAFT_CLAIMANT_SIZE];
	time_t claimed_at;
	/* the key its channel chose for its request at a claim, "" when none: kept while the
	 * request may have posted it, forgotten once it certainly did not */
	char request_key[DRAFT_KEY_SIZE];
	/* it answers nothing: the single post that took the place of the rest of its thread
	 * (draft_thread_switch()) */
	bool standalone;
};

/* The posts of draft uuid's thread on channel (a channel id, as "x"), in order, with their
 * journal there: its own thread, or X's for a draft cut once (one_cut); none when it has
 * no thread for channel (a channel configured after the draft was made). */
ii_err draft_posts(struct store *store, const char *uuid, const char *channel,
		   struct draft_post **out, size_t *count, struct ii_error *e);
void draft_posts_free(struct draft_post *posts, size_t count);

/* Whether draft uuid has a thread on channel (see draft_posts()). */
ii_err draft_has_thread(struct store *store, const char *uuid, const char *channel, bool *has,
			struct ii_error *e);

/*
 * A channel refused to continue draft uuid's thread at post seq (its parent was not the
 * account's own to answer, lib/publish's CHANNEL_REPLY_REFUSED): its posts from seq on,
 * none of them sent, give way to the draft's single post (draft_spec's single_text), at
 * seq, standalone, so that no half thread is left without a pointer to the rest. With the
 * audit entry "thread mode switched" (detail: why). Inside the caller's transaction.
 * *switched false when the draft has no single post, or a post from seq on is not
 * pending: then nothing changed.
 */
ii_err draft_thread_switch(struct store *store, const char *uuid, const char *channel,
			   size_t seq, const char *why, const struct draft_actor *actor,
			   bool *switched, struct ii_error *e);

/* Whether any draft, whatever its status, has a post whose text is exactly text. */
ii_err draft_text_exists(struct store *store, const char *text, bool *exists,
			 struct ii_error *e);

/*
 * Approves a pending draft. Under the two-person rule ([policy] two_person, which needs
 * people), when two_person is the configuration, the actor (actor->person) may not be the
 * person the draft's author names (people_by_name(): case, accents, spaces and aliases
 * make no difference), and a notice's draft whose author names nobody of today's people
 * is refused to everyone. NULL: no rule. II_EDATA, saying why, when refused.
 */
ii_err draft_approve(struct store *store, const char *uuid, const struct draft_actor *actor,
		     const struct config *two_person, struct ii_error *e);
/* Takes back the approval of a draft not sent yet (approved or pending, no post claimed):
 * pending, audited as "held". II_EDATA when its publication began or it is out of play. */
ii_err draft_hold(struct store *store, const char *uuid, const struct draft_actor *actor,
		  struct ii_error *e);
/* Rejects a pending or approved draft; reason may be NULL. II_EDATA for a draft whose
 * publication began, saying how many of its posts are public (it is retracted once
 * published). */
ii_err draft_reject(struct store *store, const char *uuid, const struct draft_actor *actor,
		    const char *reason, struct ii_error *e);

/* A published draft, as the feeds show it. */
struct draft_published {
	char uuid[37];
	enum draft_kind kind;
	char title[DRAFT_TITLE_SIZE];
	char incident[37]; /* "" when not part of an incident's thread */
	char *meta;        /* the meta JSON object's text, or NULL */
	time_t published;  /* when its first post was sent on the channel */
	char *remote_id;   /* the first post's reference on the channel, opaque; "" when none */
	char *text;        /* the whole thread, posts separated by blank lines */
};

/* Every published draft, in the order it was published on channel (an id such as
 * XCHANNEL_ID), with that channel's reference of its first post; release with
 * draft_published_free(). */
ii_err draft_published_list(struct store *store, const char *channel,
			    struct draft_published **out, size_t *count, struct ii_error *e);
void draft_published_free(struct draft_published *list, size_t count);

struct draft_audit {
	long long id;
	time_t at;
	char draft[37];
	char incident[37];
	char action[32];
	char name[128];
	char os_user[64];
	char person[64];         /* the person's id; "" when none was recorded */
	char identified_by[160]; /* "os-user lmartin", "sudo from lmartin", "system"…; "" */
	char detail[512];
};

/* Adds an entry to the audit trail; draft, incident and detail may be NULL. */
ii_err draft_audit_add(struct store *store, const char *draft, const char *incident,
		       const char *action, const struct draft_actor *actor, const char *detail,
		       struct ii_error *e);
/* The trail of one draft (uuid), or all of it (NULL); oldest first. */
ii_err draft_audit_list(struct store *store, const char *uuid, struct draft_audit **out,
			size_t *count, struct ii_error *e);

/* ---- publication: the journal of each post ---- */

/* Marks every approved or pending draft whose expiry is past as expired; *count says how
 * many. */
ii_err draft_expire(struct store *store, time_t now, const struct draft_actor *actor,
		    size_t *count, struct ii_error *e);

/* Approved drafts due at now (no due time, or one in the past), oldest first, and failed
 * ones are not among them. */
ii_err draft_due(struct store *store, time_t now, struct draft **out, size_t *count,
		 struct ii_error *e);

/* The language of draft uuid's posts, as its meta says (a notice's idioma: "es", "ca",
 * "gl", "en"), into out; "es" when it says none: incluinfo's own posts (incidents,
 * maintenance) are Spanish. */
ii_err draft_language(struct store *store, const char *uuid, char out[8], struct ii_error *e);

/* The remote reference of the last post of draft uuid's thread on channel (draft_posts()),
 * "" when it is not all sent there yet. */
ii_err draft_last_remote_id(struct store *store, const char *uuid, const char *channel,
			    char remote_id[DRAFT_REF_SIZE], struct ii_error *e);

/*
 * The journal of post seq (from 0) of draft uuid on channel, each call one statement to
 * run in its own committed transaction.
 *
 * draft_post_claim() marks the post "sending" before its request, a compare-and-set: only
 * while the draft is approved and the post still is in state from with *attempts claims
 * (as draft_posts() read it), so of
 * two processes that read the same journal only one can claim a post, lock or no lock.
 * *claimed says whether this one did (then *attempts is the new count); one that did not
 * must not send. The claim records claimant (who claims, at most DRAFT_CLAIMANT_SIZE - 1
 * bytes) and at (when), for whoever finds the post still "sending" to judge whether the
 * claimant may still be at work. From DRAFT_POST_SENDING it takes over a claim left by a
 * run that is gone, once the post was looked for and not found. request_key (at most
 * DRAFT_KEY_SIZE - 1 bytes), when not NULL, is recorded as the key of the post's request;
 * NULL keeps the one recorded, if any.
 *
 * draft_post_release() puts a claimed post back to "pending", without claimant, only while
 * attempts is still this claim's (another process may have taken it over): when its request
 * certainly did not post it, and then its request key is forgotten, or, keeps_key, when the
 * request is to be sent again as it was (a transient failure the channel's key makes safe
 * to retry). draft_post_sent() records the remote reference. draft_post_unsent() forgets it
 * and the request key, for a post deleted from the channel. A revision of the draft
 * (draft_ingest()) forgets the request keys of its posts not sent: a new text is a new
 * request.
 */
ii_err draft_post_claim(struct store *store, const char *uuid, const char *channel, size_t seq,
			enum draft_post_state from, long *attempts, const char *claimant, time_t at,
			const char *request_key, bool *claimed, struct ii_error *e);
ii_err draft_post_release(struct store *store, const char *uuid, const char *channel,
			  size_t seq, long attempts, bool keeps_key, struct ii_error *e);
ii_err draft_post_sent(struct store *store, const char *uuid, const char *channel, size_t seq,
		       const char *remote_id, time_t at, struct ii_error *e);
ii_err draft_post_unsent(struct store *store, const char *uuid, const char *channel,
			 size_t seq, struct ii_error *e);

/*
 * Marks draft uuid superseded, with an audit entry whose detail is why, when it is still
 * pending or approved and none of its posts was claimed on any channel; *done says
 * whether it was. Inside the caller's transaction.
 */
/* The first draft not sent yet (pending or approved, no post claimed) among those whose
 * uuid among selects: an SQL SELECT of one column whose one parameter ?1 is key. uuid
 * receives it, "" when there is none. */
ii_err draft_unsent_among(struct store *s, const char *among, const char *key, char uuid[37],
			  struct ii_error *e);

ii_err draft_supersede(struct store *store, const char *uuid, const char *why,
		       const struct draft_actor *actor, bool *done, struct ii_error *e);

/* The id of the latest audit entry that changed what is published (a publication or a
 * retraction), 0 when there is none: what the feeds must reflect. */
ii_err draft_audit_last_publication(struct store *store, long long *id, struct ii_error *e);

/* Whether ref, a remote reference on channel, is recorded (sent) by any post other than
 * post seq of draft uuid. */
ii_err draft_ref_taken(struct store *store, const char *channel, const char *ref,
		       const char *uuid, size_t seq, bool *taken, struct ii_error *e);

/* A post that would repeat one already on a channel, found by draft_find_repeat(). */
struct draft_repeat {
	size_t part;        /* of the thread checked, from 0 */
	char draft[37];     /* the draft whose post it repeats; "" when an earlier part of its
			     * own thread */
	size_t other_part;  /* that post, from 0 */
	size_t other_count; /* how many posts that draft has */
};

/*
 * The parts of a thread, posts[0..count) (a NULL entry is not checked: a part already
 * published), that repeat a post of another draft that was sent, or is being sent, on
 * channel (the journal), or an earlier part of the same thread: channels refuse a repeated
 * post (X: 403 duplicate content). Texts are compared as X compares them, at least: the
 * same text in NFC, every run of white space (spaces, tabs, line breaks) counted as one
 * space, and none at either end. The posts of the thread's own draft, self_uuid or the
 * draft of the notice self_source (either may be NULL), do not count. out, room for count
 * entries, receives one per repeating part, in order (each with the earliest post it
 * repeats), and *found how many. store may be NULL (no database yet): then only the thread
 * itself is compared.
 */
ii_err draft_find_repeat(struct store *store, const char *channel, const char *self_uuid,
			 const char *self_source, const char *const *posts, size_t count,
			 struct draft_repeat *out, size_t *found, struct ii_error *e);

/* r in words, for a thread of count posts on channel (a name, "X"): "post 5/5 repeats draft
 * 1a2b3c4d's post 5/5, already on X, which refuses a repeated post". */
void draft_repeat_describe(const struct draft_repeat *r, size_t count, const char *channel,
			   char *out, size_t size);

/*
 * How a draft ended on one channel: a draft goes to every configured channel, each on its
 * own, and its status (draft_published(), draft_failed()) sums them up once every channel
 * has ended. A revision of the draft forgets how it ended everywhere, so that the new
 * version goes to every channel again (a channel where it is public whole ends at once). One statement each, inside the caller's transaction.
 */
enum draft_delivery { DRAFT_DELIVERY_NONE, DRAFT_DELIVERY_PUBLISHED, DRAFT_DELIVERY_FAILED };
/* *state on channel (an id, as "x"), and error (may be NULL, room for 512 bytes) why it
 * failed, "" otherwise. */
ii_err draft_delivery_get(struct store *store, const char *uuid, const char *channel,
			  enum draft_delivery *state, char *error, struct ii_error *e);
/* Records state (not DRAFT_DELIVERY_NONE) at at; error may be NULL. */
ii_err draft_delivery_set(struct store *store, const char *uuid, const char *channel,
			  enum draft_delivery state, const char *error, time_t at,
			  struct ii_error *e);

/* The end of a draft's publication: published (all posts sent), or failed with why. */
ii_err draft_published(struct store *store, const char *uuid, const struct draft_actor *actor,
		       struct ii_error *e);
ii_err draft_failed(struct store *store, const char *uuid, const char *why,
		    const struct draft_actor *actor, struct ii_error *e);
/* A published draft whose posts were deleted: it becomes rejected (no status of its own),
 * with the reason as its error, and the audit trail says "retracted". */
ii_err draft_retracted(struct store *store, const char *uuid, const char *reason,
		       const struct draft_actor *actor, struct ii_error *e);
#endif
