/*
 * The X API client: classification of responses and text comparison (pure), then the
 * client against tests/fakes/xapi.js, which this file starts on a free port (node, from
 * the repository's root) and stops at the end.
 */
#include "unit.h"

#include <curl/curl.h>
#include <cjson/cJSON.h>
#include <arpa/inet.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "xapi.h"

extern char **environ;

static const time_t NOW = 1767225600; /* 2026-01-01 00:00:00 UTC, the parser's "now" */

static const char RATE_HEADERS[] =
	"HTTP/1.1 201 Created\r\n"
	"content-type: application/json; charset=utf-8\r\n"
	"x-rate-limit-limit: 100\r\n"
	"X-Rate-Limit-Remaining: 97\r\n"
	"x-rate-limit-reset:  1767226500 \r\n"
	"x-user-limit-24hour-limit: 17\r\n"
	"x-user-limit-24hour-remaining: 16\r\n"
	"x-user-limit-24hour-reset: 1767300000\r\n";

static struct xapi_result parse(enum xapi_call call, long status, const char *headers, const char *body)
{
	struct xapi_result r;
	assert_int_equal(xapi_parse_response(call, status, headers, body, strlen(body), NOW, &r, NULL, NULL),
			 II_OK);
	return r;
}

static struct xapi_result expect(enum xapi_call call, long status, const char *headers,
				 const char *body, enum xapi_outcome outcome)
{
	struct xapi_result r = parse(call, status, headers, body);
	if (r.outcome != outcome)
		fail_msg("HTTP %ld '%s': expected '%s', got '%s'", status, body, xapi_outcome_name(outcome),
			 xapi_outcome_name(r.outcome));
	return r;
}

/* --- the pure parts ---------------------------------------------------------------------- */

static void test_created(void **state)
{
	(void)state;
	struct xapi_result r = expect(XAPI_CALL_POST, 201, RATE_HEADERS,
		"{\"data\":{\"id\":\"1445880548472328192\",\"text\":\"Hola\",\"edit_history_tweet_ids\":[\"1445880548472328192\"]}}", XAPI_OK);
	assert_int_equal(r.committed, XAPI_COMMITTED);
	assert_string_equal(r.id, "1445880548472328192");
	assert_int_equal(r.rate.window.limit, 100);
	assert_int_equal(r.rate.window.remaining, 97);
	assert_int_equal(r.rate.window.reset, 1767226500);
	assert_int_equal(r.rate.user_day.limit, 17);
	assert_int_equal(r.rate.user_day.remaining, 16);
	assert_int_equal(r.rate.user_day.reset, 1767300000);
	assert_int_equal(r.rate.app_day.limit, -1);
	assert_int_equal(r.rate.app_day.remaining, -1);
}

static void test_created_without_id_may_be_committed(void **state)
{
	(void)state;
	const char *bodies[] = {"{\"data\":{}}", "{\"data\":{\"id\":\"12ab\"}}", "<html>ok</html>", "", "[1]"};
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct xapi_result r = expect(XAPI_CALL_POST, 201, "", bodies[i], XAPI_TRANSIENT);
		assert_int_equal(r.committed, XAPI_MAYBE_COMMITTED);
		unit_assert_contains(r.detail, "unexpected answer");
	}
}

static void test_bad_request(void **state)
{
	(void)state;
	struct xapi_result r = expect(XAPI_CALL_POST, 400, "",
		"{\"errors\":[{\"parameters\":{\"text\":[]},\"message\":\"$.text: string expected\"}],"
		"\"title\":\"Invalid Request\",\"detail\":\"One or more parameters to your request was invalid.\","
		"\"type\":\"https://api.twitter.com/2/problems/invalid-request\"}", XAPI_BAD_REQUEST);
	assert_int_equal(r.committed, XAPI_NOT_COMMITTED);
	assert_string_equal(r.detail,
		"HTTP 400: One or more parameters to your request was invalid. ($.text: string expected)");
	r = expect(XAPI_CALL_POST, 413, "", "", XAPI_BAD_REQUEST);
	assert_string_equal(r.detail, "HTTP 413");
}

static void test_unauthorized(void **state)
{
	(void)state;
	struct xapi_result r = expect(XAPI_CALL_POST, 401, "",
		"{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}", XAPI_UNAUTHORIZED);
	assert_string_equal(r.detail, "HTTP 401: Unauthorized");
	/* v1.1's form */
	r = expect(XAPI_CALL_ME, 401, "", "{\"errors\":[{\"code\":32,\"message\":\"Could not authenticate you.\"}]}", XAPI_UNAUTHORIZED);
	assert_string_equal(r.detail, "HTTP 401: Could not authenticate you. [code 32]");
}

