/* Unit tests of lib/config: parsing, defaults, validation and its diagnostics. */

#include <locale.h>

#include "unit.h"

#include "config.h"

/* A temporary folder holding etc/incluinfo.conf, and what loading it gave. */
struct fixture {
	char *dir;  /* the temporary folder */
	char *etc;  /* dir/etc, the configuration's folder */
	char *path; /* dir/etc/incluinfo.conf */
	struct config *cfg;
	struct diag_list *diags;
	struct ii_error err;
};

static void init(struct fixture *f)
{
	f->etc = unit_mkdir(f->dir, "etc");
	f->path = unit_join(f->etc, "incluinfo.conf");
}

static void fini(struct fixture *f)
{
	config_free(f->cfg);
	diag_free(f->diags);
	free(f->etc);
	free(f->path);
}

UNIT_FIXTURE(init, fini)

/* Writes len bytes as the configuration file and loads it (again, if loaded before). */
static ii_err load_bytes(struct fixture *f, const char *data, size_t len)
{
	config_free(f->cfg);
	f->cfg = NULL;
	unit_renew_diags(&f->diags, &f->err);
	unit_write_bytes(f->path, data, len);
	return config_load(f->path, &f->cfg, f->diags, &f->err);
}

static ii_err load(struct fixture *f, const char *text)
{
	return load_bytes(f, text, strlen(text));
}

/* Shows the file and what loading it reported, for a failing test. */
static void print_diags(const struct fixture *f, const char *text)
{
	if (text)
		print_message("  file:\n%s\n", text);
	unit_print_diags(f->diags);
}

/* Loads text, which must be valid. */
static const struct config *load_ok(struct fixture *f, const char *text)
{
	ii_err rc = load(f, text);
	if (rc != II_OK || diag_count(f->diags) != 0) {
		print_diags(f, text);
		fail_msg("valid configuration refused (%d: %s)", rc, f->err.detail);
	}
	assert_non_null(f->cfg);
	return f->cfg;
}

/* Loads text, which must be refused with exactly count diagnostics. */
static void load_invalid(struct fixture *f, const char *text, size_t count)
{
	ii_err rc = load(f, text);
	if (rc != II_ECONFIG || diag_count(f->diags) != count) {
		print_diags(f, text);
		fail_msg("expected II_ECONFIG with %zu diagnostics, got %d with %zu", count, rc,
			 diag_count(f->diags));
	}
	assert_null(f->cfg);
}

/* Loads text, which must be refused; a refused url may also leave its service
 * reported for having none, so the count is only bounded. */
static void load_refused(struct fixture *f, const char *text, size_t at_most)
{
	ii_err rc = load(f, text);
	if (rc != II_ECONFIG || diag_count(f->diags) == 0 || diag_count(f->diags) > at_most) {
		print_diags(f, text);
		fail_msg("expected II_ECONFIG with 1 to %zu diagnostics, got %d with %zu", at_most,
			 rc, diag_count(f->diags));
	}
	assert_null(f->cfg);
}

/* Fails unless the diagnostics hold exactly "PATH:LINE: error: MESSAGE". */
#define assert_diag(f, line, message) assert_diag_at((f), (line), (message), __LINE__)

static void assert_diag_at(const struct fixture *f, int line, const char *message, int at)
{
	char *expected = NULL;
	assert_true(asprintf(&expected, "%s:%d: error: %s", f->path, line, message) >= 0);
	for (size_t i = 0; i < diag_count(f->diags); i++) {
		if (!strcmp(diag_at(f->diags, i), expected)) {
			free(expected);
			return;
		}
	}
	print_diags(f, NULL);
	fail_msg("line %d: no diagnostic '%s'", at, expected);
}

/* Loads one service section "[service sede]" (line 1, url on line 2) followed by extra. */
#define SEDE "[service sede]\nurl = https://sede.seg-social.gob.es/\n"

static const struct config_service *load_sede(struct fixture *f, const char *extra)
{
	char *text = NULL;
	assert_true(asprintf(&text, SEDE "%s", extra) >= 0);
	const struct config *cfg = load_ok(f, text);
	free(text);
	assert_int_equal(cfg->service_count, 1);
	return &cfg->services[0];
}

/* Loads the sede section followed by extra, which must give exactly one diagnostic at
 * line 3 (the first line of extra) reading message. */
static void sede_refuses(struct fixture *f, const char *extra, const char *message)
{
	char *text = NULL;
	assert_true(asprintf(&text, SEDE "%s", extra) >= 0);
	load_invalid(f, text, 1);
	free(text);
	assert_diag(f, 3, message);
}

/* ---- valid files ---- */

static void publishing_keys(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, SEDE "announce_degraded = yes\nremind_minutes = 0\n"
					       "flap_limit = 5\ngrace_minutes = 30\n"
					       "[general]\ntemplates_dir = plantillas\nrun_timeout = 40\n"
					       "[policy]\ntwo_person = true\n"
					       "[person lmartin]\nname = Lucía Martín\n"
					       "[twitter]\nthread_delay_ms = 0\ntimeout_ms = 5000\n"
					       "[feeds]\nbase_url = https://www.seg-social.es/feeds/\n"
					       "title = Avisos\nauthor = Ministerio\nsender = incluinfo@seg-social.es\n"
					       "rebuttal_url = https://www.seg-social.es/bulos/{slug}\n"
					       "max_entries = 20\n");
	const struct config_service *s = &cfg->services[0];
	assert_true(s->announce_degraded);
	assert_int_equal(s->remind_minutes, 0);
	assert_int_equal(s->flap_limit, 5);
	assert_int_equal(s->grace_minutes, 30);
	char *templates = unit_join(f->etc, "plantillas");
	assert_string_equal(cfg->templates_dir, templates);
	free(templates);
	assert_int_equal(cfg->run_timeout, 40);
	assert_true(cfg->two_person);
	assert_int_equal(cfg->thread_delay_ms, 0);
	assert_int_equal(cfg->api_timeout_ms, 5000);
	assert_string_equal(cfg->feeds.base_url, "https://www.seg-social.es/feeds/");
	assert_string_equal(cfg->feeds.title, "Avisos");
	assert_string_equal(cfg->feeds.author, "Ministerio");
	assert_string_equal(cfg->feeds.sender, "incluinfo@seg-social.es");
	assert_string_equal(cfg->feeds.sender_name, "Ministerio");
	assert_string_equal(cfg->feeds.rebuttal_url, "https://www.seg-social.es/bulos/{slug}");
	assert_int_equal(cfg->feeds.max_entries, 20);
	assert_null(cfg->feeds.legal_notice);
}

/* [twitter] prices and budget: X's defaults, dollars read with a point whatever the
 * locale, kept in micro-dollars */
static void x_prices_and_budget(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, SEDE "[twitter]\n");
	assert_int_equal(cfg->x_cost.post, 15000);
	assert_int_equal(cfg->x_cost.post_url, 200000);
	assert_int_equal(cfg->x_cost.read, 1000);
	assert_int_equal(cfg->x_cost.remove, 5000);
	assert_int_equal(cfg->x_cost.budget, -1);
	setlocale(LC_NUMERIC, "es_ES.UTF-8"); /* a decimal comma, where the system has it */
	cfg = load_ok(f, SEDE "[twitter]\nprice_post = 0.02\nprice_post_url = 1\nprice_read = 0.000001\n"
			      "price_delete = 0\nmonthly_budget = 12.5\n");
	setlocale(LC_NUMERIC, "C");
	assert_int_equal(cfg->x_cost.post, 20000);
	assert_int_equal(cfg->x_cost.post_url, 1000000);
	assert_int_equal(cfg->x_cost.read, 1);
	assert_int_equal(cfg->x_cost.remove, 0);
	assert_int_equal(cfg->x_cost.budget, 12500000);
	static const char *const refused[] = {"0,5", ".5", "5.", "-1", "0.0000001", "1e3", "$5",
					      "1000001", "99999999999999999999"};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		char *text = NULL;
		assert_true(asprintf(&text, SEDE "[twitter]\nmonthly_budget = %s\n", refused[i]) >= 0);
		load_invalid(f, text, 1);
		free(text);
		char *message = NULL;
		assert_true(asprintf(&message, "invalid value '%s' for 'monthly_budget': expected an amount "
				     "in US dollars with a point, like 0.015 or 50", refused[i]) >= 0);
		assert_diag(f, 4, message);
		free(message);
	}
}

