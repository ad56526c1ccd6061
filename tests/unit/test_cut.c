/* Unit tests of lib/cut: a draft's threads, one per channel, and its single post. */

#include "unit.h"

#include "cut.h"
#include "store.h"

/* A notice of two paragraphs of about 450 characters: four posts on X, two on Mastodon. */
static const char *const paragraphs[] = {
	"Circula un mensaje que dice que las pensiones bajarán en enero. Es falso: la ley fija "
	"cada año la subida de las pensiones con el IPC medio, y este año suben un 2,8 %. Nadie "
	"tiene que hacer ningún trámite para cobrarla. El mensaje pide además tus datos "
	"bancarios para «mantener la pensión». La Seguridad Social nunca te pide datos por "
	"mensaje ni por teléfono: no contestes y bórralo. Si ya has dado tus datos, llama a tu "
	"banco cuanto antes.",
	"Puedes consultar la cuantía de tu pensión en la sede electrónica, con certificado, "
	"Cl@ve o DNI electrónico, o en cualquier oficina con cita previa. Toda la información "
	"está en https://www.seg-social.es/wps/portal/wss/internet/Pensionistas y en el BOE. "
	"Comparte este aviso con quien pueda recibir el mensaje, sobre todo con las personas "
	"mayores, que son quienes más lo reciben estos días. #SeguridadSocial",
};

static ii_err cut_paragraphs(void *ctx, const struct counter *counter, struct thread **out,
			     struct ii_error *e)
{
	(void)ctx;
	struct thread_options o;
	thread_options_for(&o, counter);
	return thread_split(paragraphs, sizeof paragraphs / sizeof *paragraphs, &o, out, e);
}

static struct config_channel mastodon = {.id = "m", .type = CONFIG_CHANNEL_MASTODON};

static struct config with_mastodon(enum config_thread_mode mode)
{
	return (struct config){.channels = &mastodon, .channel_count = 1, .x_thread_mode = mode};
}

/* Every post of thread is valid on the network of counter, and its length is counted so. */
static void assert_valid_on(const struct thread *thread, const struct counter *counter)
{
	for (size_t i = 0; i < thread_count(thread); i++) {
		struct count_result r;
		struct ii_error e = {0};
		const char *text = thread_post(thread, i);
		unit_ok(counter_measure(counter, text, strlen(text), &r, &e), &e);
		assert_true(r.valid);
		assert_int_equal(r.length, thread_post_length(thread, i));
	}
}

/* The cut of the notice above under cfg, with the single post of a rebuttal's page. */
static void make_cut(const struct config *cfg, struct cut *c)
{
	struct ii_error e = {0};
	char *single;
	int length;
	unit_ok(cut_single("Las pensiones no bajan", "https://example.org/desmentidos/pensiones",
			   &single, &length, &e), &e);
	unit_ok(cut_make(cfg, NULL, cut_paragraphs, NULL, single, length, c, &e), &e);
	free(single);
}

static void each_channel_gets_a_thread_valid_on_its_network(void **state)
{
	(void)state;
	struct config cfg = with_mastodon(CONFIG_THREAD_REPLIES);
	struct cut c;
	struct ii_error e = {0};
	make_cut(&cfg, &c);
	assert_int_equal(c.count, 2);
	assert_string_equal(c.channels[0].id, "x");
	assert_string_equal(c.channels[1].id, "m");
	assert_int_equal(c.channels[1].counter.network, COUNT_MASTODON);
	assert_int_equal(thread_count(c.threads[0]), 4);
	assert_int_equal(thread_count(c.threads[1]), 2);
	assert_valid_on(c.threads[0], &c.channels[0].counter);
	assert_valid_on(c.threads[1], &c.channels[1].counter);
	struct draft_spec spec = {0};
	unit_ok(cut_spec(&c, &spec, &e), &e);
	assert_int_equal(spec.post_count, 4);
	assert_int_equal(spec.thread_count, 1);
	assert_string_equal(spec.threads[0].channel, "m");
	assert_int_equal(spec.threads[0].post_count, 2);
	assert_string_equal(spec.threads[0].posts[1], thread_post(c.threads[1], 1));
	/* the single post is kept for a refusal, and X's thread stays whole */
	assert_string_equal(spec.single_text,
			    "Las pensiones no bajan\nhttps://example.org/desmentidos/pensiones");
	assert_int_equal(spec.single_length, (int)strlen("Las pensiones no bajan") + 1 + 23);
	cut_free(&c);
}