static void test_duplicate_and_forbidden(void **state)
{
	(void)state;
	struct xapi_result r = expect(XAPI_CALL_POST, 403, "",
		"{\"detail\":\"You are not allowed to create a Tweet with duplicate content.\",\"type\":\"about:blank\","
		"\"title\":\"Forbidden\",\"status\":403}", XAPI_DUPLICATE);
	assert_int_equal(r.committed, XAPI_NOT_COMMITTED);
	unit_assert_contains(r.detail, "duplicate content");
	r = expect(XAPI_CALL_POST, 403, "", "{\"errors\":[{\"code\":187,\"message\":\"Status is a duplicate.\"}]}", XAPI_DUPLICATE);
	r = expect(XAPI_CALL_POST, 403, "",
		"{\"detail\":\"You attempted to reply to a Tweet that is deleted or not visible to you.\","
		"\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}", XAPI_REPLY_GONE);
	unit_assert_contains(r.detail, "reply to a Tweet that is deleted");
	assert_int_equal(r.committed, XAPI_NOT_COMMITTED);
	r = expect(XAPI_CALL_POST, 403, "", "{\"errors\":[{\"code\":385,\"message\":\"You attempted to reply "
		"to a Tweet that is deleted or not visible to you.\"}]}", XAPI_REPLY_GONE);
	/* X's reply restriction of 2026-02-23: the post is there, answering it is refused */
	r = expect(XAPI_CALL_POST, 403, "",
		"{\"title\":\"Forbidden\",\"type\":\"about:blank\",\"status\":403,\"detail\":\"Reply to this "
		"conversation is not allowed because you have not been mentioned or otherwise engaged by the "
		"author of the post you are replying to.\"}", XAPI_REPLY_REFUSED);
	unit_assert_contains(r.detail, "HTTP 403: Reply to this conversation is not allowed because you "
				       "have not been mentioned");
	assert_int_equal(r.committed, XAPI_NOT_COMMITTED);
	/* v1.1's word for a post whose author limited who may reply */
	r = expect(XAPI_CALL_POST, 403, "", "{\"errors\":[{\"code\":433,\"message\":\"The original Tweet "
		"author restricted who can reply to this Tweet.\"}]}", XAPI_REPLY_REFUSED);
	r = expect(XAPI_CALL_POST, 403, "", "{\"detail\":\"You are not permitted to perform this action.\","
		"\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}", XAPI_FORBIDDEN);
	r = expect(XAPI_CALL_POST, 403, "", "not json", XAPI_FORBIDDEN);
}

static void test_rate_limited_window(void **state)
{
	(void)state;
	const char headers[] = "HTTP/1.1 429 Too Many Requests\r\nx-rate-limit-limit: 100\r\n"
			       "x-rate-limit-remaining: 0\r\nx-rate-limit-reset: 1767226000\r\n"
			       "x-user-limit-24hour-remaining: 5\r\nx-user-limit-24hour-reset: 1767300000\r\n";
	struct xapi_result r = expect(XAPI_CALL_POST, 429, headers,
		"{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}", XAPI_RATE_LIMITED);
	assert_int_equal(r.committed, XAPI_NOT_COMMITTED);
	assert_int_equal(r.retry_at, 1767226000);
}

static void test_rate_limited_day(void **state)
{
	(void)state;
	/* the window still has room: the exhausted 24-hour limit is what counts */
	const char user[] = "x-rate-limit-remaining: 50\r\nx-rate-limit-reset: 1767226000\r\n"
			    "x-user-limit-24hour-remaining: 0\r\nx-user-limit-24hour-reset: 1767300000\r\n"
			    "x-app-limit-24hour-remaining: 900\r\nx-app-limit-24hour-reset: 1767311111\r\n";
	assert_int_equal(parse(XAPI_CALL_POST, 429, user, "").retry_at, 1767300000);
	const char app[] = "x-rate-limit-remaining: 50\r\nx-rate-limit-reset: 1767226000\r\n"
			   "x-user-limit-24hour-remaining: 3\r\nx-user-limit-24hour-reset: 1767300000\r\n"
			   "x-app-limit-24hour-remaining: 0\r\nx-app-limit-24hour-reset: 1767311111\r\n";
	struct xapi_result r = parse(XAPI_CALL_POST, 429, app, "");
	assert_int_equal(r.retry_at, 1767311111);
	assert_int_equal(r.rate.app_day.remaining, 0);
	/* both exhausted: the later reset */
	const char both[] = "x-rate-limit-remaining: 0\nx-rate-limit-reset: 1767226000\n"
			    "x-user-limit-24hour-remaining: 0\nx-user-limit-24hour-reset: 1767300000\n";
	assert_int_equal(parse(XAPI_CALL_POST, 429, both, "").retry_at, 1767300000);
}

static void test_rate_limited_without_headers(void **state)
{
	(void)state;
	assert_int_equal(parse(XAPI_CALL_POST, 429, "", "").retry_at, NOW + 900);
	assert_int_equal(parse(XAPI_CALL_POST, 429, "Retry-After: 120\r\n", "").retry_at, NOW + 120);
	/* malformed figures are absent figures */
	struct xapi_result r = parse(XAPI_CALL_POST, 429, "x-rate-limit-reset: soon\r\nx-rate-limit-remaining: -3\r\n", "");
	assert_int_equal(r.retry_at, NOW + 900);
	assert_int_equal(r.rate.window.remaining, -1);
}

static const char USAGE_CAP[] =
	"{\"account_id\":1,\"product_name\":\"standard-basic\",\"title\":\"UsageCapExceeded\",\"period\":\"Monthly\","
	"\"scope\":\"Product\",\"detail\":\"Usage cap exceeded: Monthly product cap\","
	"\"type\":\"https://api.twitter.com/2/problems/usage-capped\"}";

static void test_usage_cap(void **state)
{
	(void)state;
	const char headers[] = "x-rate-limit-limit: 40000\r\nx-rate-limit-remaining: 39999\r\n"
			       "x-rate-limit-reset: 1767226000\r\n";
	struct xapi_result r = expect(XAPI_CALL_POST, 429, headers, USAGE_CAP, XAPI_USAGE_CAP);
	assert_int_equal(r.retry_at, NOW + XAPI_USAGE_CAP_RETRY_S);
	unit_assert_contains(r.detail, "Usage cap exceeded: Monthly product cap");
	assert_int_equal(parse(XAPI_CALL_POST, 403, "", USAGE_CAP).outcome, XAPI_USAGE_CAP);
}

