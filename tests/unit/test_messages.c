/* Unit tests of lib/messages: the incident templates, built in or the operator's. */

#include "unit.h"

#include <stdlib.h>
#include <time.h>

#include "builtin.h"
#include "messages.h"
#include "text/tweet.h"

struct fixture {
	char *dir;
	struct diag_list *diags;
	struct messages *m;
	struct config *cfg;
	struct ii_error err;
};

static void init(struct fixture *f)
{
	f->diags = diag_new();
	unit_madrid_time();
}

static void fini(struct fixture *f)
{
	messages_free(f->m);
	config_free(f->cfg);
	diag_free(f->diags);
}

UNIT_FIXTURE(init, fini)

static void load_config(struct fixture *f, const char *name)
{
	char *text;
	assert_true(asprintf(&text, "[service sede]\nin_sentence = %s\nurl = https://sede.seg-social.gob.es/\n",
			     name) >= 0);
	unit_config_load(f->dir, text, &f->cfg, f->diags, &f->err);
	free(text);
}

/* Copies every built-in template into dir/plantillas, the operator's folder. */
static char *copy_builtins(struct fixture *f)
{
	char *dir = unit_mkdir(f->dir, "plantillas");
	for (size_t i = 0; i < builtin_templates_count; i++) {
		char *path = unit_join(dir, builtin_templates[i].name);
		unit_write_bytes(path, builtin_templates[i].text, builtin_templates[i].len);
		free(path);
	}
	return dir;
}

static void builtin_resolution_reads_as_the_issue_says(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(messages_load(NULL, &f->m, f->diags, &f->err), II_OK);
	struct message_moment_texts t;
	struct message_values v = {.servicio = "la Sede Electrónica", .alternativa = ""};
	/* 2025-11-28 from 10:42 to 11:15 in Madrid, told the same day */
	messages_moments(&(struct message_moments){.hora = 1764324900, .desde = 1764322920},
			 1764324900 + 3600, false, &t, &v);
	struct thread *thread;
	assert_int_equal(messages_render(f->m, MESSAGE_RESOLVED, &v, &thread, &f->err), II_OK);
	assert_int_equal(thread_count(thread), 1);
	assert_string_equal(thread_post(thread, 0),
			    "✅ La Sede Electrónica vuelve a funcionar con normalidad desde las 11:15. "
			    "El problema ha durado 33 minutos. Gracias por tu paciencia.");
	thread_free(thread);
}

static void a_value_the_event_lacks_is_an_error(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(messages_load(NULL, &f->m, f->diags, &f->err), II_OK);
	const struct message_values v = {.servicio = "Sede", .hora = "10:42"};
	struct thread *thread;
	assert_int_equal(messages_render(f->m, MESSAGE_RESOLVED, &v, &thread, &f->err), II_EDATA);
	unit_assert_contains(f->err.detail, "missing value for placeholder '{duracion}'");
}

static void builtins_fit_with_a_long_service_name(void **state)
{
	struct fixture *f = *state;
	load_config(f, "la Sede Electrónica de la Seguridad Social - Tesorería General\n"
		       "alternative = Llama al 901 50 20 50.");
	assert_int_equal(messages_load(NULL, &f->m, f->diags, &f->err), II_OK);
	ii_err rc = messages_lint(f->m, f->cfg, f->diags, &f->err);
	unit_print_diags(f->diags);
	assert_int_equal(rc, II_OK);
	assert_int_equal(diag_count(f->diags), 0);
}

static void a_template_too_long_for_the_longest_name_fails_lint(void **state)
{
	struct fixture *f = *state;
	char *name = unit_repeat('x', 60);
	load_config(f, name);
	char *dir = copy_builtins(f);
	char *path = unit_join(dir, "alerta.txt");
	char *long_text = unit_repeat('a', 230);
	char *text;
	assert_true(asprintf(&text, "{servicio} %s\n", long_text) >= 0);
	unit_write(path, text);
	assert_int_equal(messages_load(dir, &f->m, f->diags, &f->err), II_OK);
	assert_int_equal(messages_lint(f->m, f->cfg, f->diags, &f->err), II_EDATA);
	assert_int_equal(diag_count(f->diags), 1);
	unit_assert_contains(diag_at(f->diags, 0), "alerta.txt: error: the message is 295 characters long");
	free(name);
	free(dir);
	free(path);
	free(long_text);
	free(text);
}