/* [feeds] aviso_legal: a notice of a few sentences, longer than a name may be */
static void legal_notice(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, SEDE "[feeds]\naviso_legal = La información de esta "
					       "cuenta tiene carácter meramente informativo y no "
					       "sustituye a las publicaciones oficiales de la sede "
					       "electrónica, que son las que tienen validez jurídica.\n");
	assert_string_equal(cfg->feeds.legal_notice,
			    "La información de esta cuenta tiene carácter meramente informativo y no "
			    "sustituye a las publicaciones oficiales de la sede electrónica, que son "
			    "las que tienen validez jurídica.");
	char *words = unit_repeat('x', 1001), *text = NULL;
	assert_true(asprintf(&text, SEDE "[feeds]\naviso_legal = %s\n", words) >= 0);
	load_invalid(f, text, 1);
	free(text);
	assert_diag(f, 4, "value of 'aviso_legal' too long: 1001 bytes, at most 1000");
	free(words);
}

static void serve_section(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, SEDE);
	assert_string_equal(cfg->serve.listen, "127.0.0.1:8080");
	assert_string_equal(cfg->serve.user_header, "X-Remote-User");
	assert_int_equal(cfg->serve.proxies.count, 2);
	assert_string_equal(cfg->serve.proxies.items[1], "::1");
	assert_string_equal(cfg->serve.public_url, "http://127.0.0.1:8080/");
	cfg = load_ok(f, SEDE "[serve]\nlisten = [::1]:9090\nproxies = 10.0.0.7  fd00::7\n"
			      "user_header = X-Forwarded-User\n"
			      "public_url = https://incluinfo.intranet.example/\n");
	char host[64];
	unsigned port;
	assert_true(config_listen_parse(cfg->serve.listen, host, sizeof host, &port));
	assert_string_equal(host, "::1");
	assert_int_equal(port, 9090);
	assert_int_equal(cfg->serve.proxies.count, 2);
	assert_string_equal(cfg->serve.proxies.items[0], "10.0.0.7");
	assert_string_equal(cfg->serve.public_url, "https://incluinfo.intranet.example/");
	/* a name to resolve, a port out of range, an address without brackets */
	const char *const listens[] = {"localhost:8080", "127.0.0.1:0", "127.0.0.1:65536", "::1:8080",
				       "127.0.0.1", "[127.0.0.1]:80"};
	for (size_t i = 0; i < sizeof listens / sizeof *listens; i++)
		assert_false(config_listen_parse(listens[i], NULL, 0, NULL));
	load_invalid(f, SEDE "[serve]\nlisten = localhost:8080\nproxies = 127.0.0.1 proxy.example\n"
			     "user_header = X Remote User\n", 3);
	assert_diag(f, 4, "invalid value 'localhost:8080' for 'listen': expected a numeric address "
			  "and a port, like 127.0.0.1:8080 or [::1]:8080");
	assert_diag(f, 5, "invalid value 'proxy.example' for 'proxies': expected numeric IPv4 or "
			  "IPv6 addresses separated by spaces");
	assert_diag(f, 6, "invalid value 'X Remote User' for 'user_header': expected a header "
			  "name, like X-Remote-User");
}

static void bad_boolean(void **state)
{
	sede_refuses(*state, "announce_degraded = maybe\n",
		     "invalid value 'maybe' for 'announce_degraded': expected true or false");
}

static void full_file_with_every_key(void **state)
{
	struct fixture *f = *state;
	char *ca = unit_write_file(f->etc, "ca.pem", "-----BEGIN CERTIFICATE-----\n");
	const struct config *cfg = load_ok(
		f, "; incluinfo\n"
		   "[general]\n"
		   "state_dir = state\n"
		   "notices_dir = /srv/notices\n"
		   "feeds_dir = out/feeds\n"
		   "timezone = Atlantic/Canary\n"
		   "history_days = 30\n"
		   "\n"
		   "[service sede]\n"
		   "name = Sede Electrónica de la Seguridad Social\n"
		   "url = https://sede.seg-social.gob.es/wps/portal\n"
		   "method = HEAD\n"
		   "header = Accept-Language: es-ES\n"
		   "expect_status = 200,301-302\n"
		   "expect_text = Seguridad Social\n"
		   "reject_text = mantenimiento\n"
		   "expect_xpath = //title[contains(., 'Sede')]\n"
		   "degraded_ms = 2500\n"
		   "timeout_ms = 8000\n"
		   "follow_redirects = 0\n"
		   "cert_warn_days = 30\n"
		   "retries = 0\n"
		   "failures_to_open = 5\n"
		   "successes_to_resolve = 4\n"
		   "ca_file = ca.pem\n"
		   "\n"
		   "[canary]\n"
		   "url = https://www.boe.es/\n"
		   "\n"
		   "[policy]\n"
		   "incidents = review\n"
		   "notices = auto\n"
		   "\n"
		   "[twitter]\n"
		   "api_url = https://api.example.org/2\n"
		   "credentials = secret/twitter.cred\n");

	assert_string_equal(cfg->path, f->path);
	char *state_dir = unit_join(f->etc, "state");
	char *feeds_dir = unit_join(f->etc, "out/feeds");
	char *credentials = unit_join(f->etc, "secret/twitter.cred");
	assert_string_equal(cfg->state_dir, state_dir);
	assert_string_equal(cfg->notices_dir, "/srv/notices");
	assert_string_equal(cfg->feeds_dir, feeds_dir);
	assert_string_equal(cfg->timezone, "Atlantic/Canary");
	assert_int_equal(cfg->history_days, 30);

	assert_int_equal(cfg->service_count, 1);
	const struct config_service *s = &cfg->services[0];
	assert_string_equal(s->id, "sede");
	assert_string_equal(s->name, "Sede Electrónica de la Seguridad Social");
	assert_string_equal(s->url, "https://sede.seg-social.gob.es/wps/portal");
	assert_string_equal(s->method, "HEAD");
	assert_int_equal(s->headers.count, 1);
	assert_string_equal(s->headers.items[0], "Accept-Language: es-ES");
	assert_string_equal(s->expect_status_text, "200,301-302");
	assert_true(statusset_has(&s->expect_status, 200));
	assert_true(statusset_has(&s->expect_status, 302));
	assert_false(statusset_has(&s->expect_status, 204));
	assert_int_equal(s->expect_text.count, 1);
	assert_string_equal(s->expect_text.items[0], "Seguridad Social");
	assert_int_equal(s->reject_text.count, 1);
	assert_string_equal(s->reject_text.items[0], "mantenimiento");
	assert_string_equal(s->expect_xpath, "//title[contains(., 'Sede')]");
	assert_int_equal(s->degraded_ms, 2500);
	assert_int_equal(s->timeout_ms, 8000);
	assert_int_equal(s->follow_redirects, 0);
	assert_int_equal(s->cert_warn_days, 30);
	assert_int_equal(s->retries, 0);
	assert_int_equal(s->failures_to_open, 5);
	assert_int_equal(s->successes_to_resolve, 4);
	assert_string_equal(s->ca_file, ca);
	assert_int_equal(s->line, 9);

	assert_int_equal(cfg->canary_count, 1);
	assert_string_equal(cfg->canaries[0].url, "https://www.boe.es/");
	assert_int_equal(cfg->incidents, CONFIG_POLICY_REVIEW);
	assert_int_equal(cfg->notices, CONFIG_POLICY_AUTO);
	assert_string_equal(config_policy_name(cfg->incidents), "review");
	assert_string_equal(config_policy_name(cfg->notices), "auto");
	assert_string_equal(cfg->api_url, "https://api.example.org/2");
	assert_string_equal(cfg->credentials, credentials);
	free(state_dir);
	free(feeds_dir);
	free(credentials);
	free(ca);
}