static void test_server_errors(void **state)
{
	(void)state;
	const char body[] = "{\"title\":\"Service Unavailable\",\"detail\":\"Service Unavailable\",\"type\":\"about:blank\",\"status\":503}";
	struct xapi_result r = expect(XAPI_CALL_POST, 503, "", body, XAPI_TRANSIENT);
	assert_int_equal(r.committed, XAPI_MAYBE_COMMITTED);
	assert_string_equal(r.detail, "HTTP 503: Service Unavailable");
	assert_int_equal(parse(XAPI_CALL_DELETE, 500, "", "").committed, XAPI_MAYBE_COMMITTED);
	r = expect(XAPI_CALL_ME, 502, "", "<html>bad gateway</html>", XAPI_TRANSIENT);
	assert_int_equal(r.committed, XAPI_NOT_COMMITTED);
	assert_int_equal(parse(XAPI_CALL_POST, 408, "", "").outcome, XAPI_TRANSIENT);
	assert_int_equal(parse(XAPI_CALL_POST, 408, "", "").committed, XAPI_NOT_COMMITTED);
}

static void test_me(void **state)
{
	(void)state;
	struct xapi_result r = expect(XAPI_CALL_ME, 200, "",
		"{\"data\":{\"id\":\"2244994945\",\"name\":\"X Dev\",\"username\":\"TwitterDev\"}}", XAPI_OK);
	assert_string_equal(r.id, "2244994945");
	assert_string_equal(r.username, "TwitterDev");
}

/* A timeline answer with status 200; its posts go to tl, which the caller frees. */
static struct xapi_result parse_timeline(const char *body, struct xapi_timeline *tl, enum xapi_outcome outcome)
{
	struct xapi_result r;
	assert_int_equal(xapi_parse_response(XAPI_CALL_TIMELINE, 200, "", body, strlen(body), NOW, &r, tl, NULL), II_OK);
	assert_int_equal(r.outcome, outcome);
	return r;
}

static void test_timeline(void **state)
{
	(void)state;
	const char body[] =
		"{\"data\":[{\"id\":\"1800000000000000003\",\"text\":\"2/2 Fuentes: https://t.co/AbC123 &amp; m\\u00e1s\","
		"\"created_at\":\"2026-01-01T09:00:02.000Z\",\"referenced_tweets\":[{\"type\":\"quoted\",\"id\":\"5\"},"
		"{\"type\":\"replied_to\",\"id\":\"1800000000000000002\"}]},"
		"{\"id\":\"1800000000000000002\",\"text\":\"1/2 FALSO\"},"
		"{\"id\":\"not-an-id\",\"text\":\"skipped\"}, 7],"
		"\"meta\":{\"result_count\":3,\"next_token\":\"7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i\"}}";
	struct xapi_timeline tl;
	parse_timeline(body, &tl, XAPI_OK);
	assert_int_equal(tl.count, 2);
	assert_string_equal(tl.posts[0].id, "1800000000000000003");
	assert_string_equal(tl.posts[0].reply_to, "1800000000000000002");
	assert_string_equal(tl.posts[0].created_at, "2026-01-01T09:00:02.000Z");
	assert_int_equal(tl.posts[0].created, 1767258002);
	assert_string_equal(tl.posts[0].text, "2/2 Fuentes: https://t.co/AbC123 &amp; m\xc3\xa1s");
	assert_string_equal(tl.posts[1].reply_to, "");
	assert_string_equal(tl.posts[1].created_at, "");
	assert_int_equal(tl.posts[1].created, 0);
	assert_string_equal(tl.next_token, "7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i");
	xapi_timeline_free(&tl);
	assert_int_equal(tl.count, 0);

	const char empty[] = "{\"meta\":{\"result_count\":0}}";
	parse_timeline(empty, &tl, XAPI_OK);
	assert_int_equal(tl.count, 0);
	assert_string_equal(tl.next_token, "");
	xapi_timeline_free(&tl);
}

static void test_timeline_unknown_user(void **state)
{
	(void)state;
	const char body[] = "{\"errors\":[{\"value\":\"12\",\"detail\":\"Could not find user with id: [12].\","
			    "\"title\":\"Not Found Error\",\"resource_type\":\"user\",\"parameter\":\"id\","
			    "\"type\":\"https://api.twitter.com/2/problems/resource-not-found\"}]}";
	struct xapi_result r;
	struct xapi_timeline tl;
	r = parse_timeline(body, &tl, XAPI_NOT_FOUND);
	unit_assert_contains(r.detail, "Could not find user with id: [12].");
	xapi_timeline_free(&tl);
}

static void test_delete(void **state)
{
	(void)state;
	struct xapi_result r = expect(XAPI_CALL_DELETE, 200, "", "{\"data\":{\"deleted\":true}}", XAPI_OK);
	assert_true(r.deleted);
	r = expect(XAPI_CALL_DELETE, 200, "", "{\"data\":{\"deleted\":false}}", XAPI_OK);
	assert_false(r.deleted);
	r = expect(XAPI_CALL_DELETE, 200, "", "{\"data\":{}}", XAPI_TRANSIENT);
	assert_int_equal(r.committed, XAPI_MAYBE_COMMITTED);
}

