/* Unit tests of lib/health: classifying one probe, and the hysteresis of health_step. */

#include "unit.h"

#include "health.h"

#define NOW ((time_t)1760000000) /* 2025-10-09 */
#define DAY 86400

/* A service with the defaults of README.md ("[service ID]"), as config_load fills it. */
static struct config_service service(void)
{
	struct config_service svc;
	memset(&svc, 0, sizeof svc);
	svc.id = "sede";
	svc.name = "Sede";
	svc.url = "https://sede.seg-social.gob.es/";
	svc.method = "GET";
	svc.expect_status_text = "200-299";
	assert_true(statusset_parse(svc.expect_status_text, &svc.expect_status));
	svc.degraded_ms = 3000;
	svc.timeout_ms = 10000;
	svc.follow_redirects = 5;
	svc.cert_warn_days = 14;
	svc.retries = 1;
	svc.failures_to_open = 3;
	svc.successes_to_resolve = 2;
	return svc;
}

/* A fast HTTP 200 response with body (NUL-terminated; its length is strlen). */
static struct probe_result response(long status, const char *body)
{
	struct probe_result p;
	memset(&p, 0, sizeof p);
	p.failure = PROBE_OK;
	p.http_status = status;
	p.time_ms = 120;
	p.attempts = 1;
	p.body = (char *)body;
	p.body_len = body ? strlen(body) : 0;
	return p;
}

static struct probe_result transport_error(enum probe_failure failure, const char *error)
{
	struct probe_result p;
	memset(&p, 0, sizeof p);
	p.failure = failure;
	snprintf(p.error, sizeof p.error, "%s", error);
	p.time_ms = 42;
	p.attempts = 2;
	return p;
}

/* Classifies and checks both the result and the exact reason. */
#define assert_classified(svc, probe, expected, expected_reason)                              \
	do {                                                                                   \
		char reason_[256] = "";                                                        \
		enum health got_ = health_classify((svc), (probe), NOW, reason_, sizeof reason_); \
		assert_string_equal(health_name(got_), health_name(expected));                 \
		assert_string_equal(reason_, (expected_reason));                               \
	} while (0)

static void list_of(struct strlist *list, char **items, size_t count)
{
	list->items = items;
	list->count = count;
}

/* ---- health_classify ---- */

static void up(void **state)
{
	(void)state;
	struct config_service svc = service();
	struct probe_result p = response(200, "<html>Seguridad Social</html>");
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
	p.http_status = 299;
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 299");
}

static void unexpected_status(void **state)
{
	(void)state;
	struct config_service svc = service();
	struct probe_result p = response(503, "Service Unavailable");
	assert_classified(&svc, &p, HEALTH_DOWN, "HTTP 503");
	p.http_status = 300;
	assert_classified(&svc, &p, HEALTH_DOWN, "HTTP 300");
	p.http_status = 199;
	assert_classified(&svc, &p, HEALTH_DOWN, "HTTP 199");
}

static void configured_status_set(void **state)
{
	(void)state;
	struct config_service svc = service();
	assert_true(statusset_parse("200,301-302", &svc.expect_status));
	struct probe_result p = response(302, "");
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 302");
	p.http_status = 204;
	assert_classified(&svc, &p, HEALTH_DOWN, "HTTP 204");
}

static void timeout(void **state)
{
	(void)state;
	struct config_service svc = service();
	struct probe_result p = transport_error(PROBE_TIMEOUT, "Operation timed out after 10001 ms");
	assert_classified(&svc, &p, HEALTH_DOWN, "timeout after 10000 ms");
	svc.timeout_ms = 2500;
	assert_classified(&svc, &p, HEALTH_DOWN, "timeout after 2500 ms");
}