static void defaults_for_omitted_keys(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, "[service sede]\nurl = https://sede.seg-social.gob.es/\n");
	char *var = unit_join(f->etc, "var");
	char *notices = unit_join(f->etc, "notices");
	char *feeds = unit_join(f->etc, "feeds");
	assert_string_equal(cfg->state_dir, var);
	assert_string_equal(cfg->notices_dir, notices);
	assert_string_equal(cfg->feeds_dir, feeds);
	assert_string_equal(cfg->timezone, "Europe/Madrid");
	assert_int_equal(cfg->history_days, 90);
	assert_int_equal(cfg->incidents, CONFIG_POLICY_AUTO);
	assert_int_equal(cfg->notices, CONFIG_POLICY_REVIEW);
	assert_string_equal(cfg->api_url, "https://api.x.com");
	assert_null(cfg->credentials);
	assert_int_equal(cfg->canary_count, 0);

	const struct config_service *s = &cfg->services[0];
	assert_string_equal(s->name, "sede");
	assert_string_equal(s->method, "GET");
	assert_int_equal(s->headers.count, 0);
	assert_string_equal(s->expect_status_text, "200-299");
	assert_false(statusset_has(&s->expect_status, 199));
	assert_true(statusset_has(&s->expect_status, 200));
	assert_true(statusset_has(&s->expect_status, 299));
	assert_false(statusset_has(&s->expect_status, 300));
	assert_int_equal(s->expect_text.count, 0);
	assert_int_equal(s->reject_text.count, 0);
	assert_null(s->expect_xpath);
	assert_int_equal(s->degraded_ms, 3000);
	assert_int_equal(s->timeout_ms, 10000);
	assert_int_equal(s->follow_redirects, 5);
	assert_int_equal(s->cert_warn_days, 14);
	assert_int_equal(s->retries, 1);
	assert_int_equal(s->failures_to_open, 3);
	assert_int_equal(s->successes_to_resolve, 2);
	assert_null(s->ca_file);
	assert_false(s->announce_degraded);
	assert_int_equal(s->remind_minutes, 60);
	assert_int_equal(s->flap_limit, 3);
	assert_int_equal(s->grace_minutes, 15);
	assert_false(cfg->two_person);
	assert_null(cfg->templates_dir);
	assert_int_equal(cfg->run_timeout, 50);
	assert_int_equal(cfg->thread_delay_ms, 2000);
	assert_int_equal(cfg->api_timeout_ms, 30000);
	assert_null(cfg->api_ca_file);
	assert_int_equal(cfg->feeds.max_entries, 50);
	assert_null(cfg->feeds.base_url);
	assert_string_equal(cfg->feeds.title, "Seguridad Social");
	assert_string_equal(cfg->feeds.sender, "incluinfo");
	free(var);
	free(notices);
	free(feeds);
}

static void several_services_and_find(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, "[service sede]\n"
					      "url = https://sede.seg-social.gob.es/\n"
					      "[service portal]\n"
					      "url = https://www.seg-social.es/\n"
					      "failures_to_open = 1\n"
					      "[service import-ass_2]\n"
					      "url = https://importass.seg-social.es/\n");
	assert_int_equal(cfg->service_count, 3);
	const struct config_service *portal = config_find_service(cfg, "portal");
	assert_non_null(portal);
	assert_ptr_equal(portal, &cfg->services[1]);
	assert_string_equal(portal->url, "https://www.seg-social.es/");
	assert_int_equal(portal->failures_to_open, 1);
	assert_int_equal(portal->line, 3);
	/* keys of one service do not leak into the next */
	assert_int_equal(config_find_service(cfg, "import-ass_2")->failures_to_open, 3);
	assert_ptr_equal(config_find_service(cfg, "sede"), &cfg->services[0]);
	assert_null(config_find_service(cfg, "Sede"));
	assert_null(config_find_service(cfg, "sed"));
	assert_null(config_find_service(cfg, ""));
}

static void absolute_paths_are_kept(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, "[general]\nstate_dir = /var/lib/incluinfo\n" SEDE);
	assert_string_equal(cfg->state_dir, "/var/lib/incluinfo");
}

static void repeatable_keys(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, SEDE "header = Accept-Language: es-ES\n"
						   "expect_text = Seguridad Social\n"
						   "reject_text = mantenimiento\n"
						   "header = X-Trace:  abc\n"
						   "expect_text = Cita previa\n"
						   "reject_text = fuera de servicio\n"
						   "expect_text = Sede\n"
						   "[canary]\n"
						   "url = https://www.boe.es/\n"
						   "url = https://www.rtve.es/\n"
						   "url = https://www.aemet.es/\n");
	const struct config_service *s = &cfg->services[0];
	assert_int_equal(s->headers.count, 2);
	assert_string_equal(s->headers.items[0], "Accept-Language: es-ES");
	assert_string_equal(s->headers.items[1], "X-Trace:  abc");
	assert_int_equal(s->expect_text.count, 3);
	assert_string_equal(s->expect_text.items[0], "Seguridad Social");
	assert_string_equal(s->expect_text.items[1], "Cita previa");
	assert_string_equal(s->expect_text.items[2], "Sede");
	assert_int_equal(s->reject_text.count, 2);
	assert_string_equal(s->reject_text.items[0], "mantenimiento");
	assert_string_equal(s->reject_text.items[1], "fuera de servicio");
	assert_int_equal(cfg->canary_count, 3);
	assert_string_equal(cfg->canaries[0].url, "https://www.boe.es/");
	assert_string_equal(cfg->canaries[1].url, "https://www.rtve.es/");
	assert_string_equal(cfg->canaries[2].url, "https://www.aemet.es/");
}

static void canary_statuses_and_timeout(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, "[service sede]\nurl = https://sede.seg-social.gob.es/\n"
					      "timeout_ms = 4000\ndegraded_ms = 2000\n"
					      "[service portal]\nurl = https://www.seg-social.es/\n"
					      "timeout_ms = 6000\n"
					      "[canary]\nurl = https://www.boe.es/\n"
					      "url = https://www.rtve.es/   200,204\n");
	assert_int_equal(cfg->canary_count, 2);
	/* a good answer is 2xx or 3xx unless the URL says otherwise */
	assert_string_equal(cfg->canaries[0].expect_status_text, "200-399");
	assert_true(statusset_has(&cfg->canaries[0].expect_status, 301));
	assert_false(statusset_has(&cfg->canaries[0].expect_status, 502));
	assert_string_equal(cfg->canaries[1].url, "https://www.rtve.es/");
	assert_string_equal(cfg->canaries[1].expect_status_text, "200,204");
	assert_false(statusset_has(&cfg->canaries[1].expect_status, 301));
	/* no longer than the services' longest timeout, at most 10 s */
	assert_int_equal(cfg->canary_timeout_ms, 6000);
	cfg = load_ok(f, SEDE "timeout_ms = 60000\n[general]\nrun_timeout = 121\n"
			      "[canary]\nurl = https://www.boe.es/\n");
	assert_int_equal(cfg->canary_timeout_ms, 10000);
	cfg = load_ok(f, SEDE "[canary]\nurl = https://www.boe.es/\ntimeout_ms = 1500\n");
	assert_int_equal(cfg->canary_timeout_ms, 1500);
	load_invalid(f, "[canary]\nurl = https://www.boe.es/ 2xx\n", 1);
	assert_diag(f, 2, "invalid value '2xx' for 'url': expected a URL, then "
			  "optionally codes and ranges from 100 to 599, like 200-399");
}

static void general_ca_file_is_the_default(void **state)
{
	struct fixture *f = *state;
	char *ca = unit_write_file(f->etc, "ca.pem", "x\n");
	char *own = unit_write_file(f->etc, "own.pem", "x\n");
	const struct config *cfg = load_ok(f, "[general]\nca_file = ca.pem\n" SEDE
					      "[service portal]\nurl = https://www.seg-social.es/\n"
					      "ca_file = own.pem\n");
	assert_string_equal(cfg->ca_file, ca);
	assert_string_equal(cfg->services[0].ca_file, ca);
	assert_string_equal(cfg->services[1].ca_file, own);
	assert_string_equal(cfg->api_ca_file, ca);
	cfg = load_ok(f, "[general]\nca_file = ca.pem\n[twitter]\nca_file = own.pem\n");
	assert_string_equal(cfg->api_ca_file, own);
	free(ca);
	free(own);
}