static void test_text_matches(void **state)
{
	(void)state;
	assert_true(xapi_text_matches("Hola", "Hola"));
	assert_true(xapi_text_matches("1/3 Más info: https://www.seg-social.es/wps/portal?a=1&b=2 y boe.es.",
				      "1/3 Más info: https://t.co/Xy12Ab34Cd y https://t.co/Zz9.")); /* two URLs */
	assert_true(xapi_text_matches("A & B < C > D", "A &amp; B &lt; C &gt; D"));
	assert_true(xapi_text_matches("literal &amp; stays", "literal &amp;amp; stays"));
	assert_true(xapi_text_matches("(https://boe.es/x).", "(https://t.co/abc)."));
	assert_true(xapi_text_matches("https://t.co/abc already short", "https://t.co/abc already short"));
	assert_true(xapi_text_matches("caf\x65\xcc\x81 \n", "caf\xc3\xa9")); /* NFC, trailing space */
	assert_false(xapi_text_matches("Hola", "Hola!"));
	assert_false(xapi_text_matches("1/3 texto https://boe.es", "2/3 texto https://t.co/abc"));
	assert_false(xapi_text_matches("sin enlace", "sin https://t.co/abc"));
	assert_false(xapi_text_matches("dos https://a.es https://b.es", "dos https://t.co/abc"));
	assert_false(xapi_text_matches("A & B", "A & C"));
	assert_false(xapi_text_matches("bad \xff utf-8", "bad \xff utf-8"));
	assert_false(xapi_text_matches("x", NULL));
}

static void test_base_url_rules(void **state)
{
	(void)state;
	struct xapi *api = NULL;
	struct ii_error e = {0};
	struct xapi_options opt = {.base_url = "http://api.x.com"};
	assert_int_equal(xapi_new(&opt, NULL, &api, &e), II_ECONFIG);
	assert_null(api);
	unit_assert_contains(e.detail, "invalid X API URL 'http://api.x.com': http is allowed only for loopback hosts");
	opt.base_url = "ftp://127.0.0.1/";
	assert_int_equal(xapi_new(&opt, NULL, &api, NULL), II_ECONFIG);
	opt.base_url = "http://127.0.0.1:9/";
	assert_int_equal(xapi_new(&opt, NULL, &api, NULL), II_OK);
	struct xapi_result r;
	assert_int_equal(xapi_post(api, "x", "12a", &r, &e), II_EDATA);
	unit_assert_contains(e.detail, "invalid post id '12a'");
	assert_int_equal(xapi_delete(api, "", &r, NULL), II_EDATA);
	struct xapi_timeline tl;
	assert_int_equal(xapi_user_posts(api, "12", 4, NULL, &tl, &r, NULL), II_EDATA);
	assert_int_equal(xapi_user_posts(api, "12", 101, NULL, &tl, &r, NULL), II_EDATA);
	assert_int_equal(xapi_user_posts(api, "1/2", 10, NULL, &tl, &r, NULL), II_EDATA);
	xapi_free(api);
	opt.base_url = NULL; /* the default */
	assert_int_equal(xapi_new(&opt, NULL, &api, NULL), II_OK);
	xapi_free(api);
}

static void test_valid_id(void **state)
{
	(void)state;
	assert_true(xapi_valid_id("1"));
	assert_true(xapi_valid_id("1234567890123456789"));
	assert_false(xapi_valid_id("12345678901234567890"));
	assert_false(xapi_valid_id(""));
	assert_false(xapi_valid_id("-1"));
	assert_false(xapi_valid_id("12 "));
}

/* --- against the fake API ---------------------------------------------------------------- */

#define CONSUMER_KEY "fakeConsumerKey0123"
#define CONSUMER_SECRET "fakeConsumerSecret-0123456789abcdefghijkl"
#define ACCESS_TOKEN "1512345678901234567-fakeAccessToken"
#define TOKEN_SECRET "fakeTokenSecret-9876543210zyxwvutsrqp"
#define BEARER "fakeBearer-AAAAAAAAAAAAAAAAAAAAA%3Dzz"
#define FAR_FUTURE 4102444800 /* 2100-01-01: a reset no test ever waits for */

#define OAUTH_SET "consumer_key=" CONSUMER_KEY "\nconsumer_secret=" CONSUMER_SECRET \
	"\naccess_token=" ACCESS_TOKEN "\naccess_token_secret=" TOKEN_SECRET "\n"

static struct {
	char *dir;
	pid_t pid;
	char base_url[64];
	struct cred *cred;
	struct xapi *api;
	char *trace; /* everything the trace hook saw, when a test asks for it */
	size_t trace_len;
} fake;

static struct cred *load_cred(const char *name, const char *text)
{
	char *path = unit_write_file(fake.dir, name, text);
	assert_int_equal(chmod(path, 0600), 0);
	struct cred *cred = NULL;
	struct ii_error e = {0};
	if (cred_load(path, &cred, &e) != II_OK)
		fail_msg("%s", e.detail);
	free(path);
	return cred;
}

static char *read_whole(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *text = calloc(1, 4096);
	assert_non_null(text);
	size_t n = fread(text, 1, 4095, f);
	fclose(f);
	text[n] = '\0';
	return text;
}