static void transport_errors_are_down(void **state)
{
	(void)state;
	struct config_service svc = service();
	static const struct {
		enum probe_failure failure;
		const char *error;
	} cases[] = {
		{PROBE_CONNECT, "Failed to connect to sede.seg-social.gob.es port 443: Connection refused"},
		{PROBE_DNS, "Could not resolve host: sede.seg-social.gob.es"},
		{PROBE_TLS, "SSL certificate problem: certificate has expired"},
		{PROBE_PROTOCOL, "Weird server reply"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct probe_result p = transport_error(cases[i].failure, cases[i].error);
		char reason[256] = "";
		assert_int_equal(health_classify(&svc, &p, NOW, reason, sizeof reason), HEALTH_DOWN);
		unit_assert_contains(reason, cases[i].error);
	}
}

static void too_many_redirects_is_down(void **state)
{
	(void)state;
	struct config_service svc = service();
	struct probe_result p = transport_error(PROBE_REDIRECTS, "Maximum (5) redirects followed");
	char reason[256] = "";
	assert_int_equal(health_classify(&svc, &p, NOW, reason, sizeof reason), HEALTH_DOWN);
	assert_true(reason[0] != '\0');
}

static void transport_error_wins_over_a_stale_status(void **state)
{
	(void)state;
	/* a failed transfer that had read a 200 header is still a failure */
	struct config_service svc = service();
	struct probe_result p = transport_error(PROBE_TIMEOUT, "Operation timed out");
	p.http_status = 200;
	assert_classified(&svc, &p, HEALTH_DOWN, "timeout after 10000 ms");
}

static void reject_text_found(void **state)
{
	(void)state;
	struct config_service svc = service();
	char *reject[] = {"cerrado", "mantenimiento"};
	list_of(&svc.reject_text, reject, 2);
	struct probe_result p = response(200, "<p>Sede en mantenimiento</p>");
	assert_classified(&svc, &p, HEALTH_DOWN, "text 'mantenimiento' found");
	p = response(200, "<p>Sede abierta</p>");
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
}

static void texts_are_searched_byte_for_byte(void **state)
{
	(void)state;
	struct config_service svc = service();
	char *reject[] = {"mantenimiento"};
	list_of(&svc.reject_text, reject, 1);
	/* a NUL before the text does not hide it */
	static const char body[] = "<p>\0 en mantenimiento</p>";
	struct probe_result p = response(200, NULL);
	p.body = (char *)body;
	p.body_len = sizeof body - 1;
	assert_classified(&svc, &p, HEALTH_DOWN, "text 'mantenimiento' found");
	/* and the search is case-sensitive */
	p = response(200, "<p>MANTENIMIENTO</p>");
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
	/* nothing past body_len is searched */
	static const char cut[] = "<p>en manten</p>imiento";
	p = response(200, NULL);
	p.body = (char *)cut;
	p.body_len = strlen("<p>en manten");
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
}

static void expect_text_missing(void **state)
{
	(void)state;
	struct config_service svc = service();
	char *expect[] = {"Seguridad Social", "Cita previa"};
	list_of(&svc.expect_text, expect, 2);
	struct probe_result p = response(200, "<h1>Seguridad Social</h1>");
	assert_classified(&svc, &p, HEALTH_DOWN, "text 'Cita previa' not found");
	p = response(200, "<h1>Seguridad Social</h1><a>Cita previa</a>");
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
}

static void expect_text_without_body(void **state)
{
	(void)state;
	struct config_service svc = service();
	char *expect[] = {"Seguridad Social"};
	list_of(&svc.expect_text, expect, 1);
	struct probe_result p = response(200, NULL);
	assert_classified(&svc, &p, HEALTH_DOWN, "text 'Seguridad Social' not found");
}

static void status_is_checked_before_texts(void **state)
{
	(void)state;
	struct config_service svc = service();
	char *reject[] = {"mantenimiento"};
	char *expect[] = {"Seguridad Social"};
	list_of(&svc.reject_text, reject, 1);
	list_of(&svc.expect_text, expect, 1);
	struct probe_result p = response(503, "mantenimiento");
	assert_classified(&svc, &p, HEALTH_DOWN, "HTTP 503");
}

static const char html[] = "<!DOCTYPE html><html><head><title>Seguridad Social</title></head>"
			   "<body><div id=\"avisos\"><p>Uno<p>Dos<br></div></body></html>";

static void expect_xpath_matches(void **state)
{
	(void)state;
	struct config_service svc = service();
	svc.expect_xpath = "//title[contains(., 'Seguridad Social')]";
	struct probe_result p = response(200, html);
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
	/* HTML, not XML: unclosed <p> and <br> are parsed as HTML would */
	svc.expect_xpath = "//div[@id='avisos']/p[2]";
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
	svc.expect_xpath = "count(//p) = 2";
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
	svc.expect_xpath = "count(//p)";
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
}

static void expect_xpath_matches_nothing(void **state)
{
	(void)state;
	struct config_service svc = service();
	svc.expect_xpath = "//div[@id='cita']";
	struct probe_result p = response(200, html);
	assert_classified(&svc, &p, HEALTH_DOWN, "XPath '//div[@id='cita']' matched nothing");
	svc.expect_xpath = "count(//p) = 3";
	assert_classified(&svc, &p, HEALTH_DOWN, "XPath 'count(//p) = 3' matched nothing");
	/* a number or string result counts as its boolean value */
	svc.expect_xpath = "count(//table)";
	assert_classified(&svc, &p, HEALTH_DOWN, "XPath 'count(//table)' matched nothing");
	svc.expect_xpath = "string(//h1)";
	assert_classified(&svc, &p, HEALTH_DOWN, "XPath 'string(//h1)' matched nothing");
	p = response(200, "");
	svc.expect_xpath = "//title";
	assert_classified(&svc, &p, HEALTH_DOWN, "XPath '//title' matched nothing");
}

static void slow_is_degraded(void **state)
{
	(void)state;
	struct config_service svc = service();
	struct probe_result p = response(200, "ok");
	p.time_ms = 3512;
	assert_classified(&svc, &p, HEALTH_DEGRADED, "slow: 3512 ms");
	/* "slower than degraded_ms": exactly the limit is still up */
	p.time_ms = 3000;
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
	p.time_ms = 3001;
	assert_classified(&svc, &p, HEALTH_DEGRADED, "slow: 3001 ms");
}

static void slow_but_failing_is_down(void **state)
{
	(void)state;
	struct config_service svc = service();
	struct probe_result p = response(500, "error");
	p.time_ms = 9000;
	assert_classified(&svc, &p, HEALTH_DOWN, "HTTP 500");
}

static void certificate_expiring_is_degraded(void **state)
{
	(void)state;
	struct config_service svc = service();
	struct probe_result p = response(200, "ok");
	/* days are rounded up: a 5-day certificate made a minute ago expires "in 5 days" */
	p.cert_expiry = NOW + 5 * DAY - 60;
	assert_classified(&svc, &p, HEALTH_DEGRADED, "certificate expires in 5 days");
	p.cert_expiry = NOW + 5 * DAY;
	assert_classified(&svc, &p, HEALTH_DEGRADED, "certificate expires in 5 days");
	p.cert_expiry = NOW + 3600;
	assert_classified(&svc, &p, HEALTH_DEGRADED, "certificate expires in 1 day");
	p.cert_expiry = NOW + 13 * DAY + 60;
	assert_classified(&svc, &p, HEALTH_DEGRADED, "certificate expires in 14 days");
	/* already expired (TLS would normally refuse it first) */
	p.cert_expiry = NOW - 3 * DAY;
	assert_classified(&svc, &p, HEALTH_DEGRADED, "certificate expires in 0 days");
}

static void certificate_far_from_expiry_is_up(void **state)
{
	(void)state;
	struct config_service svc = service();
	struct probe_result p = response(200, "ok");
	p.cert_expiry = NOW + 14 * DAY;
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
	p.cert_expiry = NOW + 400 * DAY;
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
	/* 0: no certificate (http) or unknown expiry */
	p.cert_expiry = 0;
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
}

static void cert_warn_days_follows_the_service(void **state)
{
	(void)state;
	struct config_service svc = service();
	svc.cert_warn_days = 30;
	struct probe_result p = response(200, "ok");
	p.cert_expiry = NOW + 20 * DAY;
	assert_classified(&svc, &p, HEALTH_DEGRADED, "certificate expires in 20 days");
	svc.cert_warn_days = 7;
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
}

static void cert_warn_days_zero_disables(void **state)
{
	(void)state;
	struct config_service svc = service();
	svc.cert_warn_days = 0;
	struct probe_result p = response(200, "ok");
	p.cert_expiry = NOW + 3600;
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
	p.cert_expiry = NOW - DAY;
	assert_classified(&svc, &p, HEALTH_UP, "HTTP 200");
}

static void reason_is_truncated_to_its_buffer(void **state)
{
	(void)state;
	struct config_service svc = service();
	struct probe_result p = response(503, "");
	char reason[8];
	memset(reason, 'x', sizeof reason);
	assert_int_equal(health_classify(&svc, &p, NOW, reason, 5), HEALTH_DOWN);
	assert_string_equal(reason, "HTTP");
	assert_int_equal(reason[5], 'x');
}

/* ---- names ---- */

static void names_round_trip(void **state)
{
	(void)state;
	static const enum health all[] = {HEALTH_UNKNOWN, HEALTH_UP, HEALTH_DEGRADED, HEALTH_DOWN};
	static const char *const names[] = {"unknown", "up", "degraded", "down"};
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(health_name(all[i]), names[i]);
		assert_int_equal(health_from_name(names[i]), all[i]);
	}
	assert_int_equal(health_from_name("DOWN"), HEALTH_UNKNOWN);
	assert_int_equal(health_from_name(""), HEALTH_UNKNOWN);
}