static void comments(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, "; a comment\n"
					      "# another comment\n"
					      "[service sede] ; the sede\n"
					      "  ; an indented comment\n"
					      "url = https://sede.seg-social.gob.es/ ; inline\n"
					      "reject_text = mantenimiento      ; a maintenance page\n"
					      "expect_text = a;b\n"
					      "failures_to_open = 4 ; four\n"
					      "; [service ghost]\n"
					      "# url = http://example.org/\n");
	assert_int_equal(cfg->service_count, 1);
	const struct config_service *s = &cfg->services[0];
	assert_string_equal(s->url, "https://sede.seg-social.gob.es/");
	assert_string_equal(s->reject_text.items[0], "mantenimiento");
	/* only " ;" starts an inline comment */
	assert_string_equal(s->expect_text.items[0], "a;b");
	assert_int_equal(s->failures_to_open, 4);
}

static void values_are_trimmed(void **state)
{
	struct fixture *f = *state;
	const struct config_service *s =
		load_sede(f, "name =   Sede   \nexpect_text=Cita previa\t\nretries\t=\t3\n");
	assert_string_equal(s->name, "Sede");
	assert_string_equal(s->expect_text.items[0], "Cita previa");
	assert_int_equal(s->retries, 3);
}

static void range_boundaries_accepted(void **state)
{
	struct fixture *f = *state;
	const struct config_service *s = load_sede(f, "degraded_ms = 1\n"
						       "timeout_ms = 500000\n"
						       "follow_redirects = 20\n"
						       "cert_warn_days = 365\n"
						       "retries = 5\n"
						       "failures_to_open = 100\n"
						       "successes_to_resolve = 1\n"
						       "[general]\nrun_timeout = 3600\n");
	assert_int_equal(s->degraded_ms, 1);
	assert_int_equal(s->timeout_ms, 500000);
	assert_int_equal(s->follow_redirects, 20);
	assert_int_equal(s->cert_warn_days, 365);
	assert_int_equal(s->retries, 5);
	assert_int_equal(s->failures_to_open, 100);
	assert_int_equal(s->successes_to_resolve, 1);

	s = load_sede(f, "cert_warn_days = 0\nfailures_to_open = 1\nsuccesses_to_resolve = 100\n"
			 "degraded_ms = 599999\ntimeout_ms = 600000\n[general]\nrun_timeout = 3600\n");
	assert_int_equal(s->timeout_ms, 600000);
	assert_int_equal(s->cert_warn_days, 0);
	assert_int_equal(s->failures_to_open, 1);
	assert_int_equal(s->successes_to_resolve, 100);
	assert_int_equal(s->degraded_ms, 599999);

	const struct config *cfg = load_ok(f, "[general]\nhistory_days = 1\n");
	assert_int_equal(cfg->history_days, 1);
	cfg = load_ok(f, "[general]\nhistory_days = 3650\n");
	assert_int_equal(cfg->history_days, 3650);
}

static void http_on_loopback_accepted(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(f, "[service a]\nurl = http://127.0.0.1:8080/health\n"
					      "[service b]\nurl = http://localhost/\n"
					      "[service c]\nurl = http://[::1]:9000/x\n"
					      "[service d]\nurl = http://127.45.6.7/\n"
					      "[canary]\nurl = http://127.0.0.1:8081/\n"
					      "[twitter]\napi_url = http://localhost:8099\n");
	assert_int_equal(cfg->service_count, 4);
	assert_string_equal(cfg->services[2].url, "http://[::1]:9000/x");
	assert_string_equal(cfg->canaries[0].url, "http://127.0.0.1:8081/");
	assert_string_equal(cfg->api_url, "http://localhost:8099");
}

static void name_of_120_bytes(void **state)
{
	struct fixture *f = *state;
	char *name = unit_repeat('n', 120);
	char *extra = NULL;
	assert_true(asprintf(&extra, "name = %s\n", name) >= 0);
	const struct config_service *s = load_sede(f, extra);
	assert_string_equal(s->name, name);
	free(extra);
	free(name);
}

static void line_of_8192_characters(void **state)
{
	struct fixture *f = *state;
	/* "expect_text = " is 14 characters: the line is 8192 long */
	char *text = unit_repeat('t', 8192 - 14);
	char *extra = NULL;
	assert_true(asprintf(&extra, "expect_text = %s\nretries = 3\n", text) >= 0);
	const struct config_service *s = load_sede(f, extra);
	assert_int_equal(s->expect_text.count, 1);
	assert_string_equal(s->expect_text.items[0], text);
	assert_int_equal(s->retries, 3);
	free(extra);
	free(text);
}

/* issue 13 case 12: the ministry's WebSphere portal hands out URLs of 300 characters */
static void long_portal_url(void **state)
{
	struct fixture *f = *state;
	char *path = unit_repeat('a', 300);
	char *url = NULL, *text = NULL;
	assert_true(asprintf(&url, "https://sede.seg-social.gob.es/wps/portal/sede/!ut/p/z1/%s/", path) >= 0);
	assert_true(asprintf(&text, "[service sede]\nurl = %s ; the portal\nretries = 0\n", url) >= 0);
	const struct config *cfg = load_ok(f, text);
	assert_int_equal(cfg->service_count, 1);
	assert_string_equal(cfg->services[0].url, url);
	assert_int_equal(cfg->services[0].retries, 0);
	free(text);
	free(url);
	free(path);
}

static void ca_file_resolved_against_config_folder(void **state)
{
	struct fixture *f = *state;
	char *certs = unit_mkdir(f->etc, "certs");
	char *ca = unit_write_file(certs, "ca.pem", "-----BEGIN CERTIFICATE-----\n");
	const struct config_service *s = load_sede(f, "ca_file = certs/ca.pem\n");
	assert_string_equal(s->ca_file, ca);
	free(ca);
	free(certs);
}

/* ---- invalid files: one diagnostic each ---- */

static void unknown_key_with_suggestion(void **state)
{
	struct fixture *f = *state;
	sede_refuses(f, "timeout = 5000\n",
		     "unknown key 'timeout' in [service sede] (did you mean 'timeout_ms'?)");
	sede_refuses(f, "failures_to_opne = 2\n",
		     "unknown key 'failures_to_opne' in [service sede] (did you mean "
		     "'failures_to_open'?)");
	load_invalid(f, "[general]\nhistory = 10\n", 1);
	assert_diag(f, 2, "unknown key 'history' in [general] (did you mean 'history_days'?)");
}

static void unknown_key_without_suggestion(void **state)
{
	struct fixture *f = *state;
	sede_refuses(f, "colour = blue\n", "unknown key 'colour' in [service sede]");
	load_invalid(f, "[policy]\nincidents = auto\nbulos = review\n", 1);
	assert_diag(f, 3, "unknown key 'bulos' in [policy]");
}

static void duplicate_key(void **state)
{
	struct fixture *f = *state;
	sede_refuses(f, "url = https://www.seg-social.es/\n",
		     "duplicate key 'url' in [service sede]");
	load_invalid(f, "[general]\nhistory_days = 10\n\nhistory_days = 20\n", 1);
	assert_diag(f, 4, "duplicate key 'history_days' in [general]");
}

static void duplicate_section(void **state)
{
	struct fixture *f = *state;
	load_invalid(f,
		     SEDE "[canary]\nurl = https://www.boe.es/\n"
			  "[service sede]\nurl = https://sede.seg-social.gob.es/\n",
		     1);
	assert_diag(f, 5, "duplicate section [service sede] (first at line 1)");
	load_invalid(f, "[general]\n\n[policy]\n[general]\n", 1);
	assert_diag(f, 4, "duplicate section [general] (first at line 1)");
}

static void missing_url(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, SEDE "\n; portal\n[service portal]\nname = Portal\nretries = 2\n", 1);
	assert_diag(f, 5, "[service portal] has no 'url'");
}

