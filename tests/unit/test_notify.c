/* Unit tests of lib/notify: the event vocabulary, the journal's once-only raise and
 * backoff, and the texts the backends send (mail and webhook JSON). */

#include "unit.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "notify.h"
#include "people.h"
#include "store.h"
#include "store_sql.h"

struct fixture {
	char *dir;
	struct store *store;
	struct config *cfg;
	struct diag_list *diags;
	struct ii_error err;
};

static void init(struct fixture *f)
{
	unit_ok(store_open(f->dir, STORE_WRITE, &f->store, &f->err), &f->err);
	f->diags = diag_new();
	unit_config_load(f->dir,
			 "[notify mail]\ntype = smtp\nurl = smtps://127.0.0.1:465\n"
			 "from = incluinfo@seg-social.es\nto = a@seg-social.es b@seg-social.es\n"
			 "[notify chat]\ntype = webhook\nurl = https://127.0.0.1:1/x\n"
			 "events = monitor_offline monitor_online\n",
			 &f->cfg, f->diags, &f->err);
}

static void fini(struct fixture *f)
{
	store_close(f->store);
	config_free(f->cfg);
	diag_free(f->diags);
}

UNIT_FIXTURE(init, fini)

static long long count(struct fixture *f, const char *where)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM notification WHERE %s", where);
	sqlite3_stmt *stmt;
	long long n = -1;
	unit_ok(store_prepare(f->store, sql, &stmt, &f->err), &f->err);
	unit_ok(store_first_int(f->store, stmt, &n, "count", &f->err), &f->err);
	return n;
}

static void event_names_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < NOTIFY_EVENT_COUNT; i++) {
		enum notify_event ev;
		assert_true(notify_event_parse(notify_event_name((enum notify_event)i), &ev));
		assert_int_equal(ev, i);
	}
	enum notify_event ev = NOTIFY_DRAFT_WAITING;
	assert_false(notify_event_parse("incidente_confirmado", &ev));
	assert_int_equal(ev, NOTIFY_DRAFT_WAITING);
}

static void raise_once_per_key_and_subscribed_target(void **state)
{
	struct fixture *f = *state;
	const struct notify_spec spec = {NOTIFY_MONITOR_OFFLINE, "monitor_offline:1", "Monitor offline",
					 "all canaries failed", NULL, NULL};
	size_t queued;
	unit_ok(notify_raise(f->store, f->cfg, &spec, 1000, &queued, &f->err), &f->err);
	assert_int_equal(queued, 2);
	unit_ok(notify_raise(f->store, f->cfg, &spec, 2000, &queued, &f->err), &f->err);
	assert_int_equal(queued, 0);
	/* chat hears only of the monitor */
	const struct notify_spec other = {NOTIFY_DRAFT_WAITING, "d:h", "Draft waiting", "b", NULL, NULL};
	unit_ok(notify_raise(f->store, f->cfg, &other, 1000, &queued, &f->err), &f->err);
	assert_int_equal(queued, 1);
	assert_int_equal(count(f, "target = 'chat'"), 1);
	assert_int_equal(count(f, "state = 'pending' AND next_at = 1000"), 3);
}

static void refused_connection_is_retried_after_the_backoff(void **state)
{
	struct fixture *f = *state;
	/* nothing listens on loopback's ports 1 and 465: both targets are tried again later */
	const struct notify_spec spec = {NOTIFY_MONITOR_ONLINE, "k", "Monitor online again", "b", NULL, NULL};
	unit_ok(notify_raise(f->store, f->cfg, &spec, 1000, NULL, &f->err), &f->err);
	struct notify_report rep;
	unit_ok(notify_deliver(f->store, f->cfg, 1000, &rep, &f->err), &f->err);
	assert_int_equal(rep.sent, 0);
	assert_int_equal(rep.retrying, 2);
	notify_report_free(&rep);
	assert_int_equal(count(f, "state = 'pending' AND attempts = 1 AND next_at = 1060"), 2);
	/* not due again before the backoff */
	unit_ok(notify_deliver(f->store, f->cfg, 1000 + NOTIFY_BACKOFF_SECONDS - 1, &rep, &f->err), &f->err);
	assert_int_equal(rep.sent + rep.retrying + rep.undelivered_count, 0);
	notify_report_free(&rep);
}

