/* Unit tests of lib/people: names compared as readers compare them, lookups, roles. */

#include "unit.h"

#include "people.h"

struct fixture {
	char *dir;
	struct config *cfg;
	struct diag_list *diags;
	struct ii_error err;
};

static const char people_conf[] =
	"[person lmartin]\n"
	"name = Lucía Martín\n"
	"os_users = lmartin lucia\n"
	"web_login = lucia.martin\n"
	"aliases = lucia.martin, L. Martín\n"
	"roles = author approver\n"
	"[person jgarcia]\n"
	"name = Javier García-Ruiz\n"
	"os_users = jgarcia\n"
	"roles = operator\n";

static void init(struct fixture *f)
{
	unit_renew_diags(&f->diags, &f->err);
	unit_config_load(f->dir, people_conf, &f->cfg, f->diags, &f->err);
}

static void fini(struct fixture *f)
{
	config_free(f->cfg);
	diag_free(f->diags);
}

UNIT_FIXTURE(init, fini)

static void assert_key(const char *name, const char *expected)
{
	char *key;
	struct ii_error e = {0};
	unit_ok(people_name_key(name, &key, &e), &e);
	assert_string_equal(key, expected);
	free(key);
}

/* The bypasses of issue 15, and the other ways one name is written differently. */
static void key_ignores_what_readers_ignore(void **state)
{
	(void)state;
	assert_key("lucia.martin", "lucia.martin");
	assert_key(" lucia.martin", "lucia.martin");
	assert_key("lucia.martin  \t", "lucia.martin");
	assert_key("lucía.martín", "lucia.martin");
	assert_key("LUCIA.MARTIN", "lucia.martin");
	assert_key("Lucía   Martín", "lucia martin");
	assert_key("Lucía\u00a0Martín", "lucia martin");          /* no-break space */
	assert_key("Luci\u0301a Marti\u0301n", "lucia martin");    /* combining accents */
	assert_key("Lu\u200bcía Mar\u00adtín", "lucia martin");    /* invisible characters */
	assert_key("ＬＵＣＩＡ", "lucia");                        /* fullwidth forms */
	assert_key("García\u2010Ruiz", "garcia-ruiz");             /* a hyphen that is not '-' */
	assert_key("Núñez", "nunez");
	assert_key("", "");
	assert_key(" \t ", "");
}

static void key_refuses_invalid_utf8(void **state)
{
	(void)state;
	char *key = (char *)"unchanged";
	struct ii_error e = {0};
	assert_int_equal(people_name_key("Luc\xed" "a", &key, &e), II_EDATA);
	assert_null(key);
	unit_assert_contains(e.detail, "not valid UTF-8");
}

static void find_by_name_id_and_alias(void **state)
{
	struct fixture *f = *state;
	static const char *const lucia[] = {"lmartin", "LMARTIN ", "Lucía Martín", "lucia martin",
					    " lucia.martin", "lucía.martín", "LUCIA.MARTIN",
					    "lucia.martin  ", "l. martin", "L.  Martín"};
	for (size_t i = 0; i < sizeof lucia / sizeof *lucia; i++) {
		const struct config_person *p = NULL;
		unit_ok(people_by_name(f->cfg, lucia[i], &p, &f->err), &f->err);
		if (!p || strcmp(p->id, "lmartin"))
			fail_msg("'%s' does not name lmartin", lucia[i]);
	}
	const struct config_person *p = (const struct config_person *)f->cfg;
	unit_ok(people_by_name(f->cfg, "javier garcía‐ruiz", &p, &f->err), &f->err);
	assert_non_null(p);
	assert_string_equal(p->id, "jgarcia");
	static const char *const nobody[] = {"Lucía", "lucia_martin", "luciamartin", "Ana", ""};
	for (size_t i = 0; i < sizeof nobody / sizeof *nobody; i++) {
		unit_ok(people_by_name(f->cfg, nobody[i], &p, &f->err), &f->err);
		if (p)
			fail_msg("'%s' names %s", nobody[i], p->id);
	}
}

/* Accounts and logins are the system's and the proxy's: compared exactly. */
static void find_by_account_and_login(void **state)
{
	struct fixture *f = *state;
	assert_string_equal(people_by_os_user(f->cfg, "lucia")->id, "lmartin");
	assert_string_equal(people_by_os_user(f->cfg, "jgarcia")->id, "jgarcia");
	assert_null(people_by_os_user(f->cfg, "Lucia"));
	assert_null(people_by_os_user(f->cfg, "root"));
	assert_string_equal(people_by_web_login(f->cfg, "lucia.martin")->id, "lmartin");
	assert_null(people_by_web_login(f->cfg, "lucia.martin "));
	assert_null(people_by_web_login(f->cfg, "jgarcia"));
}

static void roles(void **state)
{
	struct fixture *f = *state;
	const struct config_person *lucia = people_by_os_user(f->cfg, "lmartin");
	const struct config_person *javier = people_by_os_user(f->cfg, "jgarcia");
	assert_true(people_has_role(lucia, CONFIG_ROLE_APPROVER));
	assert_false(people_has_role(lucia, CONFIG_ROLE_OPERATOR));
	unit_ok(people_authorize(lucia, CONFIG_ROLE_AUTHOR, "lint", &f->err), &f->err);
	assert_int_equal(people_authorize(javier, CONFIG_ROLE_APPROVER, "approve", &f->err), II_EPERM);
	assert_string_equal(f->err.detail, "Javier García-Ruiz (jgarcia) does not have the role "
					   "'approver', which 'approve' needs");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(key_ignores_what_readers_ignore),
		UNIT_TEST(key_refuses_invalid_utf8),
		UNIT_TEST(find_by_name_id_and_alias),
		UNIT_TEST(find_by_account_and_login),
		UNIT_TEST(roles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