static void empty_service_section(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, SEDE "[service portal]\n", 1);
	assert_diag(f, 3, "[service portal] has no 'url'");
	load_invalid(f, "[service portal]\n" SEDE, 1);
	assert_diag(f, 1, "[service portal] has no 'url'");
}

static void empty_value(void **state)
{
	struct fixture *f = *state;
	load_refused(f, "[service sede]\nurl =\n", 2);
	assert_diag(f, 2, "empty value for 'url'");
	sede_refuses(f, "expect_text =\n", "empty value for 'expect_text'");
}

static void integers_out_of_range(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *line;
		const char *message;
	} cases[] = {
		{"failures_to_open = 0\n",
		 "invalid value '0' for 'failures_to_open': expected a whole number from 1 to 100"},
		{"failures_to_open = 101\n",
		 "invalid value '101' for 'failures_to_open': expected a whole number from 1 to 100"},
		{"successes_to_resolve = 0\n", "invalid value '0' for 'successes_to_resolve': "
					       "expected a whole number from 1 to 100"},
		{"timeout_ms = 600001\n",
		 "invalid value '600001' for 'timeout_ms': expected a whole number from 1 to 600000"},
		{"degraded_ms = 0\n",
		 "invalid value '0' for 'degraded_ms': expected a whole number from 1 to 600000"},
		{"follow_redirects = 21\n",
		 "invalid value '21' for 'follow_redirects': expected a whole number from 0 to 20"},
		{"cert_warn_days = 366\n",
		 "invalid value '366' for 'cert_warn_days': expected a whole number from 0 to 365"},
		{"retries = 6\n", "invalid value '6' for 'retries': expected a whole number from 0 to 5"},
		{"retries = -1\n",
		 "invalid value '-1' for 'retries': expected a whole number from 0 to 5"},
		{"retries = +1\n",
		 "invalid value '+1' for 'retries': expected a whole number from 0 to 5"},
		{"retries = 1.5\n",
		 "invalid value '1.5' for 'retries': expected a whole number from 0 to 5"},
		{"retries = 2 tries\n",
		 "invalid value '2 tries' for 'retries': expected a whole number from 0 to 5"},
		{"retries = two\n",
		 "invalid value 'two' for 'retries': expected a whole number from 0 to 5"},
		{"retries =\n", "invalid value '' for 'retries': expected a whole number from 0 to 5"},
		{"timeout_ms = 99999999999999999999999\n",
		 "invalid value '99999999999999999999999' for 'timeout_ms': expected a whole number "
		 "from 1 to 600000"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sede_refuses(f, cases[i].line, cases[i].message);
	}
	load_invalid(f, "[general]\nhistory_days = 0\n", 1);
	assert_diag(f, 2, "invalid value '0' for 'history_days': expected a whole number from 1 to 3650");
	load_invalid(f, "[general]\nhistory_days = 3651\n", 1);
	assert_diag(f, 2,
		    "invalid value '3651' for 'history_days': expected a whole number from 1 to 3650");
}

/* Loads a file whose only problem is url (line 2 of [service sede]). */
static void sede_url_refused(struct fixture *f, const char *url, const char *why)
{
	char *text = NULL, *message = NULL;
	assert_true(asprintf(&text, "[service sede]\nurl = %s\n", url) >= 0);
	assert_true(asprintf(&message, "invalid url '%s': %s", url, why) >= 0);
	load_refused(f, text, 2);
	assert_diag(f, 2, message);
	free(text);
	free(message);
}

static void http_for_other_hosts(void **state)
{
	struct fixture *f = *state;
	static const char *const loopback_only = "http is allowed only for loopback hosts";
	sede_url_refused(f, "http://sede.seg-social.gob.es/", loopback_only);
	sede_url_refused(f, "http://128.0.0.1/", loopback_only);
	sede_url_refused(f, "http://localhost.example.org/", loopback_only);
	load_invalid(f, "[canary]\nurl = http://www.boe.es/\n", 1);
	assert_diag(f, 2, "invalid url 'http://www.boe.es/': http is allowed only for loopback hosts");
	load_invalid(f, "[twitter]\napi_url = http://api.x.com\n", 1);
	assert_diag(f, 2, "invalid url 'http://api.x.com': http is allowed only for loopback hosts");
}

static void other_schemes(void **state)
{
	struct fixture *f = *state;
	sede_url_refused(f, "ftp://sede.seg-social.gob.es/", "expected https://");
	sede_url_refused(f, "sede.seg-social.gob.es", "expected https://");
}

static void bad_xpath(void **state)
{
	struct fixture *f = *state;
	sede_refuses(f, "expect_xpath = //div[@id='x'\n",
		     "invalid value '//div[@id='x'' for 'expect_xpath': not a valid XPath expression");
	sede_refuses(f, "expect_xpath = ///\n",
		     "invalid value '///' for 'expect_xpath': not a valid XPath expression");
}

static void bad_header(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"Authorization", ": token", "X-Empty:", "X-Blank:   ",
					  "Bad Name: value"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *line = NULL, *message = NULL;
		assert_true(asprintf(&line, "header = %s\n", bad[i]) >= 0);
		/* never quoted: the secret of "Authorization Bearer S3CRET" is in it */
		assert_true(asprintf(&message, "invalid value for 'header': expected 'Name: value' "
					       "(not shown: it may hold a secret)") >= 0);
		sede_refuses(f, line, message);
		free(line);
		free(message);
	}
}

static void bad_method_status_and_policy(void **state)
{
	struct fixture *f = *state;
	sede_refuses(f, "method = POST\n", "invalid value 'POST' for 'method': expected GET or HEAD");
	sede_refuses(f, "method = get\n", "invalid value 'get' for 'method': expected GET or HEAD");
	sede_refuses(f, "expect_status = 200-\n",
		     "invalid value '200-' for 'expect_status': expected codes and ranges from 100 to "
		     "599, like 200-299,301");
	sede_refuses(f, "expect_status =\n",
		     "invalid value '' for 'expect_status': expected codes and ranges from 100 to "
		     "599, like 200-299,301");
	load_invalid(f, "[policy]\nincidents = manual\n", 1);
	assert_diag(f, 2, "invalid value 'manual' for 'incidents': expected auto or review");
}

static void unknown_time_zone(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, "[general]\ntimezone = Europe/Atlantis\n", 1);
	assert_diag(f, 2, "unknown time zone 'Europe/Atlantis'");
	load_invalid(f, "[general]\ntimezone = Europe\n", 1);
	assert_diag(f, 2, "unknown time zone 'Europe'");
	load_invalid(f, "[general]\ntimezone = /etc/passwd\n", 1);
	assert_diag(f, 2, "unknown time zone '/etc/passwd'");
	load_invalid(f, "[general]\ntimezone = ../../../etc/passwd\n", 1);
	assert_diag(f, 2, "unknown time zone '../../../etc/passwd'");
	const struct config *cfg = load_ok(f, "[general]\ntimezone = UTC\n");
	assert_string_equal(cfg->timezone, "UTC");
}

static void degraded_not_below_timeout(void **state)
{
	struct fixture *f = *state;
	/* reported at the section's line, as the two keys may be anywhere in it */
	load_invalid(f, SEDE "degraded_ms = 10000\n", 1);
	assert_diag(f, 1, "'degraded_ms' (10000) must be below 'timeout_ms' (10000)");
	load_invalid(f, SEDE "timeout_ms = 2000\n", 1);
	assert_diag(f, 1, "'degraded_ms' (3000) must be below 'timeout_ms' (2000)");
	load_invalid(f, SEDE "timeout_ms = 500\ndegraded_ms = 600\n", 1);
	assert_diag(f, 1, "'degraded_ms' (600) must be below 'timeout_ms' (500)");
}

static void name_too_long(void **state)
{
	struct fixture *f = *state;
	char *name = unit_repeat('n', 121);
	char *line = NULL, *message = NULL;
	assert_true(asprintf(&line, "name = %s\n", name) >= 0);
	assert_true(asprintf(&message, "invalid value '%s' for 'name': at most 120 bytes", name) >= 0);
	sede_refuses(f, line, message);
	free(name);
	free(line);
	free(message);
}