static void mail_text_is_rfc5322_with_encoded_subject(void **state)
{
	struct fixture *f = *state;
	const char *to[] = {"a@seg-social.es", "b@seg-social.es"};
	const struct notify_message msg = {
		.event = NOTIFY_INCIDENT_CONFIRMED,
		.event_key = "incident_confirmed:6f1c",
		.title = "La Sede Electrónica de la Seguridad Social no funciona desde las 10:42 — ñ",
		.body = "cuerpo\n.línea con punto",
		.url = "https://sede.seg-social.gob.es/",
		.at = 1764322920,
		.recipients = to,
		.recipient_count = 2,
	};
	char *text = notify_mail_text(&f->cfg->notify[0], &msg);
	assert_non_null(text);
	for (const char *c = text; *c; c++)
		if (*c == '\n')
			assert_int_equal(c[-1], '\r'); /* every line ends in CRLF */
	unit_assert_contains(text, "From: incluinfo@seg-social.es\r\n");
	unit_assert_contains(text, "To: a@seg-social.es, b@seg-social.es\r\n");
	unit_assert_contains(text, "X-Incluinfo-Event: incident_confirmed\r\n");
	unit_assert_contains(text, "Content-Type: text/plain; charset=UTF-8\r\n");
	/* the same key, the same Message-ID */
	char *again = notify_mail_text(&f->cfg->notify[0], &msg);
	const char *id = strstr(text, "Message-ID: <"), *id2 = strstr(again, "Message-ID: <");
	assert_non_null(id);
	assert_memory_equal(id, id2, 60);
	free(again);
	/* the subject: encoded words of at most 75 characters, decoding to the title */
	const char *subject = strstr(text, "Subject:") + 8;
	const char *end = strstr(subject, "\r\nMIME");
	char decoded[512] = "";
	while (subject < end) {
		const char *word = strstr(subject, "=?UTF-8?B?");
		const char *close = strstr(word, "?=");
		assert_true(close - word + 2 <= 75);
		unsigned char out[128];
		int n = EVP_DecodeBlock(out, (const unsigned char *)word + 10, (int)(close - word - 10));
		int pad = close[-1] == '=' ? (close[-2] == '=' ? 2 : 1) : 0;
		strncat(decoded, (const char *)out, (size_t)(n - pad));
		subject = close + 2;
	}
	assert_string_equal(decoded, msg.title);
	free(text);
}

static void webhook_json_has_text_and_fields(void **state)
{
	(void)state;
	const struct notify_message msg = {
		.event = NOTIFY_DRAFT_WAITING, .event_key = "draft_waiting:x", .title = "Draft waiting: \"<b>\"",
		.body = "Review it", .url = NULL,
	};
	char *json = notify_webhook_json(&msg);
	cJSON *o = cJSON_Parse(json);
	assert_non_null(o);
	assert_string_equal(cJSON_GetObjectItem(o, "text")->valuestring, "Draft waiting: \"<b>\"\n\nReview it");
	assert_string_equal(cJSON_GetObjectItem(o, "event")->valuestring, "draft_waiting");
	assert_string_equal(cJSON_GetObjectItem(o, "title")->valuestring, msg.title);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "url")));
	cJSON_Delete(o);
	free(json);
}

/* The people of the staff, and a target that names some of them and two groups. */
static const char people_conf[] =
	"[person ana]\nname = Ana Gil\nemail = ana@seg-social.es\nroles = approver\n"
	"[person jon]\nname = Jon Ruiz\nemail = Jon@seg-social.es\nroles = approver operator\n"
	"[person lucia]\nname = Lucía Martín\nemail = lucia@seg-social.es\nroles = author\n"
	"[person pepe]\nname = Pepe Sanz\nroles = approver author\n"
	"[notify mail]\ntype = smtp\nurl = smtps://127.0.0.1:465\nfrom = incluinfo@seg-social.es\n"
	"to = guardia@seg-social.es @approvers, @author jon\n"
	"[notify authors]\ntype = smtp\nurl = smtps://127.0.0.1:465\nfrom = incluinfo@seg-social.es\n"
	"to = @author\n";