static void start_fake(void)
{
	fake.dir = unit_tmpdir();
	char *cred_path = unit_write_file(fake.dir, "fake.cred", OAUTH_SET "bearer_token=" BEARER "\n");
	char *port_file = unit_join(fake.dir, "port.json");
	const char *script = getenv("XAPI_FAKE") ? getenv("XAPI_FAKE") : "tests/fakes/xapi.js";
	char *argv[] = {"node", (char *)script, "--port-file", port_file, "--cred", cred_path, NULL};
	if (posix_spawnp(&fake.pid, "node", NULL, NULL, argv, environ) != 0)
		fail_msg("cannot start node %s", script);
	/* the fake writes its port file atomically once it listens; a bound on the number of
	 * polls only keeps a broken fake from hanging the suite */
	char *ports = NULL;
	for (int polls = 0; polls < 3000 && !(ports = read_whole(port_file)); polls++) {
		int status;
		if (waitpid(fake.pid, &status, WNOHANG) == fake.pid)
			fail_msg("%s exited before listening (run from the repository's root)", script);
		nanosleep(&(struct timespec){.tv_nsec = 10 * 1000 * 1000}, NULL);
	}
	assert_non_null(ports);
	cJSON *j = cJSON_Parse(ports);
	const cJSON *port = cJSON_GetObjectItemCaseSensitive(j, "http");
	assert_true(cJSON_IsNumber(port));
	snprintf(fake.base_url, sizeof fake.base_url, "http://127.0.0.1:%d", port->valueint);
	cJSON_Delete(j);
	free(ports);
	free(port_file);
	free(cred_path);
}

static int stop_fake(void **state)
{
	(void)state;
	if (fake.pid > 0) {
		kill(fake.pid, SIGTERM);
		waitpid(fake.pid, NULL, 0);
	}
	unit_rmtree(fake.dir);
	free(fake.dir);
	return 0;
}

static size_t collect(char *data, size_t size, size_t nmemb, void *user)
{
	char **out = user;
	size_t old = *out ? strlen(*out) : 0;
	char *grown = realloc(*out, old + size * nmemb + 1);
	assert_non_null(grown);
	memcpy(grown + old, data, size * nmemb);
	grown[old + size * nmemb] = '\0';
	*out = grown;
	return size * nmemb;
}