static void line_too_long(void **state)
{
	struct fixture *f = *state;
	/* 8193 characters, even in a comment */
	char *comment = unit_repeat(';', 8193);
	char *text = NULL;
	assert_true(asprintf(&text, SEDE "%s\nretries = 2\n", comment) >= 0);
	load_invalid(f, text, 1);
	assert_diag(f, 3, "line too long (at most 8192 characters)");
	free(text);
	free(comment);

	/* a long value is refused, not cut: the rest of the file still counts its lines */
	char *value = unit_repeat('x', 8192 - 13);
	assert_true(asprintf(&text, SEDE "expect_text = %s\nretries = 9\n", value) >= 0);
	load_invalid(f, text, 2);
	assert_diag(f, 3, "line too long (at most 8192 characters)");
	assert_diag(f, 4, "invalid value '9' for 'retries': expected a whole number from 0 to 5");
	free(text);
	free(value);

	/* one error for a long url: its section is not also said to have none */
	char *path = unit_repeat('p', 9000);
	assert_true(asprintf(&text, "[service sede]\nurl = https://sede.seg-social.gob.es/%s\n", path) >= 0);
	load_invalid(f, text, 1);
	assert_diag(f, 2, "line too long (at most 8192 characters)");
	free(text);
	free(path);
}

/* issue 12: a service that may take longer than run_timeout would stop every run in its
 * check step and never be judged */
static void services_fit_in_run_timeout(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, "[general]\nrun_timeout = 3\n" SEDE "timeout_ms = 8000\n", 1);
	assert_diag(f, 3,
		    "service 'sede' cannot be judged within run_timeout (3 s): timeout_ms × (retries "
		    "+ 1) + 1000 ms = 17000 ms is over 3000 ms");
	/* the bound exactly, whatever the order of the sections */
	const struct config *cfg = load_ok(f, SEDE "timeout_ms = 8000\n[general]\nrun_timeout = 17\n");
	assert_int_equal(cfg->run_timeout, 17);
	load_invalid(f, SEDE "timeout_ms = 8000\n[general]\nrun_timeout = 16\n", 1);
	assert_diag(f, 1,
		    "service 'sede' cannot be judged within run_timeout (16 s): timeout_ms × "
		    "(retries + 1) + 1000 ms = 17000 ms is over 16000 ms");
	cfg = load_ok(f, SEDE "timeout_ms = 8000\nretries = 0\n[general]\nrun_timeout = 9\n");
	assert_int_equal(cfg->services[0].retries, 0);
	/* the default timeout and retries: 10 s twice */
	load_invalid(f, "[general]\nrun_timeout = 20\n" SEDE, 1);
	assert_diag(f, 3,
		    "service 'sede' cannot be judged within run_timeout (20 s): timeout_ms × "
		    "(retries + 1) + 1000 ms = 21000 ms is over 20000 ms");
}

static void canaries_fit_in_run_timeout(void **state)
{
	struct fixture *f = *state;
	/* a timeout given that does not fit is named at its line */
	load_invalid(f,
		     "[general]\nrun_timeout = 5\n" SEDE "timeout_ms = 1000\ndegraded_ms = 500\n"
		     "[canary]\nurl = https://www.boe.es/\ntimeout_ms = 3000\n",
		     1);
	assert_diag(f, 9,
		    "canaries cannot be judged within run_timeout (5 s): timeout_ms × (1 + 1) + "
		    "1000 ms = 7000 ms is over 5000 ms");
	const struct config *cfg = load_ok(f, "[general]\nrun_timeout = 5\n" SEDE
					      "timeout_ms = 1000\ndegraded_ms = 500\n"
					      "[canary]\nurl = https://www.boe.es/\ntimeout_ms = 2000\n");
	assert_int_equal(cfg->canary_timeout_ms, 2000);
	/* the default (the services' longest timeout) is cut to what fits */
	cfg = load_ok(f, "[general]\nrun_timeout = 4\n" SEDE "timeout_ms = 2000\ndegraded_ms = 500\nretries = 0\n"
			 "[canary]\nurl = https://www.boe.es/\n");
	assert_int_equal(cfg->canary_timeout_ms, 1500);
	/* and when nothing fits, the first url is named */
	load_invalid(f, "[general]\nrun_timeout = 1\n[canary]\nurl = https://www.boe.es/\n", 1);
	assert_diag(f, 4,
		    "canaries cannot be judged within run_timeout (1 s): timeout_ms × (1 + 1) + "
		    "1000 ms = 1002 ms is over 1000 ms");
}

static void unknown_section(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, SEDE "[servicio portal]\nurl = https://www.seg-social.es/\n", 1);
	assert_diag(f, 3, "unknown section [servicio portal]");
}

static void invalid_service_id(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"Sede", "1sede", "_sede", "se de", "sede.es", "",
					  "abcdefghijklmnopqrstuvwxyz0123456"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *text = NULL, *message = NULL;
		assert_true(asprintf(&text, "[service %s]\nurl = https://sede.seg-social.gob.es/\n",
				     bad[i]) >= 0);
		assert_true(asprintf(&message,
				     "invalid service id '%s': expected 1-32 characters a-z, 0-9, '_' "
				     "or '-', starting with a letter",
				     bad[i]) >= 0);
		load_invalid(f, text, 1);
		assert_diag(f, 1, message);
		free(text);
		free(message);
	}
	/* 32 characters is fine */
	const struct config *cfg = load_ok(f, "[service abcdefghijklmnopqrstuvwxyz012345]\n"
					      "url = https://sede.seg-social.gob.es/\n");
	assert_string_equal(cfg->services[0].id, "abcdefghijklmnopqrstuvwxyz012345");
}

/* ---- people ---- */

#define LUCIA "[person lmartin]\nname = Lucía Martín\n"

static void person_keys(void **state)
{
	struct fixture *f = *state;
	const struct config *cfg = load_ok(
		f, LUCIA "email = lucia.martin@seg-social.es\nos_users = lmartin  lucia\n"
			 "web_login = lucia.martin@sso.seg-social.es\n"
			 "aliases = lucia.martin , L. Martín,Lucía M.\nroles = author approver\n"
			 "[person agil]\nname = Ana Gil\n");
	assert_int_equal(cfg->person_count, 2);
	const struct config_person *p = &cfg->people[0];
	assert_string_equal(p->id, "lmartin");
	assert_string_equal(p->name, "Lucía Martín");
	assert_string_equal(p->email, "lucia.martin@seg-social.es");
	assert_int_equal(p->os_users.count, 2);
	assert_string_equal(p->os_users.items[1], "lucia");
	assert_string_equal(p->web_login, "lucia.martin@sso.seg-social.es");
	assert_int_equal(p->aliases.count, 3);
	assert_string_equal(p->aliases.items[0], "lucia.martin");
	assert_string_equal(p->aliases.items[1], "L. Martín");
	assert_int_equal(p->roles, CONFIG_ROLE_AUTHOR | CONFIG_ROLE_APPROVER);
	/* id, name and each alias, as they are compared */
	assert_int_equal(p->keys.count, 5);
	assert_string_equal(p->keys.items[1], "lucia martin");
	const struct config_person *ana = &cfg->people[1];
	assert_null(ana->email);
	assert_null(ana->web_login);
	assert_int_equal(ana->os_users.count, 0);
	assert_int_equal(ana->roles, 0);
}

static void person_bad_values(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, LUCIA "email = lucia@\n", 1);
	assert_diag(f, 3, "invalid value 'lucia@' for 'email': expected one address, like "
			  "name@example.org");
	load_invalid(f, LUCIA "email = a@b, c@d\n", 1);
	load_invalid(f, LUCIA "os_users = lmartin -rf\n", 1);
	assert_diag(f, 3, "invalid value '-rf' for 'os_users': expected letters, digits, '.', '_', "
			  "'-' or '@', not starting with '-'");
	load_invalid(f, LUCIA "web_login = lucia martin\n", 1);
	load_invalid(f, LUCIA "aliases = lucia,,martin\n", 1);
	load_invalid(f, LUCIA "roles = author boss\n", 1);
	assert_diag(f, 3, "invalid value 'boss' for 'roles': expected author, approver or "
			  "operator, separated by spaces");
	load_invalid(f, "[person lmartin]\nemail = l@seg-social.es\n", 1);
	assert_diag(f, 1, "[person lmartin] has no 'name'");
	load_invalid(f, "[person Lucia]\nname = Lucía\n", 1);
	assert_diag(f, 1, "invalid person id 'Lucia': expected 1-32 characters a-z, 0-9, '_' or "
			  "'-', starting with a letter");
	load_invalid(f, LUCIA "[person  lmartin]\nname = Otra\n", 1);
	assert_diag(f, 3, "duplicate section [person lmartin] (first at line 1)");
}