/* The weight of the announcement of a window from 30 September to 1 October of next year,
 * 23:59 both, as production renders it for the service of f->cfg. */
static int announcement_weight(struct fixture *f)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	struct tm from = {.tm_year = tm.tm_year + 1, .tm_mon = 8, .tm_mday = 30, .tm_hour = 23,
			  .tm_min = 59, .tm_isdst = -1};
	struct tm until = from;
	until.tm_mon = 9;
	until.tm_mday = 1;
	struct message_window texts;
	struct message_values v;
	messages_window(config_find_service(f->cfg, "sede"), mktime(&from), mktime(&until), &texts, &v);
	struct thread *thread;
	assert_int_equal(messages_render(f->m, MESSAGE_MAINTENANCE_ANNOUNCED, &v, &thread, &f->err), II_OK);
	assert_int_equal(thread_count(thread), 1);
	int weight = thread_post_length(thread, 0);
	thread_free(thread);
	return weight;
}

/* lint's longest values are what production can post: a window of next year names both
 * years, and an announcement leads a maintenance notice's thread, numbered " 1/N" (N up
 * to the thread's most posts). An alternative that leaves the post one character short
 * of 280 with that numbering fails lint (the demo's announcement overflowed so). */
static void lint_counts_the_year_and_the_numbering(void **state)
{
	struct fixture *f = *state;
	load_config(f, "la Sede");
	assert_int_equal(messages_load(NULL, &f->m, f->diags, &f->err), II_OK);
	int bare = announcement_weight(f);
	char numbering[16];
	int numbering_weight = snprintf(numbering, sizeof numbering, " 1/%d", THREAD_DEFAULT_MAX_POSTS);
	/* the alternative and its space bring the numbered post to 281 */
	int length = TWEET_MAX_WEIGHTED_LENGTH + 1 - numbering_weight - bare - 2;
	char *alternative = unit_repeat('a', (size_t)length), *config;
	assert_true(asprintf(&config, "la Sede\nalternative = %s.", alternative) >= 0);
	config_free(f->cfg);
	load_config(f, config);
	int real = announcement_weight(f);
	assert_true(real <= TWEET_MAX_WEIGHTED_LENGTH);
	assert_int_equal(real + numbering_weight, TWEET_MAX_WEIGHTED_LENGTH + 1);
	assert_int_equal(messages_lint(f->m, f->cfg, f->diags, &f->err), II_EDATA);
	bool announcement = false;
	for (size_t i = 0; i < diag_count(f->diags); i++)
		announcement |= strstr(diag_at(f->diags, i), "mantenimiento-anuncio.txt: error: the message is") != NULL;
	assert_true(announcement);
	free(alternative);
	free(config);
}

/* Replaces the built-in file of dir with text and lints the set: one error expected. */
static void lint_fails_with(struct fixture *f, const char *file, const char *text, const char *want)
{
	load_config(f, "la Sede");
	char *dir = copy_builtins(f);
	char *path = unit_join(dir, file);
	unit_write(path, text);
	assert_int_equal(messages_load(dir, &f->m, f->diags, &f->err), II_OK);
	assert_int_equal(messages_lint(f->m, f->cfg, f->diags, &f->err), II_EDATA);
	if (diag_count(f->diags) != 1)
		unit_print_diags(f->diags);
	assert_int_equal(diag_count(f->diags), 1);
	unit_assert_contains(diag_at(f->diags, 0), want);
	free(dir);
	free(path);
}

