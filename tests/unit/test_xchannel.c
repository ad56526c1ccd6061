/* lib/xchannel's money: what a post costs on X, the month's spending, how amounts read,
 * and the staff's warning before the budget runs out. */
#include "unit.h"

#include <sys/stat.h>

#include "store.h"
#include "store_sql.h"
#include "xchannel.h"

static void assert_usd(long micro, const char *expected)
{
	char text[32];
	xchannel_format_usd(micro, text, sizeof text);
	assert_string_equal(text, expected);
}

static void format_usd(void **state)
{
	(void)state;
	assert_usd(0, "$0.00");
	assert_usd(15000, "$0.015");
	assert_usd(200000, "$0.20");
	assert_usd(1000, "$0.001");
	assert_usd(1, "$0.000001");
	assert_usd(12500000, "$12.50");
	assert_usd(1234567, "$1.234567");
}

static void post_price(void **state)
{
	(void)state;
	struct config cfg = {.x_cost = {.post = 15000, .post_url = 200000}};
	struct ii_error e = {0};
	long price = -1;
	bool url = true;
	assert_int_equal(xchannel_post_price(&cfg, "Pide cita previa por teléfono.", &price, &url, &e), II_OK);
	assert_int_equal(price, 15000);
	assert_false(url);
	/* what twitter-text takes for a URL, with or without its scheme */
	assert_int_equal(xchannel_post_price(&cfg, "Más en https://www.seg-social.es/bulos", &price, &url, &e), II_OK);
	assert_int_equal(price, 200000);
	assert_true(url);
	assert_int_equal(xchannel_post_price(&cfg, "Más en seg-social.es", &price, NULL, &e), II_OK);
	assert_int_equal(price, 200000);
	/* a dot alone is no URL */
	assert_int_equal(xchannel_post_price(&cfg, "Fin. Gracias.", &price, &url, &e), II_OK);
	assert_int_equal(price, 15000);
	assert_int_equal(xchannel_post_price(&cfg, "\xff", &price, &url, &e), II_EDATA);
}

/* Without a database nothing was spent, and the whole budget is left. */
static void spend_without_store(void **state)
{
	(void)state;
	struct config cfg = {.x_cost = {.budget = 5000000}};
	struct xchannel_spend sp;
	struct ii_error e = {0};
	assert_int_equal(xchannel_spend(NULL, &cfg, 1796083200 /* 2026-12-01T00:00:00Z */, &sp, &e), II_OK);
	assert_string_equal(sp.month, "2026-12");
	assert_int_equal(sp.spent, 0);
	assert_int_equal(sp.left, 5000000);
	cfg.x_cost.budget = -1;
	assert_int_equal(xchannel_spend(NULL, &cfg, 1796083199, &sp, &e), II_OK);
	assert_string_equal(sp.month, "2026-11"); /* the billing month is UTC's */
	assert_int_equal(sp.left, -1);
}