/* ---- health_step ---- */

/* One check a minute from NOW: the time of check i. */
#define AT(i) (NOW + 60 * (time_t)(i))

static struct health_state fresh(void)
{
	struct health_state s;
	memset(&s, 0, sizeof s);
	s.state = HEALTH_UNKNOWN;
	return s;
}

static struct health_state confirmed(enum health h, time_t since)
{
	struct health_state s = fresh();
	s.state = h;
	s.since = since;
	return s;
}

static void first_success_goes_up(void **state)
{
	(void)state;
	struct health_state s = fresh();
	assert_int_equal(health_step(&s, HEALTH_UP, AT(0), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.since, AT(0));
	assert_int_equal(s.successes, 1);
	assert_int_equal(s.failures, 0);

	s = fresh();
	assert_int_equal(health_step(&s, HEALTH_DEGRADED, AT(0), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_DEGRADED);
	assert_int_equal(s.since, AT(0));
}

static void down_only_after_failures_to_open(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_UP, AT(-100));
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(0), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.since, AT(-100));
	assert_int_equal(s.failures, 1);
	assert_int_equal(s.first_failure, AT(0));
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(1), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.failures, 2);
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(2), 3, 2), HEALTH_OPENED);
	assert_int_equal(s.state, HEALTH_DOWN);
	assert_int_equal(s.since, AT(0)); /* the first failure, not the confirming one */
	assert_int_equal(s.failures, 3);
	assert_int_equal(s.first_failure, AT(0));
	assert_int_equal(s.successes, 0);
}