/* An account, a login or a name that two people claim would make every action of one
 * of them the other's: each is an error naming both. */
static void person_claims_are_exclusive(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, LUCIA "os_users = lmartin\n[person agil]\nname = Ana Gil\n"
			      "os_users = agil lmartin\n", 1);
	assert_diag(f, 4, "[person agil] and [person lmartin] (line 1) both claim the OS user "
			  "'lmartin'");
	/* nor can root be one person's: every administrator is root */
	load_invalid(f, LUCIA "os_users = lmartin root\n", 1);
	assert_diag(f, 1, "[person lmartin] lists 'root' in os_users: every administrator is root, "
			  "so it names nobody; through sudo, each acts as their own account");
	load_invalid(f, LUCIA "web_login = lm\n[person agil]\nname = Ana Gil\nweb_login = lm\n", 1);
	assert_diag(f, 4, "[person agil] and [person lmartin] (line 1) both claim the web login 'lm'");
	/* a spelling that differs in case, accents and spaces only is the same name */
	load_invalid(f, LUCIA "[person lucia]\nname = Ana\naliases = \tLUCIA   MARTIN \n", 1);
	assert_diag(f, 3, "[person lucia] and [person lmartin] (line 1) both answer to the name "
			  "'lucia martin' (names are compared without regard to case, accents and "
			  "spaces)");
	load_invalid(f, LUCIA "[person agil]\nname = LMartín\n", 1);
	load_invalid(f, LUCIA "aliases = Incluinfo\n", 1);
	assert_diag(f, 1, "[person lmartin] is named 'incluinfo', the name of the program's own "
			  "actions");
}

static void two_person_needs_people(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, SEDE "[policy]\nincidents = auto\ntwo_person = yes\n", 1);
	assert_diag(f, 5, "two_person = true needs the people in [person ID] sections: without "
			  "them the rule would compare names as they are typed");
	load_ok(f, SEDE "[policy]\ntwo_person = yes\n" LUCIA);
}

static void notify_to_names_people(void **state)
{
	struct fixture *f = *state;
#define MAILTO "[notify guardia]\ntype = smtp\nurl = smtps://127.0.0.1:465\nfrom = i@seg-social.es\n"
	/* the people may come after the target that names them */
	const struct config *cfg = load_ok(f, SEDE MAILTO "to = lmartin, @approvers @author g@seg-social.es\n" LUCIA
						  "email = l@seg-social.es\nroles = approver author\n");
	assert_int_equal(cfg->notify[0].to.count, 4);
	load_invalid(f, SEDE MAILTO "to = pedro\nto = @operators\n" LUCIA "email = l@seg-social.es\n", 2);
	assert_diag(f, 7, "[notify guardia]: 'to' names 'pedro', who is no [person] of the configuration");
	assert_diag(f, 8, "[notify guardia]: 'to' names @operators, but no person with the role "
			  "'operator' has an email");
	load_invalid(f, SEDE MAILTO "to = lmartin\n" LUCIA "roles = author\n", 1);
	assert_diag(f, 7, "[notify guardia]: 'to' names Lucía Martín (lmartin), who has no email");
	load_invalid(f, SEDE MAILTO "to = @author g@seg-social.es\n", 1);
	assert_diag(f, 7, "[notify guardia]: 'to' names @author, but no [person ID] section says who "
			  "that is");
	load_invalid(f, SEDE MAILTO "to = @everyone\n", 1);
	assert_diag(f, 7, "invalid value '@everyone' for 'to': expected e-mail addresses such as "
			  "guardia@example.org, [person] ids, @approvers, @operators or @author");
#undef MAILTO
}

static void notify_type_is_one_of_its_words(void **state)
{
	struct fixture *f = *state;
	const char *webhook = SEDE "[notify chat]\ntype = webhook\nurl = https://chat.example/hook\n";
	assert_int_equal(load_ok(f, webhook)->notify[0].type, CONFIG_NOTIFY_WEBHOOK);
	load_invalid(f, SEDE "[notify chat]\ntype = sms\nurl = https://chat.example/hook\n", 2);
	assert_diag(f, 4, "invalid value 'sms' for 'type': expected smtp or webhook");
}

static void key_outside_any_section(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, "; header\nurl = https://sede.seg-social.gob.es/\n" SEDE, 1);
	assert_diag(f, 2, "key 'url' outside of any section");
}

static void missing_ca_file(void **state)
{
	struct fixture *f = *state;
	sede_refuses(f, "ca_file = missing.pem\n",
		     "cannot read ca_file 'missing.pem': No such file or directory");
}

static void syntax_error(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, SEDE "this is not a key\n", 1);
	assert_diag(f, 3, "syntax error: expected '[section]' or 'key = value'");
}

static void nul_character(void **state)
{
	struct fixture *f = *state;
	static const char text[] = SEDE "name = Sede\0Social\n";
	assert_int_equal(load_bytes(f, text, sizeof text - 1), II_ECONFIG);
	assert_null(f->cfg);
	assert_int_equal(diag_count(f->diags), 1);
	assert_diag(f, 3, "NUL character in line");
}

static void crlf_line_ends(void **state)
{
	struct fixture *f = *state;
	const struct config_service *s =
		load_sede(f, "name = Sede\r\nexpect_text = Cita previa\r\n");
	assert_string_equal(s->name, "Sede");
	assert_string_equal(s->expect_text.items[0], "Cita previa");
	load_invalid(f, "[service sede]\r\nurl = https://sede.seg-social.gob.es/\r\nretries = 9\r\n", 1);
	assert_diag(f, 3, "invalid value '9' for 'retries': expected a whole number from 0 to 5");
}

/* ---- several problems ---- */

static void several_errors_all_reported(void **state)
{
	struct fixture *f = *state;
	load_invalid(f,
		     "[general]\n"                                  /* 1 */
		     "timezone = Mars/Olympus\n"                    /* 2 */
		     "history_days = 0\n"                           /* 3 */
		     "\n"                                           /* 4 */
		     "[service sede]\n"                             /* 5 */
		     "url = https://sede.seg-social.gob.es/\n"      /* 6 */
		     "timeout = 5000\n"                             /* 7 */
		     "failures_to_open = 0\n"                       /* 8 */
		     "header = Authorization\n"                     /* 9 */
		     "[service portal]\n"                           /* 10 */
		     "expect_xpath = //p[\n"                        /* 11 */
		     "[service sede]\n"                             /* 12 */
		     "[policy]\n"                                   /* 13 */
		     "incidents = always\n"                         /* 14 */
		     "[canary]\n"                                   /* 15 */
		     "url = http://www.boe.es/\n",                  /* 16 */
		     10);
	assert_diag(f, 2, "unknown time zone 'Mars/Olympus'");
	assert_diag(f, 3, "invalid value '0' for 'history_days': expected a whole number from 1 to 3650");
	assert_diag(f, 7, "unknown key 'timeout' in [service sede] (did you mean 'timeout_ms'?)");
	assert_diag(f, 8, "invalid value '0' for 'failures_to_open': expected a whole number from 1 to 100");
	assert_diag(f, 9, "invalid value for 'header': expected 'Name: value' (not shown: it may hold a secret)");
	assert_diag(f, 11, "invalid value '//p[' for 'expect_xpath': not a valid XPath expression");
	assert_diag(f, 12, "duplicate section [service sede] (first at line 5)");
	assert_diag(f, 14, "invalid value 'always' for 'incidents': expected auto or review");
	assert_diag(f, 16, "invalid url 'http://www.boe.es/': http is allowed only for loopback hosts");
	assert_diag(f, 10, "[service portal] has no 'url'");
}