/* The budget_low alerts journalled, and the last one's body into body. */
static long long budget_alerts(struct store *store, char *body, size_t size)
{
	struct ii_error e = {0};
	sqlite3_stmt *stmt;
	long long n = -1;
	unit_ok(store_prepare(store, "SELECT count(*) FROM notification WHERE event = 'budget_low'",
			      &stmt, &e), &e);
	unit_ok(store_first_int(store, stmt, &n, "count", &e), &e);
	*body = '\0';
	unit_ok(store_prepare(store, "SELECT body FROM notification WHERE event = 'budget_low' "
				     "ORDER BY created_at DESC LIMIT 1", &stmt, &e), &e);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		store_copy_text(body, size, stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

/* Claims a post of X's price ($0.015) at now, as publish does: in a transaction. */
static void claim(struct store *store, const struct publish_channel *ch, time_t now)
{
	const char *const texts[] = {"Pide cita previa por teléfono."};
	struct ii_error e = {0};
	bool covered = false;
	char why[256];
	unit_ok(store_begin(store, &e), &e);
	unit_ok(ch->charge(ch->ctx, store, texts, 1, true, now, &covered, why, sizeof why, &e), &e);
	unit_ok(store_commit(store, &e), &e);
	assert_true(covered);
}

/* Staff hear once a month, from the claim that takes the spending to budget_warning percent
 * of the budget; a new month starts afresh. */
static void budget_warning_once_a_month(void **state)
{
	(void)state;
	char *dir = unit_tmpdir();
	char *cred = unit_write_file(dir, "x.cred", "bearer_token=abc\n");
	assert_int_equal(chmod(cred, 0600), 0);
	char text[1024];
	snprintf(text, sizeof text,
		 "[twitter]\napi_url = http://127.0.0.1:1\ncredentials = %s\nmonthly_budget = 0.10\n"
		 "budget_warning = 50\n[notify chat]\ntype = webhook\nurl = https://127.0.0.1:1/x\n",
		 cred);
	struct config *cfg;
	struct diag_list *diags = diag_new();
	struct ii_error e = {0};
	unit_config_load(dir, text, &cfg, diags, &e);
	struct store *store;
	unit_ok(store_open(dir, STORE_WRITE, &store, &e), &e);
	struct xchannel *x;
	unit_ok(xchannel_open(cfg, store, NULL, NULL, &x, &e), &e);
	const struct publish_channel *ch = xchannel_channel(x);
	const time_t december = 1796083200 + 86400; /* 2026-12-02 */
	const time_t january = december + 31 * 86400;
	char body[4096];
	struct xchannel_spend sp;

	for (int i = 0; i < 3; i++) /* $0.045: under the $0.05 mark */
		claim(store, ch, december);
	assert_int_equal(budget_alerts(store, body, sizeof body), 0);
	unit_ok(xchannel_spend(store, cfg, december, &sp, &e), &e);
	assert_int_equal(sp.warning, 50000);
	assert_false(sp.low);
	claim(store, ch, december); /* $0.06 */
	assert_int_equal(budget_alerts(store, body, sizeof body), 1);
	unit_assert_contains(body, "X has cost $0.06 of its $0.10 monthly budget in 2026-12");
	unit_assert_contains(body, "$0.04 is left until the month ends, 2027-01-01 00:00 UTC");
	unit_ok(xchannel_spend(store, cfg, december, &sp, &e), &e);
	assert_true(sp.low);
	claim(store, ch, december); /* $0.075: told already this month */
	assert_int_equal(budget_alerts(store, body, sizeof body), 1);

	claim(store, ch, january);
	unit_ok(xchannel_spend(store, cfg, january, &sp, &e), &e);
	assert_false(sp.low);
	assert_int_equal(budget_alerts(store, body, sizeof body), 1);
	for (int i = 0; i < 3; i++)
		claim(store, ch, january);
	assert_int_equal(budget_alerts(store, body, sizeof body), 2);
	unit_assert_contains(body, "in 2027-01");

	xchannel_close(x);
	store_close(store);
	config_free(cfg);
	diag_free(diags);
	unit_rmtree(dir);
	free(cred);
	free(dir);
}

/* budget_warning = 0 warns nobody; without a budget there is nothing to warn of. */
static void budget_warning_off(void **state)
{
	(void)state;
	struct config cfg = {.x_cost = {.budget = 100000, .warning = 0}};
	struct xchannel_spend sp;
	struct ii_error e = {0};
	assert_int_equal(xchannel_spend(NULL, &cfg, 1796083200, &sp, &e), II_OK);
	assert_int_equal(sp.warning, -1);
	assert_false(sp.low);
	cfg.x_cost = (struct config_x_cost){.budget = -1, .warning = 80};
	assert_int_equal(xchannel_spend(NULL, &cfg, 1796083200, &sp, &e), II_OK);
	assert_int_equal(sp.warning, -1);
	/* a budget of nothing: every claim waits, and channel_paused says so */
	cfg.x_cost.budget = 0;
	assert_int_equal(xchannel_spend(NULL, &cfg, 1796083200, &sp, &e), II_OK);
	assert_int_equal(sp.warning, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_usd),
		cmocka_unit_test(post_price),
		cmocka_unit_test(spend_without_store),
		cmocka_unit_test(budget_warning_once_a_month),
		cmocka_unit_test(budget_warning_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
