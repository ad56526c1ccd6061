/* Unit tests of lib/bluesky's parts that ask nothing of a PDS: the record key (a TID of
 * the claim's time), the reference of a post and its public address, a token's expiry,
 * the credentials it needs and the post refused before any request. The requests themselves are tested against
 * tests/fakes/bsky.js (tests/cli/t_bluesky.sh). */

#include "unit.h"

#include <sys/stat.h>

#include "bluesky.h"

static const char alphabet[] = "234567abcdefghijklmnopqrstuvwxyz";

/* The 64-bit number a TID spells (atproto.com/specs/tid). */
static uint64_t tid_value(const char *tid)
{
	uint64_t n = 0;
	for (const char *c = tid; *c; c++)
		n = n << 5 | (uint64_t)(strchr(alphabet, *c) - alphabet);
	return n;
}

static void tids_spell_time_then_clock_id(void **state)
{
	(void)state;
	/* 2026-12-06T05:00:00.123456Z */
	const uint64_t at = UINT64_C(1796533200123456);
	char a[BLUESKY_TID_SIZE], b[BLUESKY_TID_SIZE], c[BLUESKY_TID_SIZE];
	bluesky_tid(at, 0x2a5, a);
	assert_true(bluesky_tid_valid(a));
	assert_int_equal(tid_value(a) >> 10, at);
	assert_int_equal(tid_value(a) & 0x3ff, 0x2a5);
	/* one microsecond later sorts later, whatever the clock ids */
	bluesky_tid(at - 1, 1023, b);
	bluesky_tid(at + 1, 0, c);
	assert_true(strcmp(b, a) < 0 && strcmp(a, c) < 0);
	/* only the low 10 bits are the clock id's */
	bluesky_tid(at, 0x400 | 0x2a5, b);
	assert_string_equal(a, b);
}

static void tid_syntax_is_the_spec_s(void **state)
{
	(void)state;
	assert_true(bluesky_tid_valid("3jzfcijpj2z2a"));
	assert_true(bluesky_tid_valid("2222222222222"));
	assert_true(bluesky_tid_valid("jzzzzzzzzzzzz"));
	assert_false(bluesky_tid_valid("kzzzzzzzzzzzz")); /* the top bit set */
	assert_false(bluesky_tid_valid("3jzfcijpj2z2"));
	assert_false(bluesky_tid_valid("3jzfcijpj2z2aa"));
	assert_false(bluesky_tid_valid("3JZFCIJPJ2Z2A"));
	assert_false(bluesky_tid_valid("3jzfcijpj2z1a")); /* 1 is not in the alphabet */
	assert_false(bluesky_tid_valid(""));
}

static void references_are_uri_and_cid(void **state)
{
	(void)state;
	const char *ref = "at://did:plc:abc123/app.bsky.feed.post/3jzfcijpj2z2a "
			  "bafyreibjifzpqj6o6wcq3hejh7y4z4z2vmiklkvykc57tw3pcbx3kxifpm";
	char uri[CHANNEL_REF_SIZE], cid[CHANNEL_REF_SIZE], did[CHANNEL_REF_SIZE], rkey[CHANNEL_REF_SIZE];
	assert_true(bluesky_ref_parse(ref, uri, cid, did, rkey));
	assert_string_equal(uri, "at://did:plc:abc123/app.bsky.feed.post/3jzfcijpj2z2a");
	assert_string_equal(cid, "bafyreibjifzpqj6o6wcq3hejh7y4z4z2vmiklkvykc57tw3pcbx3kxifpm");
	assert_string_equal(did, "did:plc:abc123");
	assert_string_equal(rkey, "3jzfcijpj2z2a");
	char url[128];
	assert_true(bluesky_public_url(ref, url, sizeof url));
	assert_string_equal(url, "https://bsky.app/profile/did:plc:abc123/post/3jzfcijpj2z2a");
	assert_false(bluesky_public_url(ref, url, 40)); /* never cut */
	const char *bad[] = {
		"at://did:plc:abc123/app.bsky.feed.post/3jzfcijpj2z2a",        /* no cid */
		"at://did:plc:abc123/app.bsky.feed.post/3jzfcijpj2z2a ",       /* an empty one */
		"at://did:plc:abc123/app.bsky.feed.post/3jzfcijpj2z2a a b",    /* two */
		"at://did:plc:abc123/app.bsky.feed.like/3jzfcijpj2z2a bafy",   /* not a post */
		"at://did:plc:abc123/app.bsky.feed.post/ bafy",                /* no key */
		"at://did:plc:abc123/app.bsky.feed.post/a/b bafy",
		"https://bsky.app/profile/did:plc:abc123/post/3jzfcijpj2z2a bafy",
		"at:///app.bsky.feed.post/3jzfcijpj2z2a bafy",
		"1796524500",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (bluesky_ref_parse(bad[i], NULL, NULL, NULL, NULL))
			fail_msg("'%s' taken for a post's reference", bad[i]);
		assert_false(bluesky_public_url(bad[i], url, sizeof url));
	}
}

