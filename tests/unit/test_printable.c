/* Unit tests of lib/printable: outside text made safe for a terminal line and a plugin line. */

#include "unit.h"

#include "printable.h"

static void assert_cleaned(const char *text, const char *expected)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", text);
	printable_clean(buf);
	assert_string_equal(buf, expected);
}

static void controls_become_question_marks(void **state)
{
	(void)state;
	assert_cleaned("HTTP 200", "HTTP 200");
	assert_cleaned("línea\nnueva\r\t\x1b[31mrojo\x7f", "línea?nueva???[31mrojo?");
	/* C1 (U+009B is a CSI), line separator, right-to-left override: one '?' each */
	assert_cleaned("a\xC2\x9B" "b\xE2\x80\xA8" "c\xE2\x80\xAE" "d", "a?b?c?d");
	/* invalid UTF-8, and a character cut by a buffer */
	assert_cleaned("x\xFFy\xC3", "x?y?");
	assert_cleaned("Sede Electrónica ✅", "Sede Electrónica ✅");
}

static void plugin_text_has_no_pipe(void **state)
{
	(void)state;
	char out[64];
	printable_plugin_text("XPath '//a | //b'\nx", out, sizeof out);
	assert_string_equal(out, "XPath '//a \xC2\xA6 //b'?x");
	/* cut at a character, never inside one */
	printable_plugin_text("ab|", out, 4);
	assert_string_equal(out, "ab");
	printable_plugin_text("ñ", out, 2);
	assert_string_equal(out, "");
}

static void perf_labels_quoted_when_needed(void **state)
{
	(void)state;
	char out[64];
	printable_perf_label("sede_time", out, sizeof out);
	assert_string_equal(out, "sede_time");
	printable_perf_label("sede time", out, sizeof out);
	assert_string_equal(out, "'sede time'");
	printable_perf_label("a=b", out, sizeof out);
	assert_string_equal(out, "'a=b'");
	printable_perf_label("it's", out, sizeof out);
	assert_string_equal(out, "'it''s'");
	printable_perf_label("x\ny", out, sizeof out);
	assert_string_equal(out, "x?y");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(controls_become_question_marks),
		cmocka_unit_test(plugin_text_has_no_pipe),
		cmocka_unit_test(perf_labels_quoted_when_needed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