/* A request to the fake's control routes (no credentials); its parsed JSON answer. */
static cJSON *control(const char *method, const char *path, const char *json)
{
	char url[128];
	char *body = NULL;
	snprintf(url, sizeof url, "%s%s", fake.base_url, path);
	CURL *c = curl_easy_init();
	assert_non_null(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (json)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	assert_int_equal(curl_easy_perform(c), CURLE_OK);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	if (status < 200 || status > 299)
		fail_msg("%s %s: HTTP %ld %s", method, path, status, body ? body : "");
	cJSON *answer = cJSON_Parse(body);
	assert_non_null(answer);
	free(body);
	return answer;
}

static void control_ok(const char *method, const char *path, const char *json)
{
	cJSON_Delete(control(method, path, json));
}

/* The posts the fake accepted, deleted ones included. */
static cJSON *fake_posts(void)
{
	cJSON *answer = control("GET", "/_posts", NULL);
	cJSON *posts = cJSON_DetachItemFromObject(answer, "posts");
	cJSON_Delete(answer);
	assert_true(cJSON_IsArray(posts));
	return posts;
}

static int fake_post_count(void)
{
	cJSON *posts = fake_posts();
	int n = cJSON_GetArraySize(posts);
	cJSON_Delete(posts);
	return n;
}

static void on_trace(enum xapi_trace_kind kind, const char *text, size_t len, void *user)
{
	(void)kind;
	(void)user;
	char *grown = realloc(fake.trace, fake.trace_len + len + 2);
	assert_non_null(grown);
	memcpy(grown + fake.trace_len, text, len);
	fake.trace_len += len;
	grown[fake.trace_len++] = '\n';
	grown[fake.trace_len] = '\0';
	fake.trace = grown;
}

static struct xapi *client(const struct cred *cred, const char *base_url)
{
	struct xapi_options opt = {.base_url = base_url, .timeout_ms = 20000, .trace = on_trace};
	struct xapi *api = NULL;
	assert_int_equal(xapi_new(&opt, cred, &api, NULL), II_OK);
	return api;
}

static int setup(void **state)
{
	(void)state;
	if (!fake.dir)
		start_fake();
	control_ok("POST", "/_reset", NULL);
	fake.cred = load_cred("client.cred", OAUTH_SET);
	fake.api = client(fake.cred, fake.base_url);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	xapi_free(fake.api);
	cred_free(fake.cred);
	free(fake.trace);
	fake.api = NULL;
	fake.cred = NULL;
	fake.trace = NULL;
	fake.trace_len = 0;
	return 0;
}

static void assert_outcome(const struct xapi_result *r, enum xapi_outcome expected)
{
	if (r->outcome != expected)
		fail_msg("expected '%s', got '%s' (%s)", xapi_outcome_name(expected),
			 xapi_outcome_name(r->outcome), r->detail);
}

/* Posts text (replying to reply_to, when not NULL) and expects outcome. */
static struct xapi_result post(const char *text, const char *reply_to, enum xapi_outcome outcome)
{
	struct xapi_result r;
	struct ii_error e = {0};
	if (xapi_post(fake.api, text, reply_to, &r, &e) != II_OK)
		fail_msg("%s", e.detail);
	assert_outcome(&r, outcome);
	return r;
}

static const char *const THREAD[] = {
	"1/3 FALSO: las pensiones no bajarán en enero.",
	"2/3 Se revalorizan según el IPC: https://www.seg-social.es/wps/portal?a=1&b=2 & <más> en boe.es",
	"3/3 #Pensiones",
};

static void test_e2e_thread(void **state)
{
	(void)state;
	struct xapi_result me;
	assert_int_equal(xapi_me(fake.api, &me, NULL), II_OK);
	assert_outcome(&me, XAPI_OK);
	assert_string_equal(me.username, "incluinfo");

	char ids[3][XAPI_ID_SIZE];
	for (int i = 0; i < 3; i++) {
		struct xapi_result r = post(THREAD[i], i ? ids[i - 1] : NULL, XAPI_OK);
		assert_int_equal(r.http_status, 201);
		assert_true(xapi_valid_id(r.id));
		assert_true(r.rate.window.remaining >= 0 && r.rate.user_day.limit > 0 && r.rate.app_day.reset > 0);
		strcpy(ids[i], r.id);
	}
	assert_true(strcmp(ids[0], ids[1]) < 0 && strlen(ids[0]) == 19);

	struct xapi_result r;
	struct xapi_timeline tl;
	assert_int_equal(xapi_user_posts(fake.api, me.id, 10, NULL, &tl, &r, NULL), II_OK);
	assert_outcome(&r, XAPI_OK);
	assert_int_equal(tl.count, 3);
	for (int i = 0; i < 3; i++) {
		const struct xapi_post *p = &tl.posts[2 - i];
		assert_string_equal(p->id, ids[i]);
		assert_string_equal(p->reply_to, i ? ids[i - 1] : "");
		assert_true(p->created_at[0]);
		if (!xapi_text_matches(THREAD[i], p->text))
			fail_msg("'%s' does not match '%s'", THREAD[i], p->text);
	}
	unit_assert_contains(tl.posts[1].text, "https://t.co/");
	unit_assert_contains(tl.posts[1].text, "&amp; &lt;más&gt;");
	assert_false(xapi_text_matches(THREAD[1], tl.posts[0].text));
	xapi_timeline_free(&tl);

	assert_int_equal(xapi_delete(fake.api, ids[2], &r, NULL), II_OK);
	assert_outcome(&r, XAPI_OK);
	assert_true(r.deleted);
	assert_int_equal(xapi_delete(fake.api, ids[2], &r, NULL), II_OK);
	assert_false(r.deleted);
	assert_int_equal(xapi_user_posts(fake.api, me.id, 5, NULL, &tl, &r, NULL), II_OK);
	assert_int_equal(tl.count, 2);
	xapi_timeline_free(&tl);
}

static void test_e2e_pages(void **state)
{
	(void)state;
	char text[32];
	for (int i = 0; i < 7; i++) {
		snprintf(text, sizeof text, "aviso %d", i);
		post(text, NULL, XAPI_OK);
	}
	struct xapi_result r;
	struct xapi_timeline first, second;
	assert_int_equal(xapi_user_posts(fake.api, "1512345678901234567", 5, NULL, &first, &r, NULL), II_OK);
	assert_int_equal(first.count, 5);
	assert_string_equal(first.posts[0].text, "aviso 6");
	assert_true(first.next_token[0]);
	assert_int_equal(xapi_user_posts(fake.api, "1512345678901234567", 5, first.next_token, &second, &r, NULL), II_OK);
	assert_int_equal(second.count, 2);
	assert_string_equal(second.posts[1].text, "aviso 0");
	assert_string_equal(second.next_token, "");
	xapi_timeline_free(&first);
	xapi_timeline_free(&second);
	assert_int_equal(xapi_user_posts(fake.api, "42", 5, NULL, &first, &r, NULL), II_OK);
	assert_outcome(&r, XAPI_NOT_FOUND);
	xapi_timeline_free(&first);
}

static void test_e2e_bearer(void **state)
{
	(void)state;
	struct cred *cred = load_cred("bearer.cred", "bearer_token=" BEARER "\n");
	struct xapi *api = client(cred, fake.base_url);
	struct xapi_result r;
	assert_int_equal(xapi_post(api, "con token de usuario", NULL, &r, NULL), II_OK);
	assert_outcome(&r, XAPI_OK);
	assert_int_equal(fake_post_count(), 1);
	xapi_free(api);
	cred_free(cred);
}

static void test_e2e_wrong_secret(void **state)
{
	(void)state;
	struct cred *cred = load_cred("wrong.cred", "consumer_key=" CONSUMER_KEY "\nconsumer_secret=" CONSUMER_SECRET
				      "\naccess_token=" ACCESS_TOKEN "\naccess_token_secret=not-the-secret\n");
	struct xapi *api = client(cred, fake.base_url);
	struct xapi_result r;
	assert_int_equal(xapi_post(api, "no debería salir", NULL, &r, NULL), II_OK);
	assert_outcome(&r, XAPI_UNAUTHORIZED);
	assert_int_equal(r.http_status, 401);
	assert_int_equal(r.committed, XAPI_NOT_COMMITTED);
	assert_int_equal(fake_post_count(), 0);
	xapi_free(api);
	cred_free(cred);

	cred = load_cred("wrong-bearer.cred", "bearer_token=nope\n");
	api = client(cred, fake.base_url);
	assert_int_equal(xapi_me(api, &r, NULL), II_OK);
	assert_outcome(&r, XAPI_UNAUTHORIZED);
	xapi_free(api);
	cred_free(cred);
}

static void test_e2e_rate_limited(void **state)
{
	(void)state;
	control_ok("POST", "/_fault", "{\"kind\":\"rate\",\"scope\":\"window\",\"reset\":4102444800}");
	struct xapi_result r = post("primero", NULL, XAPI_RATE_LIMITED);
	assert_int_equal(r.retry_at, FAR_FUTURE);
	assert_int_equal(r.rate.window.remaining, 0);
	/* the fake keeps the window closed until its reset, as X does */
	r = post("segundo", NULL, XAPI_RATE_LIMITED);
	assert_int_equal(fake_post_count(), 0);

	control_ok("POST", "/_reset", NULL);
	control_ok("POST", "/_fault", "{\"kind\":\"rate\",\"scope\":\"user_day\",\"reset\":4102444801}");
	r = post("tercero", NULL, XAPI_RATE_LIMITED);
	assert_int_equal(r.retry_at, FAR_FUTURE + 1);
	assert_int_equal(r.rate.user_day.remaining, 0);
	assert_true(r.rate.window.remaining > 0);
}

static void test_e2e_budget_exhausted(void **state)
{
	(void)state;
	control_ok("POST", "/_budget", "{\"route\":\"POST /2/tweets\",\"window_remaining\":1,\"window_reset\":4102444800}");
	struct xapi_result r = post("el último que cabe", NULL, XAPI_OK);
	assert_int_equal(r.rate.window.remaining, 0);
	assert_int_equal(r.rate.window.reset, FAR_FUTURE);
	r = post("ya no cabe", NULL, XAPI_RATE_LIMITED);
	assert_int_equal(r.retry_at, FAR_FUTURE);
}

static void test_e2e_usage_cap(void **state)
{
	(void)state;
	control_ok("POST", "/_fault", "{\"kind\":\"usage_cap\"}");
	struct xapi_result r = post("tope mensual", NULL, XAPI_USAGE_CAP);
	assert_true(r.retry_at > 0);
}

static void test_e2e_server_error(void **state)
{
	(void)state;
	control_ok("POST", "/_fault", "{\"kind\":\"status\",\"status\":503,\"count\":2,\"match\":\"POST /2/tweets\"}");
	struct xapi_result me;
	assert_int_equal(xapi_me(fake.api, &me, NULL), II_OK);
	assert_outcome(&me, XAPI_OK); /* not matched */
	for (int i = 0; i < 2; i++) {
		struct xapi_result r = post("tras el 503", NULL, XAPI_TRANSIENT);
		assert_int_equal(r.http_status, 503);
		assert_int_equal(r.committed, XAPI_MAYBE_COMMITTED);
	}
	assert_int_equal(fake_post_count(), 0);
	post("tras el 503", NULL, XAPI_OK);
}

static void test_e2e_commit_then_drop(void **state)
{
	(void)state;
	control_ok("POST", "/_fault", "{\"kind\":\"drop\"}");
	const char text[] = "Publicado pero sin respuesta: https://www.seg-social.es/";
	struct xapi_result r = post(text, NULL, XAPI_TRANSIENT);
	assert_int_equal(r.committed, XAPI_MAYBE_COMMITTED);
	assert_int_equal(r.http_status, 0);
	unit_assert_contains(r.detail, "no complete answer from the X API at 'http://127.0.0.1:");

	cJSON *posts = fake_posts();
	assert_int_equal(cJSON_GetArraySize(posts), 1);
	const cJSON *sent = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(posts, 0), "sent_text");
	assert_string_equal(sent->valuestring, text);
	cJSON_Delete(posts);

	/* sending it again is refused: reconcile instead */
	r = post(text, NULL, XAPI_DUPLICATE);
	struct xapi_timeline tl;
	assert_int_equal(xapi_user_posts(fake.api, "1512345678901234567", 5, NULL, &tl, &r, NULL), II_OK);
	assert_int_equal(tl.count, 1);
	assert_true(xapi_text_matches(text, tl.posts[0].text));
	xapi_timeline_free(&tl);
}