/* A JWT of header, claims and signature, the claims base64url-encoded. */
static void jwt_of(const char *claims, char *out, size_t size)
{
	static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	char encoded[512];
	size_t n = 0, len = strlen(claims);
	for (size_t i = 0; i < len; i += 3) {
		size_t group = len - i < 3 ? len - i : 3;
		uint32_t v = 0;
		for (size_t k = 0; k < 3; k++)
			v = v << 8 | (k < group ? (unsigned char)claims[i + k] : 0);
		for (size_t k = 0; k <= group; k++) /* no padding */
			encoded[n++] = b64url[(v >> (18 - 6 * k)) & 63];
	}
	encoded[n] = '\0';
	snprintf(out, size, "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJIUzI1NiJ9.%s.c2lnbmF0dXJl", encoded);
}

static void token_expiry_is_read_from_its_claims(void **state)
{
	(void)state;
	char jwt[600];
	jwt_of("{\"scope\":\"com.atproto.appPass\",\"sub\":\"did:plc:abc\",\"exp\":1796524500}", jwt, sizeof jwt);
	assert_int_equal(bluesky_jwt_expiry(jwt), 1796524500);
	/* padding left out, and the URL-safe letters: "?>" encodes as "Pz4" */
	jwt_of("{\"x\":\"?>?>\",\"exp\":1796524501}", jwt, sizeof jwt);
	unit_assert_contains(jwt, "Pz4");
	assert_int_equal(bluesky_jwt_expiry(jwt), 1796524501);
	jwt_of("{\"sub\":\"did:plc:abc\"}", jwt, sizeof jwt);
	assert_int_equal(bluesky_jwt_expiry(jwt), 0);
	assert_int_equal(bluesky_jwt_expiry("not-a-jwt"), 0);
	assert_int_equal(bluesky_jwt_expiry("a.%%%.c"), 0);
	assert_int_equal(bluesky_jwt_expiry(""), 0);
}

struct fixture {
	char *dir;
};

static void init(struct fixture *f)
{
	(void)f;
}

static void fini(struct fixture *f)
{
	(void)f;
}

UNIT_FIXTURE(init, fini)

static ii_err open_with(struct fixture *f, const char *credentials, struct bluesky **b,
			struct ii_error *e)
{
	char *path = unit_write_file(f->dir, "b.cred", credentials);
	assert_int_equal(chmod(path, 0600), 0);
	/* nothing listens there: a test that reached the network would fail */
	struct config_channel channel = {.id = "bluesky", .type = CONFIG_CHANNEL_BLUESKY,
					  .api_url = "http://127.0.0.1:1", .credentials = path,
					  .timeout_ms = 2000};
	ii_err rc = bluesky_open(&channel, NULL, b, e);
	free(path);
	return rc;
}

/* The channel of an account with valid credentials. */
static const struct publish_channel *opened(struct fixture *f, struct bluesky **b, struct ii_error *e)
{
	unit_ok(open_with(f, "identifier=incluinfo.bsky.social\napp_password=abcd-efgh-ijkl-mnop\n", b, e), e);
	return bluesky_channel(*b);
}