/* Two emoji at most, each with a meaning (issue 14, item 5). */
static void more_than_two_emoji_fail_lint(void **state)
{
	lint_fails_with(*state, "alerta.txt", "⚠️ {servicio} no funciona 🚨🇪🇸. #SeguridadSocial\n",
			"alerta.txt: error: the message has 3 emoji (at most 2");
}

/* The hashtag goes once per thread, on its first post: a reply repeats it. */
static void a_hashtag_in_a_reply_fails_lint(void **state)
{
	lint_fails_with(*state, "resuelta.txt", "✅ {servicio} funciona. #SeguridadSocial\n",
			"resuelta.txt: error: a reply repeats a hashtag");
}

/* A post that answers its thread leaves out the hashtags that end it, not one that a
 * sentence needs. */
static void a_post_in_a_thread_leaves_its_final_hashtags_out(void **state)
{
	struct fixture *f = *state;
	char *dir = copy_builtins(f);
	char *path = unit_join(dir, "alerta.txt");
	unit_write(path, "⚠️ {servicio} no funciona: entra por la #SedeAlternativa. #SeguridadSocial #Pensiones\n");
	assert_int_equal(messages_load(dir, &f->m, f->diags, &f->err), II_OK);
	struct message_values v = {.servicio = "la Sede", .alternativa = ""};
	const char *const want[] = {
		"⚠️ La Sede no funciona: entra por la #SedeAlternativa. #SeguridadSocial #Pensiones",
		"⚠️ La Sede no funciona: entra por la #SedeAlternativa.",
	};
	for (int in_thread = 0; in_thread < 2; in_thread++) {
		v.in_thread = in_thread;
		struct thread *thread;
		assert_int_equal(messages_render(f->m, MESSAGE_ALERT, &v, &thread, &f->err), II_OK);
		assert_string_equal(thread_post(thread, 0), want[in_thread]);
		thread_free(thread);
	}
	free(dir);
	free(path);
}

/* The alternative counts: the heaviest configured one is rendered. */
static void a_long_alternative_fails_lint(void **state)
{
	struct fixture *f = *state;
	char *alternative = unit_repeat('a', 199);
	char *config;
	assert_true(asprintf(&config, "la Sede\nalternative = %s.", alternative) >= 0);
	load_config(f, config);
	assert_int_equal(messages_load(NULL, &f->m, f->diags, &f->err), II_OK);
	assert_int_equal(messages_lint(f->m, f->cfg, f->diags, &f->err), II_EDATA);
	unit_assert_contains(diag_at(f->diags, 0), "alerta.txt: error: the message is");
	free(alternative);
	free(config);
}

static void operator_folder_errors_name_the_file(void **state)
{
	struct fixture *f = *state;
	char *dir = copy_builtins(f);
	char *missing = unit_join(dir, "inestable.txt");
	assert_int_equal(remove(missing), 0);
	char *bad = unit_join(dir, "resuelta.txt");
	unit_write(bad, "Vuelve {servicio_x} a las {hora}.\n");
	assert_int_equal(messages_load(dir, &f->m, f->diags, &f->err), II_EIO);
	assert_null(f->m);
	assert_int_equal(diag_count(f->diags), 2);
	unit_assert_contains(diag_at(f->diags, 0), "inestable.txt");
	unit_assert_contains(diag_at(f->diags, 1), "resuelta.txt:1: error: unknown placeholder '{servicio_x}'");
	free(dir);
	free(missing);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(builtin_resolution_reads_as_the_issue_says),
		UNIT_TEST(a_value_the_event_lacks_is_an_error),
		UNIT_TEST(builtins_fit_with_a_long_service_name),
		UNIT_TEST(a_template_too_long_for_the_longest_name_fails_lint),
		UNIT_TEST(operator_folder_errors_name_the_file),
		UNIT_TEST(lint_counts_the_year_and_the_numbering),
		UNIT_TEST(more_than_two_emoji_fail_lint),
		UNIT_TEST(a_hashtag_in_a_reply_fails_lint),
		UNIT_TEST(a_long_alternative_fails_lint),
		UNIT_TEST(a_post_in_a_thread_leaves_its_final_hashtags_out),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
