/* lib/xchannel's money: what a post costs on X, the month's spending, how amounts read. */
#include "unit.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_usd),
		cmocka_unit_test(post_price),
		cmocka_unit_test(spend_without_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