static void credentials_need_identifier_and_app_password(void **state)
{
	struct fixture *f = *state;
	struct bluesky *b = NULL;
	struct ii_error e = {0};
	assert_int_equal(open_with(f, "identifier=incluinfo.bsky.social\n", &b, &e), II_ECONFIG);
	unit_assert_contains(e.detail, "expected both identifier and app_password");
	assert_int_equal(open_with(f, "identifier=a.bsky.social\napp_password=x\naccess_token=t\n", &b, &e),
			 II_ECONFIG);
	unit_assert_contains(e.detail, "unknown key 'access_token'");
	assert_null(b);
	unit_ok(open_with(f, "identifier=did:plc:abc123\napp_password=abcd-efgh-ijkl-mnop\n", &b, &e), &e);
	const struct publish_channel *ch = bluesky_channel(b);
	assert_string_equal(ch->name, "Bluesky");
	assert_true(ch->capabilities & CHANNEL_IDEMPOTENCY_KEY);
	assert_false(ch->capabilities & CHANNEL_FIND_BY_TEXT);
	bluesky_close(b);
}

static void a_post_too_long_or_keyed_by_no_tid_is_refused_before_any_request(void **state)
{
	struct fixture *f = *state;
	struct bluesky *b;
	struct ii_error e = {0};
	const struct publish_channel *ch = opened(f, &b, &e);
	char *text = unit_repeat('a', 301);
	struct channel_result r = {.remaining = -1};
	unit_ok(ch->post(ch->ctx, text, NULL, "uuid-0", "es", &r, &e), &e);
	assert_int_equal(r.outcome, CHANNEL_REJECTED);
	unit_assert_contains(r.detail, "301 graphemes as shown: Bluesky takes at most 300 graphemes");
	/* publish's "<uuid>-<seq>", of a post claimed before keys were chosen, or no TID */
	unit_ok(ch->post(ch->ctx, "Hola", NULL, "6f1c2d3e-aaaa-4bbb-8ccc-000000000001-0", "es", &r, &e), &e);
	assert_int_equal(r.outcome, CHANNEL_REJECTED);
	unit_assert_contains(r.detail, "is not a TID");
	unit_ok(ch->post(ch->ctx, "Hola", NULL, "kzzzzzzzzzzzz", "es", &r, &e), &e);
	assert_int_equal(r.outcome, CHANNEL_REJECTED);
	/* 300 is taken: it goes to the network, where nothing listens */
	text[300] = '\0';
	unit_ok(ch->post(ch->ctx, text, NULL, "3jzfcijpj2z2a", "es", &r, &e), &e);
	assert_int_equal(r.outcome, CHANNEL_TRANSIENT);
	free(text);
	bluesky_close(b);
}

static void the_key_chosen_is_a_tid_of_the_claims_time(void **state)
{
	struct fixture *f = *state;
	struct bluesky *b;
	struct ii_error e = {0};
	const struct publish_channel *ch = opened(f, &b, &e);
	assert_non_null(ch->choose_key);
	const struct timespec at = {1796533200, 123456789};
	char keys[32][BLUESKY_TID_SIZE];
	bool varies = false;
	for (int i = 0; i < 32; i++) {
		assert_true(ch->choose_key(ch->ctx, at, keys[i], sizeof keys[i]));
		assert_true(bluesky_tid_valid(keys[i]));
		/* the claim's time to the microsecond */
		assert_int_equal(tid_value(keys[i]) >> 10, UINT64_C(1796533200123456));
		varies |= strcmp(keys[i], keys[0]) != 0;
	}
	/* the clock id is drawn: two hosts claiming at once choose apart */
	assert_true(varies);
	char small[BLUESKY_TID_SIZE - 1];
	assert_false(ch->choose_key(ch->ctx, at, small, sizeof small));
	bluesky_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tids_spell_time_then_clock_id),
		cmocka_unit_test(tid_syntax_is_the_spec_s),
		cmocka_unit_test(references_are_uri_and_cid),
		cmocka_unit_test(token_expiry_is_read_from_its_claims),
		UNIT_TEST(credentials_need_identifier_and_app_password),
		UNIT_TEST(a_post_too_long_or_keyed_by_no_tid_is_refused_before_any_request),
		UNIT_TEST(the_key_chosen_is_a_tid_of_the_claims_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