/* notify_recipients() of target t for event about, joined by spaces. */
static void assert_recipients(const struct config *cfg, const char *target, enum notify_event event,
			      const char *about, const char *expected)
{
	const char *out[NOTIFY_MAX_RECIPIENTS];
	const struct config_person *person = about ? people_by_id(cfg, about) : NULL;
	size_t n = notify_recipients(cfg, config_find_notify(cfg, target), event, person, out,
				     NOTIFY_MAX_RECIPIENTS);
	char joined[512] = "";
	for (size_t i = 0; i < n; i++)
		snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s", i ? " " : "", out[i]);
	assert_string_equal(joined, expected);
}

static void recipients_are_the_people_each_event_is_for(void **state)
{
	struct fixture *f = *state;
	struct config *cfg;
	unit_config_load(f->dir, people_conf, &cfg, f->diags, &f->err);
	/* a draft waits: the approvers with an email, each once (Jon is named twice) */
	assert_recipients(cfg, "mail", NOTIFY_DRAFT_WAITING, "lucia",
			  "guardia@seg-social.es ana@seg-social.es Jon@seg-social.es");
	/* approved: its author, not the approvers */
	assert_recipients(cfg, "mail", NOTIFY_DRAFT_APPROVED, "lucia",
			  "guardia@seg-social.es lucia@seg-social.es Jon@seg-social.es");
	/* an author without an email, or none known, is nobody */
	assert_recipients(cfg, "mail", NOTIFY_DRAFT_REJECTED, "pepe",
			  "guardia@seg-social.es Jon@seg-social.es");
	assert_recipients(cfg, "mail", NOTIFY_NOTICE_INVALID, NULL,
			  "guardia@seg-social.es Jon@seg-social.es");
	assert_recipients(cfg, "mail", NOTIFY_INCIDENT_CONFIRMED, NULL,
			  "guardia@seg-social.es Jon@seg-social.es");
	assert_recipients(cfg, "authors", NOTIFY_INCIDENT_CONFIRMED, NULL, "");
	assert_recipients(cfg, "authors", NOTIFY_NOTICE_INVALID, "lucia", "lucia@seg-social.es");

	/* a target whose "to" reaches nobody for an event journals nothing for it */
	const struct notify_spec outage = {NOTIFY_INCIDENT_CONFIRMED, "i1", "Sede is down", "b", NULL, NULL};
	const struct notify_spec invalid = {NOTIFY_NOTICE_INVALID, "n:h", "Invalid notice", "b", NULL,
					    people_by_id(cfg, "lucia")};
	size_t queued;
	unit_ok(notify_raise(f->store, cfg, &outage, 1000, &queued, &f->err), &f->err);
	assert_int_equal(queued, 1);
	unit_ok(notify_raise(f->store, cfg, &invalid, 1000, &queued, &f->err), &f->err);
	assert_int_equal(queued, 2);
	assert_int_equal(count(f, "target = 'authors' AND person = 'lucia'"), 1);
	config_free(cfg);
}

static void webhook_names_the_person_an_event_is_for(void **state)
{
	(void)state;
	const struct config_person lucia = {.id = "lucia", .name = "Lucía Martín"};
	struct notify_message msg = {
		.event = NOTIFY_DRAFT_REJECTED, .event_key = "draft_rejected:x", .title = "Draft rejected: Cita",
		.body = "No", .about = &lucia,
	};
	char *json = notify_webhook_json(&msg);
	cJSON *o = cJSON_Parse(json);
	assert_string_equal(cJSON_GetObjectItem(o, "text")->valuestring, "Lucía Martín: Draft rejected: Cita\n\nNo");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "person"), "id")->valuestring, "lucia");
	cJSON_Delete(o);
	free(json);
	/* waiting is for the approvers, whom the room holds: nobody named */
	msg.event = NOTIFY_DRAFT_WAITING;
	json = notify_webhook_json(&msg);
	o = cJSON_Parse(json);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "person")));
	assert_string_equal(cJSON_GetObjectItem(o, "text")->valuestring, "Draft rejected: Cita\n\nNo");
	cJSON_Delete(o);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(event_names_round_trip),
		UNIT_TEST(raise_once_per_key_and_subscribed_target),
		UNIT_TEST(refused_connection_is_retried_after_the_backoff),
		UNIT_TEST(mail_text_is_rfc5322_with_encoded_subject),
		UNIT_TEST(webhook_json_has_text_and_fields),
		UNIT_TEST(recipients_are_the_people_each_event_is_for),
		UNIT_TEST(webhook_names_the_person_an_event_is_for),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