static void missing_file(void **state)
{
	struct fixture *f = *state;
	f->diags = diag_new();
	char *path = unit_join(f->dir, "nowhere.conf");
	static struct config sentinel;
	struct config *cfg = &sentinel; /* must be reset to NULL */
	assert_int_equal(config_load(path, &cfg, f->diags, &f->err), II_ECONFIG);
	assert_null(cfg);
	assert_int_equal(f->err.code, II_ECONFIG);
	unit_assert_contains(f->err.detail, path);
	free(path);
}

/* ---- URLs ---- */

static void url_ok(void **state)
{
	(void)state;
	static const char *const good[] = {
		"https://sede.seg-social.gob.es/", "HTTPS://WWW.SEG-SOCIAL.ES/x?y=1",
		"http://127.0.0.1:8080/",          "http://127.255.255.254/",
		"http://localhost/",               "http://LOCALHOST:80/a",
		"http://[::1]/",                   "https://user:pw@example.org/",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		char why[128] = "";
		if (!config_url_ok(good[i], why, sizeof why))
			fail_msg("config_url_ok(\"%s\") refused: %s", good[i], why);
		assert_true(config_url_ok(good[i], NULL, 0));
	}
	static const struct {
		const char *url;
		const char *why;
	} bad[] = {
		{"http://example.org/", "http is allowed only for loopback hosts"},
		{"http://10.0.0.1/", "http is allowed only for loopback hosts"},
		{"http://[::2]/", "http is allowed only for loopback hosts"},
		{"http://127.0.0.1.example.org/", "http is allowed only for loopback hosts"},
		{"ftp://example.org/", "expected https://"},
		{"file:///etc/passwd", "expected https://"},
		{"", "expected https://"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char why[128] = "";
		if (config_url_ok(bad[i].url, why, sizeof why))
			fail_msg("config_url_ok(\"%s\") accepted", bad[i].url);
		assert_string_equal(why, bad[i].why);
		assert_false(config_url_ok(bad[i].url, NULL, 0));
	}
	char why[128] = "";
	assert_false(config_url_ok("https://", why, sizeof why));
	assert_true(why[0] != '\0');
}

static void mask_url(void **state)
{
	(void)state;
	char *masked = config_mask_url("https://monitor:s3cr3t@sede.seg-social.gob.es/estado");
	assert_non_null(masked);
	assert_null(strstr(masked, "s3cr3t"));
	assert_string_equal(masked, "https://monitor:********@sede.seg-social.gob.es/estado");
	free(masked);

	masked = config_mask_url("https://sede.seg-social.gob.es/estado?x=1");
	assert_string_equal(masked, "https://sede.seg-social.gob.es/estado?x=1");
	free(masked);

	masked = config_mask_url("https://monitor@sede.seg-social.gob.es/");
	assert_non_null(masked);
	unit_assert_contains(masked, "sede.seg-social.gob.es");
	free(masked);
}

static void byte_order_mark(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "\xEF\xBB\xBF" SEDE "[service b]\nurl = https://b.example/\n";
	assert_int_equal(load_bytes(f, text, sizeof text - 1), II_OK);
	assert_int_equal(f->cfg->service_count, 2);
	assert_non_null(config_find_service(f->cfg, "sede"));
}

static void same_service_spelled_twice(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, SEDE "[service  sede]\nurl = https://b.example/\n", 1);
	assert_diag(f, 3, "duplicate section [service sede] (first at line 1)");
}

static void every_syntax_error_reported(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, SEDE "garbage one\ngarbage two\n[unclosed\n", 3);
	assert_diag(f, 3, "syntax error: expected '[section]' or 'key = value'");
	assert_diag(f, 4, "syntax error: expected '[section]' or 'key = value'");
	assert_diag(f, 5, "syntax error: expected '[section]' or 'key = value'");
}

static void zoneinfo_tables_are_not_zones(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, "[general]\ntimezone = zone.tab\n", 1);
	assert_diag(f, 2, "unknown time zone 'zone.tab'");
}

static void indented_key_is_a_key(void **state)
{
	struct fixture *f = *state;
	const struct config_service *s = load_sede(f, "  retries = 3\n\tname = Sede\n");
	assert_int_equal(s->retries, 3);
	assert_string_equal(s->name, "Sede");
}

static void invalid_url_reported_once(void **state)
{
	struct fixture *f = *state;
	load_invalid(f, "[service sede]\nurl = http://example.org/\n", 1);
	assert_diag(f, 2, "invalid url 'http://example.org/': http is allowed only for loopback hosts");
}

/* What the feeds link to never holds the probe's tokens. */
static void public_url_drops_query_and_user(void **state)
{
	(void)state;
	char *u = config_public_url("https://user:pw@www.example.es/seq/sede6?steps=503#top");
	assert_string_equal(u, "https://www.example.es/seq/sede6");
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(full_file_with_every_key),
		UNIT_TEST(defaults_for_omitted_keys),
		UNIT_TEST(publishing_keys),
		UNIT_TEST(legal_notice),
		UNIT_TEST(serve_section),
		UNIT_TEST(bad_boolean),
		UNIT_TEST(several_services_and_find),
		UNIT_TEST(absolute_paths_are_kept),
		UNIT_TEST(repeatable_keys),
		UNIT_TEST(comments),
		UNIT_TEST(values_are_trimmed),
		UNIT_TEST(range_boundaries_accepted),
		UNIT_TEST(http_on_loopback_accepted),
		UNIT_TEST(name_of_120_bytes),
		UNIT_TEST(line_of_8192_characters),
		UNIT_TEST(long_portal_url),
		UNIT_TEST(services_fit_in_run_timeout),
		UNIT_TEST(canaries_fit_in_run_timeout),
		UNIT_TEST(ca_file_resolved_against_config_folder),
		UNIT_TEST(unknown_key_with_suggestion),
		UNIT_TEST(unknown_key_without_suggestion),
		UNIT_TEST(duplicate_key),
		UNIT_TEST(duplicate_section),
		UNIT_TEST(missing_url),
		UNIT_TEST(empty_service_section),
		UNIT_TEST(empty_value),
		UNIT_TEST(integers_out_of_range),
		UNIT_TEST(http_for_other_hosts),
		UNIT_TEST(other_schemes),
		UNIT_TEST(bad_xpath),
		UNIT_TEST(bad_header),
		UNIT_TEST(bad_method_status_and_policy),
		UNIT_TEST(unknown_time_zone),
		UNIT_TEST(degraded_not_below_timeout),
		UNIT_TEST(name_too_long),
		UNIT_TEST(line_too_long),
		UNIT_TEST(unknown_section),
		UNIT_TEST(invalid_service_id),
		UNIT_TEST(key_outside_any_section),
		UNIT_TEST(missing_ca_file),
		UNIT_TEST(syntax_error),
		UNIT_TEST(nul_character),
		UNIT_TEST(crlf_line_ends),
		UNIT_TEST(several_errors_all_reported),
		UNIT_TEST(missing_file),
		UNIT_TEST(url_ok),
		UNIT_TEST(mask_url),
		UNIT_TEST(byte_order_mark),
		UNIT_TEST(same_service_spelled_twice),
		UNIT_TEST(every_syntax_error_reported),
		UNIT_TEST(zoneinfo_tables_are_not_zones),
		UNIT_TEST(indented_key_is_a_key),
		UNIT_TEST(invalid_url_reported_once),
		UNIT_TEST(public_url_drops_query_and_user),
		UNIT_TEST(canary_statuses_and_timeout),
		UNIT_TEST(general_ca_file_is_the_default),
		UNIT_TEST(person_keys),
		UNIT_TEST(person_bad_values),
		UNIT_TEST(person_claims_are_exclusive),
		UNIT_TEST(two_person_needs_people),
		UNIT_TEST(notify_to_names_people),
		UNIT_TEST(notify_type_is_one_of_its_words),
		UNIT_TEST(x_prices_and_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