static void single_mode_makes_x_one_post_and_leaves_the_others(void **state)
{
	(void)state;
	struct config cfg = with_mastodon(CONFIG_THREAD_SINGLE);
	struct cut c;
	struct ii_error e = {0};
	make_cut(&cfg, &c);
	struct draft_spec spec = {0};
	unit_ok(cut_spec(&c, &spec, &e), &e);
	assert_int_equal(spec.post_count, 1);
	assert_string_equal(spec.posts[0], c.single);
	assert_int_equal(spec.lengths[0], c.single_length);
	assert_int_equal(spec.threads[0].post_count, 2);
	cut_free(&c);
	/* without a link there is no single post: X keeps its thread */
	unit_ok(cut_make(&cfg, NULL, cut_paragraphs, NULL, NULL, 0, &c, &e), &e);
	unit_ok(cut_spec(&c, &spec, &e), &e);
	assert_int_equal(spec.post_count, 4);
	assert_null(spec.single_text);
	cut_free(&c);
}

/* A Mastodon instance that said it takes 300 characters (its limits cached in the store)
 * gets the notice in more statuses than the defaults' two, each within its limit. */
static void mastodon_is_cut_with_its_instances_limits(void **state)
{
	(void)state;
	struct config cfg = with_mastodon(CONFIG_THREAD_REPLIES);
	char *dir = unit_tmpdir();
	struct store *store;
	struct cut c;
	struct ii_error e = {0};
	unit_ok(store_open(dir, STORE_WRITE, &store, &e), &e);
	unit_ok(cut_make(&cfg, store, cut_paragraphs, NULL, NULL, 0, &c, &e), &e);
	assert_int_equal(thread_count(c.threads[1]), 2);
	cut_free(&c);
	unit_ok(store_channel_put(store, "m", "max_characters", "300", &e), &e);
	unit_ok(cut_make(&cfg, store, cut_paragraphs, NULL, NULL, 0, &c, &e), &e);
	assert_int_equal(c.channels[1].counter.limit, 300);
	assert_true(thread_count(c.threads[1]) > 2);
	assert_valid_on(c.threads[1], &c.channels[1].counter);
	assert_int_equal(thread_count(c.threads[0]), 4);
	cut_free(&c);
	store_close(store);
	unit_rmtree(dir);
	free(dir);
}

static void long_headline_is_cut_at_a_word_to_fit_x(void **state)
{
	(void)state;
	char headline[1024] = "";
	while (strlen(headline) < 600)
		strcat(headline, "Las pensiones no bajarán en enero ");
	char *text;
	int length;
	struct ii_error e = {0};
	const char *link = "https://example.org/feeds/avisos.atom";
	unit_ok(cut_single(headline, link, &text, &length, &e), &e);
	assert_true(length <= 280);
	struct counter x;
	counter_init(&x, COUNT_X);
	struct count_result r;
	unit_ok(counter_measure(&x, text, strlen(text), &r, &e), &e);
	assert_true(r.valid);
	assert_int_equal(r.length, length);
	/* a word more would not fit: the cut is the latest that does */
	assert_true(length > 280 - (int)strlen("enero …"));
	char *tail = strstr(text, "…\n");
	assert_non_null(tail);
	assert_string_equal(tail + strlen("…\n"), link);
	assert_true(tail[-1] != ' ');
	assert_int_equal(strncmp(text, headline, (size_t)(tail - text)), 0);
	free(text);
	/* a headline that cannot be cut at a word is an error, never a post without the link */
	char long_word[400];
	memset(long_word, 'a', sizeof long_word - 1);
	long_word[sizeof long_word - 1] = '\0';
	assert_int_equal(cut_single(long_word, link, &text, &length, &e), II_EDATA);
	assert_null(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(each_channel_gets_a_thread_valid_on_its_network),
		cmocka_unit_test(single_mode_makes_x_one_post_and_leaves_the_others),
		cmocka_unit_test(mastodon_is_cut_with_its_instances_limits),
		cmocka_unit_test(long_headline_is_cut_at_a_word_to_fit_x),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