static void test_e2e_dropped_before_commit(void **state)
{
	(void)state;
	control_ok("POST", "/_fault", "{\"kind\":\"reset\"}");
	struct xapi_result r = post("conexión cortada", NULL, XAPI_TRANSIENT);
	/* from here nobody can tell it from the commit-then-drop case */
	assert_int_equal(r.committed, XAPI_MAYBE_COMMITTED);
	assert_int_equal(fake_post_count(), 0);
}

static void test_e2e_duplicate_and_invalid(void **state)
{
	(void)state;
	struct xapi_result r = post("una sola vez", NULL, XAPI_OK);
	r = post("una sola vez", NULL, XAPI_DUPLICATE);
	assert_int_equal(r.http_status, 403);

	char *long_text = unit_repeat('a', 281);
	r = post(long_text, NULL, XAPI_BAD_REQUEST);
	unit_assert_contains(r.detail, "too long");
	free(long_text);
	r = post("respuesta a nada", "1234", XAPI_REPLY_GONE);
	assert_int_equal(fake_post_count(), 1);
}

/* The reply restriction as the fake plays it: only a post whose author mentioned the account
 * may be answered (its own, too, when the fake is told so), and a refused reply is not billed. */
static void test_e2e_reply_restricted(void **state)
{
	(void)state;
	struct xapi_result own = post("Aviso propio", NULL, XAPI_OK);
	control_ok("POST", "/_replies", "{\"restricted\":true}");
	struct xapi_result r = post("Respuesta al aviso propio", own.id, XAPI_REPLY_REFUSED);
	unit_assert_contains(r.detail, "Reply to this conversation is not allowed");
	assert_int_equal(r.committed, XAPI_NOT_COMMITTED);
	cJSON *billed = control("GET", "/_billing", NULL);
	assert_int_equal(cJSON_GetObjectItem(billed, "posts")->valueint, 1);
	cJSON_Delete(billed);

	cJSON *asked = control("POST", "/_posts", "{\"text\":\"@incluinfo ¿cuándo se cobra la paga?\","
				       "\"created_at\":\"2026-12-01T10:00:00Z\",\"author\":\"ana\"}");
	cJSON *other = control("POST", "/_posts", "{\"text\":\"Nadie me contesta\","
				       "\"created_at\":\"2026-12-01T10:01:00Z\",\"author\":\"ana\"}");
	const char *asked_id = cJSON_GetObjectItem(cJSON_GetObjectItem(asked, "data"), "id")->valuestring;
	const char *other_id = cJSON_GetObjectItem(cJSON_GetObjectItem(other, "data"), "id")->valuestring;
	post("Se cobra el día 25.", asked_id, XAPI_OK);
	post("Te contestamos igualmente.", other_id, XAPI_REPLY_REFUSED);
	control_ok("POST", "/_replies", "{\"restricted\":true,\"own_thread\":true}");
	post("Respuesta al aviso propio", own.id, XAPI_OK);
	cJSON_Delete(asked);
	cJSON_Delete(other);
}