static void opened_exactly_once(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_UP, AT(-100));
	int opened = 0;
	for (int i = 0; i < 20; i++)
		if (health_step(&s, HEALTH_DOWN, AT(i), 3, 2) == HEALTH_OPENED)
			opened++;
	assert_int_equal(opened, 1);
	assert_int_equal(s.state, HEALTH_DOWN);
	assert_int_equal(s.since, AT(0));
	assert_int_equal(s.failures, 20);
	assert_int_equal(s.first_failure, AT(0));
}

static void down_from_unknown(void **state)
{
	(void)state;
	/* a service failing from its very first check is confirmed down too */
	struct health_state s = fresh();
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(0), 2, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_UNKNOWN);
	assert_int_equal(s.since, 0);
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(1), 2, 2), HEALTH_OPENED);
	assert_int_equal(s.state, HEALTH_DOWN);
	assert_int_equal(s.since, AT(0));
}

static void success_between_failures_resets(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_UP, AT(-100));
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(0), 3, 2), HEALTH_STEADY);
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(1), 3, 2), HEALTH_STEADY);
	assert_int_equal(health_step(&s, HEALTH_UP, AT(2), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.failures, 0);
	assert_int_equal(s.first_failure, 0);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.since, AT(-100)); /* still the same up period */
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(3), 3, 2), HEALTH_STEADY);
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(4), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(5), 3, 2), HEALTH_OPENED);
	assert_int_equal(s.since, AT(3));
}

