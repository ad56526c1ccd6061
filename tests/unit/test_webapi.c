/* Unit tests of lib/webapi: headers read by name, an answer kept up to its cap. */

#include "unit.h"

#include "webapi.h"

static void header_read_by_name(void **state)
{
	(void)state;
	const char *headers = "HTTP/1.1 429 Too Many Requests\r\n"
			      "x-ratelimit-remaining:\t0 \t\r\n"
			      "X-RateLimit-Reset: 2026-12-06T02:35:00Z\r\n"
			      "X-Empty:\r\n"
			      "\r\n";
	char out[64];
	webapi_header_value(headers, "X-RateLimit-Remaining", out, sizeof out);
	assert_string_equal(out, "0");
	webapi_header_value(headers, "x-ratelimit-reset", out, sizeof out);
	assert_string_equal(out, "2026-12-06T02:35:00Z");
	webapi_header_value(headers, "X-Empty", out, sizeof out);
	assert_string_equal(out, "");
	/* a name that only starts another's is not it */
	webapi_header_value(headers, "X-RateLimit", out, sizeof out);
	assert_string_equal(out, "");
	webapi_header_value(NULL, "X-RateLimit-Reset", out, sizeof out);
	assert_string_equal(out, "");
	webapi_header_value(headers, "X-RateLimit-Reset", out, 5);
	assert_string_equal(out, "2026");
}

/* path's bytes through a capture of cap bytes, as libcurl hands them over */
static CURLcode fetch_file(struct webapi_capture *c, const char *path)
{
	char *url = NULL;
	assert_true(asprintf(&url, "file://%s", path) > 0);
	CURL *curl = curl_easy_init();
	assert_non_null(curl);
	assert_int_equal(curl_easy_setopt(curl, CURLOPT_URL, url), CURLE_OK);
	assert_true(webapi_capture_attach(c, curl));
	CURLcode done = curl_easy_perform(curl);
	curl_easy_cleanup(curl);
	free(url);
	return done;
}

static void answer_kept_up_to_its_cap(void **state)
{
	(void)state;
	char *dir = unit_tmpdir();
	char *small = unit_write_file(dir, "small", "0123456789");
	char *large = unit_write_file(dir, "large", "0123456789a");
	struct webapi_capture c;
	assert_true(webapi_capture_init(&c, 10));
	assert_int_equal(fetch_file(&c, small), CURLE_OK);
	assert_false(c.body.cut);
	assert_string_equal(c.body.data, "0123456789");
	/* one byte over: the transfer stops, and what was kept says so */
	assert_int_not_equal(fetch_file(&c, large), CURLE_OK);
	assert_true(c.body.cut);
	assert_int_equal(c.body.len, 10);
	/* the next answer starts empty */
	assert_int_equal(fetch_file(&c, small), CURLE_OK);
	assert_false(c.body.cut);
	assert_string_equal(c.body.data, "0123456789");
	webapi_capture_free(&c);
	assert_null(c.body.data);
	unit_rmtree(dir);
	free(small);
	free(large);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_read_by_name),
		cmocka_unit_test(answer_kept_up_to_its_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
