/* Unit tests of lib/notify: the event vocabulary, the journal's once-only raise and
 * backoff, and the texts the backends send (mail and webhook JSON). */

#include "unit.h"

#include <cjson/cJSON.h>
#include <openssl/evp.h>

#include "notify.h"
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
					 "all canaries failed", NULL};
	size_t queued;
	unit_ok(notify_raise(f->store, f->cfg, &spec, 1000, &queued, &f->err), &f->err);
	assert_int_equal(queued, 2);
	unit_ok(notify_raise(f->store, f->cfg, &spec, 2000, &queued, &f->err), &f->err);
	assert_int_equal(queued, 0);
	/* chat hears only of the monitor */
	const struct notify_spec other = {NOTIFY_DRAFT_WAITING, "d:h", "Draft waiting", "b", NULL};
	unit_ok(notify_raise(f->store, f->cfg, &other, 1000, &queued, &f->err), &f->err);
	assert_int_equal(queued, 1);
	assert_int_equal(count(f, "target = 'chat'"), 1);
	assert_int_equal(count(f, "state = 'pending' AND next_at = 1000"), 3);
}

static void refused_connection_is_retried_after_the_backoff(void **state)
{
	struct fixture *f = *state;
	/* nothing listens on loopback's ports 1 and 465: both targets are tried again later */
	const struct notify_spec spec = {NOTIFY_MONITOR_ONLINE, "k", "Monitor online again", "b", NULL};
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(event_names_round_trip),
		UNIT_TEST(raise_once_per_key_and_subscribed_target),
		UNIT_TEST(refused_connection_is_retried_after_the_backoff),
		UNIT_TEST(mail_text_is_rfc5322_with_encoded_subject),
		UNIT_TEST(webhook_json_has_text_and_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