static void degraded_between_failures_resets(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_UP, AT(-100));
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(0), 2, 2), HEALTH_STEADY);
	assert_int_equal(health_step(&s, HEALTH_DEGRADED, AT(1), 2, 2), HEALTH_STEADY);
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(2), 2, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_DEGRADED);
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(3), 2, 2), HEALTH_OPENED);
	assert_int_equal(s.since, AT(2));
}

static void up_again_only_after_successes_to_resolve(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_DOWN, AT(-10));
	s.failures = 7;
	s.first_failure = AT(-10);
	assert_int_equal(health_step(&s, HEALTH_UP, AT(0), 3, 3), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_DOWN);
	assert_int_equal(s.since, AT(-10));
	assert_int_equal(s.failures, 0);
	assert_int_equal(s.successes, 1);
	assert_int_equal(s.first_success, AT(0));
	assert_int_equal(health_step(&s, HEALTH_UP, AT(1), 3, 3), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_DOWN);
	assert_int_equal(health_step(&s, HEALTH_UP, AT(2), 3, 3), HEALTH_RESOLVED);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.since, AT(0)); /* the first good check */
	assert_int_equal(s.first_success, AT(0));
	assert_int_equal(s.successes, 3);
	/* and once up, further successes change nothing */
	assert_int_equal(health_step(&s, HEALTH_UP, AT(3), 3, 3), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.since, AT(0));
}

static void resolved_exactly_once(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_DOWN, AT(-10));
	int resolved = 0;
	for (int i = 0; i < 10; i++)
		if (health_step(&s, HEALTH_UP, AT(i), 3, 2) == HEALTH_RESOLVED)
			resolved++;
	assert_int_equal(resolved, 1);
}

static void failure_between_successes_resets(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_DOWN, AT(-10));
	assert_int_equal(health_step(&s, HEALTH_UP, AT(0), 3, 2), HEALTH_STEADY);
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(1), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.successes, 0);
	assert_int_equal(s.first_success, 0);
	assert_int_equal(s.state, HEALTH_DOWN);
	assert_int_equal(s.since, AT(-10));
	assert_int_equal(health_step(&s, HEALTH_UP, AT(2), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_DOWN);
	assert_int_equal(health_step(&s, HEALTH_UP, AT(3), 3, 2), HEALTH_RESOLVED);
	assert_int_equal(s.since, AT(2));
}

static void degraded_counts_for_resolution(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_DOWN, AT(-10));
	assert_int_equal(health_step(&s, HEALTH_DEGRADED, AT(0), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_DOWN);
	assert_int_equal(health_step(&s, HEALTH_UP, AT(1), 3, 2), HEALTH_RESOLVED);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.since, AT(0));

	s = confirmed(HEALTH_DOWN, AT(-10));
	assert_int_equal(health_step(&s, HEALTH_DEGRADED, AT(0), 3, 2), HEALTH_STEADY);
	assert_int_equal(health_step(&s, HEALTH_DEGRADED, AT(1), 3, 2), HEALTH_RESOLVED);
	assert_int_equal(s.state, HEALTH_DEGRADED);
	assert_int_equal(s.since, AT(0));
}

static void up_and_degraded_switch_without_hysteresis(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_UP, AT(-10));
	assert_int_equal(health_step(&s, HEALTH_DEGRADED, AT(0), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_DEGRADED);
	assert_int_equal(s.since, AT(0));
	assert_int_equal(health_step(&s, HEALTH_DEGRADED, AT(1), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.since, AT(0));
	assert_int_equal(health_step(&s, HEALTH_UP, AT(2), 3, 2), HEALTH_STEADY);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.since, AT(2));
}

