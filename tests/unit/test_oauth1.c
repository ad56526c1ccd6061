/* OAuth 1.0a signing against the published examples, and the encoding rules. */
#include "unit.h"

#include "oauth1.h"

static void assert_encodes(const char *text, const char *expected)
{
	char *got = oauth1_encode(text, strlen(text));
	assert_non_null(got);
	assert_string_equal(got, expected);
	free(got);
}

static void test_encode(void **state)
{
	(void)state;
	assert_encodes("Ladies + Gentlemen", "Ladies%20%2B%20Gentlemen");
	assert_encodes("An encoded string!", "An%20encoded%20string%21");
	assert_encodes("Dogs, Cats & Mice", "Dogs%2C%20Cats%20%26%20Mice");
	assert_encodes("\xe2\x98\x83", "%E2%98%83");
	assert_encodes("AZaz09-._~", "AZaz09-._~");
	assert_encodes("*'()/?=:@", "%2A%27%28%29%2F%3F%3D%3A%40");
	assert_encodes("", "");
}

/* X's "Creating a signature" example */
static const struct oauth1_keys x_keys = {
	.consumer_key = "xvz1evFS4wEEPTGEFPHBog",
	.consumer_secret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
	.token = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
	.token_secret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
};
static const char x_url[] = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true";
static const struct oauth1_param x_form[] = {
	{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
};

static void test_x_example(void **state)
{
	(void)state;
	char *header = NULL;
	assert_int_equal(oauth1_authorization("POST", x_url, x_form, 1, &x_keys,
					      "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
					      "1318622958", &header, NULL), II_OK);
	unit_assert_contains(header, "oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\"");
	unit_assert_contains(header, "OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", ");
	unit_assert_contains(header, "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\"");
	unit_assert_contains(header, "oauth_version=\"1.0\"");
	assert_null(strstr(header, x_keys.consumer_secret));
	assert_null(strstr(header, x_keys.token_secret));
	free(header);
}

static void test_x_example_base_string(void **state)
{
	(void)state;
	const struct oauth1_param params[] = {
		x_form[0],
		{"oauth_consumer_key", x_keys.consumer_key},
		{"oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
		{"oauth_signature_method", "HMAC-SHA1"},
		{"oauth_timestamp", "1318622958"},
		{"oauth_token", x_keys.token},
		{"oauth_version", "1.0"},
	};
	char *base = NULL;
	assert_int_equal(oauth1_base_string("POST", x_url, params, 7, &base, NULL), II_OK);
	assert_string_equal(base,
		"POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue"
		"%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
		"%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
		"GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520"
		"%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521");
	free(base);
}

/* RFC 5849 section 1.2: no oauth_version, so the parameters are given one by one */
static void test_rfc5849_example(void **state)
{
	(void)state;
	const struct oauth1_param params[] = {
		{"oauth_consumer_key", "dpf43f3p2l4k3l03"},
		{"oauth_token", "nnch734d00sl2jdk"},
		{"oauth_signature_method", "HMAC-SHA1"},
		{"oauth_timestamp", "137131202"},
		{"oauth_nonce", "chapoH"},
	};
	char signature[OAUTH1_SIGNATURE_SIZE];
	assert_int_equal(oauth1_signature("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original",
					  params, 5, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00", signature, NULL), II_OK);
	assert_string_equal(signature, "MdpQcU8iPSUjWoN/UDMsK2sui9I=");
}

/* OAuth Core 1.0, appendix A.5 */
static void test_oauth_core_example(void **state)
{
	(void)state;
	const struct oauth1_keys keys = {"dpf43f3p2l4k3l03", "kd94hf93k423kf44", "nnch734d00sl2jdk",
					 "pfkkdhi9sl3r4s00"};
	char *header = NULL;
	assert_int_equal(oauth1_authorization("GET", "http://photos.example.net/photos?file=vacation.jpg&size=original",
					      NULL, 0, &keys, "kllo9940pd9333jh", "1191242096", &header, NULL), II_OK);
	unit_assert_contains(header, "oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\"");
	free(header);
}

/* RFC 5849 section 3.4.1: repeated names, '+' in a form, empty values, encoded query,
 * an upper-case host and the default port */
static void test_rfc5849_base_string_rules(void **state)
{
	(void)state;
	const struct oauth1_param params[] = {
		{"c2", ""},
		{"a3", "2 q"},
		{"oauth_consumer_key", "9djdj82h48djs9d2"},
		{"oauth_token", "kkk9d7dh3k39sjv7"},
		{"oauth_signature_method", "HMAC-SHA1"},
		{"oauth_timestamp", "137131201"},
		{"oauth_nonce", "7d8f3e4a"},
	};
	char *base = NULL;
	assert_int_equal(oauth1_base_string("POST", "HTTP://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
					    params, 7, &base, NULL), II_OK);
	assert_string_equal(base,
		"POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D"
		"%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a"
		"%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7");
	free(base);
}

static void test_port_kept_unless_default(void **state)
{
	(void)state;
	char *base = NULL;
	assert_int_equal(oauth1_base_string("GET", "https://127.0.0.1:8443/2/users/me?a=+b", NULL, 0, &base, NULL), II_OK);
	assert_string_equal(base, "GET&https%3A%2F%2F127.0.0.1%3A8443%2F2%2Fusers%2Fme&a%3D%2520b");
	free(base);
	assert_int_equal(oauth1_base_string("GET", "https://api.x.com:443", NULL, 0, &base, NULL), II_OK);
	assert_string_equal(base, "GET&https%3A%2F%2Fapi.x.com%2F&");
	free(base);
}

static void test_not_a_url(void **state)
{
	(void)state;
	char *base = NULL;
	struct ii_error e = {0};
	assert_int_equal(oauth1_base_string("GET", "not a url", NULL, 0, &base, &e), II_EDATA);
	assert_null(base);
	unit_assert_contains(e.detail, "'not a url'");
}

static void test_fresh_nonce_and_timestamp(void **state)
{
	(void)state;
	char *first = NULL, *second = NULL;
	assert_int_equal(oauth1_authorization("POST", "https://api.x.com/2/tweets", NULL, 0, &x_keys,
					      NULL, NULL, &first, NULL), II_OK);
	assert_int_equal(oauth1_authorization("POST", "https://api.x.com/2/tweets", NULL, 0, &x_keys,
					      NULL, NULL, &second, NULL), II_OK);
	const char *nonce = strstr(first, "oauth_nonce=\"");
	assert_non_null(nonce);
	assert_int_equal(strcspn(nonce + 13, "\""), 32);
	assert_string_not_equal(first, second);
	free(first);
	free(second);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_x_example),
		cmocka_unit_test(test_x_example_base_string),
		cmocka_unit_test(test_rfc5849_example),
		cmocka_unit_test(test_oauth_core_example),
		cmocka_unit_test(test_rfc5849_base_string_rules),
		cmocka_unit_test(test_port_kept_unless_default),
		cmocka_unit_test(test_not_a_url),
		cmocka_unit_test(test_fresh_nonce_and_timestamp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