static void test_e2e_connection_refused(void **state)
{
	(void)state;
	/* a port that was just free: nothing listens there */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof addr;
	assert_int_equal(bind(s, (struct sockaddr *)&addr, sizeof addr), 0);
	assert_int_equal(getsockname(s, (struct sockaddr *)&addr, &len), 0);
	close(s);
	char url[64];
	snprintf(url, sizeof url, "http://127.0.0.1:%d", ntohs(addr.sin_port));
	struct xapi *api = client(fake.cred, url);
	struct xapi_result r;
	assert_int_equal(xapi_post(api, "nadie escucha", NULL, &r, NULL), II_OK);
	assert_outcome(&r, XAPI_TRANSIENT);
	assert_int_equal(r.committed, XAPI_NOT_COMMITTED);
	unit_assert_contains(r.detail, "cannot reach the X API at");
	xapi_free(api);
}

static void test_e2e_trace_redacted(void **state)
{
	(void)state;
	struct xapi_result r = post("con traza", NULL, XAPI_OK);
	struct cred *bearer = load_cred("bearer.cred", "bearer_token=" BEARER "\n");
	struct xapi *api = client(bearer, fake.base_url);
	assert_int_equal(xapi_me(api, &r, NULL), II_OK);
	assert_outcome(&r, XAPI_OK);
	xapi_free(api);

	unit_assert_contains(fake.trace, "POST /2/tweets HTTP/1.1");
	unit_assert_contains(fake.trace, "GET /2/users/me HTTP/1.1");
	unit_assert_contains(fake.trace, "Authorization: [redacted]");
	unit_assert_contains(fake.trace, "{\"text\":\"con traza\"}");
	unit_assert_contains(fake.trace, "x-rate-limit-remaining:");
	assert_null(strstr(fake.trace, "oauth_signature"));
	assert_null(strstr(fake.trace, "Bearer"));
	assert_false(cred_leaks_into(fake.cred, fake.trace));
	assert_false(cred_leaks_into(bearer, fake.trace));
	cred_free(bearer);
}

int main(void)
{
	/* the pure tests first: they need no fake, which the first test against it starts */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_created),
		cmocka_unit_test(test_created_without_id_may_be_committed),
		cmocka_unit_test(test_bad_request),
		cmocka_unit_test(test_unauthorized),
		cmocka_unit_test(test_duplicate_and_forbidden),
		cmocka_unit_test(test_rate_limited_window),
		cmocka_unit_test(test_rate_limited_day),
		cmocka_unit_test(test_rate_limited_without_headers),
		cmocka_unit_test(test_usage_cap),
		cmocka_unit_test(test_server_errors),
		cmocka_unit_test(test_me),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_timeline_unknown_user),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_text_matches),
		cmocka_unit_test(test_base_url_rules),
		cmocka_unit_test(test_valid_id),
		UNIT_TEST(test_e2e_thread),
		UNIT_TEST(test_e2e_pages),
		UNIT_TEST(test_e2e_bearer),
		UNIT_TEST(test_e2e_wrong_secret),
		UNIT_TEST(test_e2e_rate_limited),
		UNIT_TEST(test_e2e_budget_exhausted),
		UNIT_TEST(test_e2e_usage_cap),
		UNIT_TEST(test_e2e_server_error),
		UNIT_TEST(test_e2e_commit_then_drop),
		UNIT_TEST(test_e2e_dropped_before_commit),
		UNIT_TEST(test_e2e_duplicate_and_invalid),
		UNIT_TEST(test_e2e_reply_restricted),
		UNIT_TEST(test_e2e_connection_refused),
		UNIT_TEST(test_e2e_trace_redacted),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int failed = cmocka_run_group_tests(tests, NULL, stop_fake);
	curl_global_cleanup();
	return failed;
}