static void thresholds_of_one(void **state)
{
	(void)state;
	struct health_state s = confirmed(HEALTH_UP, AT(-10));
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(0), 1, 1), HEALTH_OPENED);
	assert_int_equal(s.state, HEALTH_DOWN);
	assert_int_equal(s.since, AT(0));
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(1), 1, 1), HEALTH_STEADY);
	assert_int_equal(health_step(&s, HEALTH_UP, AT(2), 1, 1), HEALTH_RESOLVED);
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.since, AT(2));
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(3), 1, 1), HEALTH_OPENED);
	assert_int_equal(s.since, AT(3));

	s = fresh();
	assert_int_equal(health_step(&s, HEALTH_DOWN, AT(0), 1, 1), HEALTH_OPENED);
	assert_int_equal(s.state, HEALTH_DOWN);
}

static void full_outage_cycle(void **state)
{
	(void)state;
	/* up, three failures (opened at the first), two successes (resolved at the first) */
	static const enum health results[] = {HEALTH_UP,   HEALTH_UP,   HEALTH_DOWN, HEALTH_DOWN,
					      HEALTH_DOWN, HEALTH_DOWN, HEALTH_UP,   HEALTH_UP,
					      HEALTH_UP};
	static const enum health_transition expected[] = {
		HEALTH_STEADY, HEALTH_STEADY, HEALTH_STEADY,   HEALTH_STEADY, HEALTH_OPENED,
		HEALTH_STEADY, HEALTH_STEADY, HEALTH_RESOLVED, HEALTH_STEADY};
	struct health_state s = fresh();
	for (int i = 0; i < 9; i++) {
		enum health_transition t = health_step(&s, results[i], AT(i), 3, 2);
		if (t != expected[i])
			fail_msg("check %d: transition %d, expected %d", i, t, expected[i]);
		if (t == HEALTH_OPENED)
			assert_int_equal(s.since, AT(2));
		if (t == HEALTH_RESOLVED)
			assert_int_equal(s.since, AT(6));
	}
	assert_int_equal(s.state, HEALTH_UP);
	assert_int_equal(s.successes, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(up),
		cmocka_unit_test(unexpected_status),
		cmocka_unit_test(configured_status_set),
		cmocka_unit_test(timeout),
		cmocka_unit_test(transport_errors_are_down),
		cmocka_unit_test(too_many_redirects_is_down),
		cmocka_unit_test(transport_error_wins_over_a_stale_status),
		cmocka_unit_test(reject_text_found),
		cmocka_unit_test(texts_are_searched_byte_for_byte),
		cmocka_unit_test(expect_text_missing),
		cmocka_unit_test(expect_text_without_body),
		cmocka_unit_test(status_is_checked_before_texts),
		cmocka_unit_test(expect_xpath_matches),
		cmocka_unit_test(expect_xpath_matches_nothing),
		cmocka_unit_test(slow_is_degraded),
		cmocka_unit_test(slow_but_failing_is_down),
		cmocka_unit_test(certificate_expiring_is_degraded),
		cmocka_unit_test(certificate_far_from_expiry_is_up),
		cmocka_unit_test(cert_warn_days_follows_the_service),
		cmocka_unit_test(cert_warn_days_zero_disables),
		cmocka_unit_test(reason_is_truncated_to_its_buffer),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(first_success_goes_up),
		cmocka_unit_test(down_only_after_failures_to_open),
		cmocka_unit_test(opened_exactly_once),
		cmocka_unit_test(down_from_unknown),
		cmocka_unit_test(success_between_failures_resets),
		cmocka_unit_test(degraded_between_failures_resets),
		cmocka_unit_test(up_again_only_after_successes_to_resolve),
		cmocka_unit_test(resolved_exactly_once),
		cmocka_unit_test(failure_between_successes_resets),
		cmocka_unit_test(degraded_counts_for_resolution),
		cmocka_unit_test(up_and_degraded_switch_without_hysteresis),
		cmocka_unit_test(thresholds_of_one),
		cmocka_unit_test(full_outage_cycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
