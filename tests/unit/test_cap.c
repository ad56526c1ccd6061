/* Unit tests of lib/cap: CAP 1.2 validity, the references chain, the Atom index. */

#include "feedcheck.h"

#include "cap.h"

/* 2026-11-28 10:42:00 UTC (11:42 in Madrid, winter time) */
#define T0 ((time_t)1795862520)
#define MINUTE 60

static const struct cap_sender sender = {
	.sender = "incluinfo@seg-social.es",
	.sender_name = "Ministerio de Inclusión, Seguridad Social y Migraciones",
};

static const struct cap_post posts[] = {
	{.sent = T0, .headline = "La Sede Electrónica no está disponible",
	 .description = "La Sede Electrónica no está disponible desde las 11:42."},
	{.sent = T0 + 20 * MINUTE, .headline = "La Sede Electrónica sigue sin servicio",
	 .description = "Seguimos trabajando para restablecerla."},
	{.sent = T0 + 33 * MINUTE, .headline = "La Sede Electrónica vuelve a funcionar",
	 .description = "La Sede Electrónica funciona de nuevo desde las 12:15.", .resolves = true},
};

static const struct cap_incident incident = {
	.id = "6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10",
	.event = "Sede Electrónica no disponible",
	.web = "https://sede.seg-social.gob.es/",
	.severity = CAP_SEVERITY_MODERATE,
	.posts = posts,
	.n_posts = 3,
};

static const struct atom_meta index_meta = {
	.base_url = "https://www.example.org/incluinfo/",
	.title = "Alertas CAP de la Seguridad Social",
	.author_name = "Ministerio de Inclusión, Seguridad Social y Migraciones",
	.empty_updated = T0,
};

static xmlDocPtr render_valid(struct fixture *f, const struct cap_incident *inc, size_t k)
{
	free(f->doc);
	f->doc = NULL;
	if (cap_render(&sender, inc, k, &f->doc, &f->len, &f->err))
		fail_msg("cap_render: %s", f->err.detail);
	feedcheck_assert_valid("cap12.rng", f->doc, f->len);
	return feedcheck_parse(f->doc, f->len);
}

/* Alert, Update, Update AllClear: each references every earlier message. */
static void test_references_chain(void **state)
{
	struct fixture *f = *state;
	const char *ref1 = "incluinfo@seg-social.es,6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10-1,"
			   "2026-11-28T11:42:00+01:00";
	const char *ref2 = "incluinfo@seg-social.es,6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10-2,"
			   "2026-11-28T12:02:00+01:00";
	char both[512];
	snprintf(both, sizeof both, "%s %s", ref1, ref2);

	xmlDocPtr doc = render_valid(f, &incident, 1);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:identifier)",
			       "6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10-1");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:msgType)", "Alert");
	feedcheck_assert_xpath(doc, "count(/cap:alert/cap:references)", "0");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:sent)", "2026-11-28T11:42:00+01:00");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:responseType)", "Monitor");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:urgency)", "Immediate");
	xmlFreeDoc(doc);

	doc = render_valid(f, &incident, 2);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:msgType)", "Update");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:references)", ref1);
	xmlFreeDoc(doc);

	doc = render_valid(f, &incident, 3);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:identifier)",
			       "6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10-3");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:msgType)", "Update");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:references)", both);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:responseType)", "AllClear");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:urgency)", "Past");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:sent)", "2026-11-28T12:15:00+01:00");
	xmlFreeDoc(doc);
}

static void test_fixed_fields(void **state)
{
	struct fixture *f = *state;
	xmlDocPtr doc = render_valid(f, &incident, 1);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:sender)", sender.sender);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:status)", "Actual");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:scope)", "Public");
	feedcheck_assert_xpath(doc, "count(/cap:alert/cap:info)", "1");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:language)", "es-ES");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:category)", "Infra");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:event)", incident.event);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:severity)", "Moderate");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:certainty)", "Observed");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:senderName)",
			       sender.sender_name);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:headline)", posts[0].headline);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:description)",
			       posts[0].description);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:web)", incident.web);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:area/cap:areaDesc)", "España");
	xmlFreeDoc(doc);

	/* UTC gets the offset CAP 1.2 (3.3.2) requires: "-00:00", never "+00:00" or "Z", in
	 * sent and in the references */
	setenv("TZ", "UTC", 1);
	tzset();
	doc = render_valid(f, &incident, 2);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:sent)", "2026-11-28T11:02:00-00:00");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:references)",
			       "incluinfo@seg-social.es,6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10-1,"
			       "2026-11-28T10:42:00-00:00");
	xmlFreeDoc(doc);
}

/* Hashtags are for X: a CAP message carries the text without them. */
static void test_no_hashtags(void **state)
{
	struct fixture *f = *state;
	const struct cap_post tagged[] = {
		{.sent = T0, .headline = "#Sede La Sede Electrónica no está disponible #SeguridadSocial",
		 .description = "No funciona desde las 11:42. #Sede #Pensiones\nVer #3 y C# en https://x.es/#a 1/2"},
	};
	struct cap_incident inc = incident;
	inc.posts = tagged;
	inc.n_posts = 1;
	xmlDocPtr doc = render_valid(f, &inc, 1);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:headline)",
			       "La Sede Electrónica no está disponible");
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:description)",
			       "No funciona desde las 11:42.\nVer #3 y C# en https://x.es/#a 1/2");
	xmlFreeDoc(doc);

	/* nor does the index of the messages */
	free(f->doc);
	f->doc = NULL;
	if (cap_render_index(&index_meta, &inc, 1, 0, &f->doc, &f->len, &f->err))
		fail_msg("cap_render_index: %s", f->err.detail);
	feedcheck_assert_valid("atom.rng", f->doc, f->len);
	doc = feedcheck_parse(f->doc, f->len);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:title)",
			       "La Sede Electrónica no está disponible");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry/a:content)",
			       "No funciona desde las 11:42.\nVer #3 y C# en https://x.es/#a 1/2");
	xmlFreeDoc(doc);
}

/* The schema is not vacuous: it rejects what CAP 1.2 forbids. */
static void test_schema_rejects_broken_messages(void **state)
{
	struct fixture *f = *state;
	xmlFreeDoc(render_valid(f, &incident, 3));
	static const struct feedcheck_break breaks[] = {
		/* "Z" is not allowed */
		{"<sent>2026-11-28T12:15:00+01:00</sent>", "<sent>2026-11-28T11:15:00Z</sent>"},
		/* sender is required */
		{"<sender>incluinfo@seg-social.es</sender>", ""},
		/* enumerations */
		{"<msgType>Update</msgType>", "<msgType>Actualización</msgType>"},
		{"<status>Actual</status>", "<status>Real</status>"},
		{"<scope>Public</scope>", "<scope>Everyone</scope>"},
		{"<category>Infra</category>", "<category>Infrastructure</category>"},
		{"<urgency>Past</urgency>", "<urgency>Over</urgency>"},
		{"<severity>Moderate</severity>", "<severity>Medium</severity>"},
		{"<certainty>Observed</certainty>", "<certainty>Very Likely</certainty>"},
		{"<responseType>AllClear</responseType>", "<responseType>Clear</responseType>"},
		/* order: event comes after category */
		{"<category>Infra</category>\n    <event>Sede Electrónica no disponible</event>",
		 "<event>Sede Electrónica no disponible</event>\n    <category>Infra</category>"},
		/* a reference is a sender,identifier,sent triple */
		{"<references>incluinfo@seg-social.es,", "<references>"},
		/* no spaces in identifiers */
		{"<identifier>6f1c", "<identifier>6f 1c"},
		/* an area needs its description */
		{"<areaDesc>España</areaDesc>", ""},
	};
	feedcheck_assert_breaks_rejected("cap12.rng", f->doc, breaks);
}

static void test_hostile_text_round_trips(void **state)
{
	struct fixture *f = *state;
	const char *hostile = "</headline><x>&amp; ]]> \"'\xF0\x9F\x9B\x91\xE2\x80\xAE\x02\x1B";
	const char *expected = "</headline><x>&amp; ]]> \"'\xF0\x9F\x9B\x91\xE2\x80\xAE";
	struct cap_post post = {.sent = T0, .headline = hostile, .description = hostile};
	struct cap_incident inc = incident;
	inc.event = hostile;
	inc.posts = &post;
	inc.n_posts = 1;
	xmlDocPtr doc = render_valid(f, &inc, 1);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:headline)", expected);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:description)", expected);
	feedcheck_assert_xpath(doc, "string(/cap:alert/cap:info/cap:event)", expected);
	xmlFreeDoc(doc);
}

static void test_rejects_bad_identifiers(void **state)
{
	struct fixture *f = *state;
	struct cap_incident inc = incident;
	inc.id = "6f1c 2a9e";
	assert_int_equal(cap_render(&sender, &inc, 1, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "invalid incident id '6f1c 2a9e'");
	inc.id = "../etc";
	assert_int_equal(cap_render(&sender, &inc, 1, &f->doc, &f->len, &f->err), II_EDATA);

	struct cap_sender bad = sender;
	bad.sender = "incluinfo, ministerio";
	assert_int_equal(cap_render(&bad, &incident, 1, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail, "invalid CAP sender 'incluinfo, ministerio'");

	assert_int_equal(cap_render(&sender, &incident, 4, &f->doc, &f->len, &f->err), II_EDATA);
	assert_string_equal(f->err.detail,
			    "no post 4 in incident '6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10'");
	assert_null(f->doc);
}

static const struct cap_post other_posts[] = {
	{.sent = T0 + 10 * MINUTE, .headline = "El portal va lento",
	 .description = "El portal responde despacio."},
};

static const struct cap_incident incidents[] = {
	{.id = "6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10", .event = "Sede Electrónica no disponible",
	 .severity = CAP_SEVERITY_MODERATE, .posts = posts, .n_posts = 3},
	{.id = "a0b1", .event = "Portal lento", .severity = CAP_SEVERITY_MINOR,
	 .posts = other_posts, .n_posts = 1},
};

static void check_index(const char *text, size_t len)
{
	feedcheck_assert_valid("atom.rng", text, len);
	xmlDocPtr doc = feedcheck_parse(text, len);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:id)",
			       "https://www.example.org/incluinfo/cap/index.atom");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:link[@rel='self']/@href)",
			       "https://www.example.org/incluinfo/cap/index.atom");
	feedcheck_assert_xpath(doc, "count(/a:feed/a:entry)", "4");
	feedcheck_assert_xpath(doc, "count(/a:feed/a:entry/a:link[@type='application/cap+xml'])",
			       "4");
	/* newest first: the resolution, then the update, the other incident, the alert */
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[1]/a:link/@href)",
			       "https://www.example.org/incluinfo/cap/"
			       "6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10-3.xml");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[1]/a:link/@rel)", "alternate");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[1]/a:title)", posts[2].headline);
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[3]/a:link/@href)",
			       "https://www.example.org/incluinfo/cap/a0b1-1.xml");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[3]/a:id)",
			       "tag:www.example.org,2026-11-28:cap/a0b1-1.xml");
	feedcheck_assert_xpath(doc, "string(/a:feed/a:entry[4]/a:content)",
			       posts[0].description);
	xmlFreeDoc(doc);
}

static void test_index_links_every_message(void **state)
{
	struct fixture *f = *state;
	if (cap_render_index(&index_meta, incidents, 2, 0, &f->doc, &f->len, &f->err))
		fail_msg("cap_render_index: %s", f->err.detail);
	check_index(f->doc, f->len);
}

/* dir/name whole. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
	char *path = unit_join(dir, name);
	char *text = feedcheck_slurp(path, len);
	free(path);
	return text;
}

static void test_writes_messages_and_index(void **state)
{
	struct fixture *f = *state;
	for (size_t i = 0; i < 2; i++)
		if (cap_write_incident(f->dir, &sender, &incidents[i], &f->err))
			fail_msg("cap_write_incident: %s", f->err.detail);
	if (cap_write_index(f->dir, &index_meta, incidents, 2, 0, &f->err))
		fail_msg("cap_write_index: %s", f->err.detail);

	size_t len;
	char *text = slurp(f->dir, "cap/index.atom", &len);
	check_index(text, len);
	free(text);
	static const char *const files[] = {
		"cap/6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10-1.xml",
		"cap/6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10-2.xml",
		"cap/6f1c2a9e-0b7d-4c1e-9a55-3d2f8e7b6a10-3.xml",
		"cap/a0b1-1.xml",
	};
	for (size_t i = 0; i < 4; i++) {
		text = slurp(f->dir, files[i], &len);
		feedcheck_assert_valid("cap12.rng", text, len);
		free(text);
	}
	text = slurp(f->dir, files[2], &len);
	free(f->doc);
	f->doc = NULL;
	assert_int_equal(cap_render(&sender, &incidents[0], 3, &f->doc, &f->len, &f->err), II_OK);
	assert_string_equal(text, f->doc);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		UNIT_TEST(test_references_chain),
		UNIT_TEST(test_fixed_fields),
		UNIT_TEST(test_no_hashtags),
		UNIT_TEST(test_schema_rejects_broken_messages),
		UNIT_TEST(test_hostile_text_round_trips),
		UNIT_TEST(test_rejects_bad_identifiers),
		UNIT_TEST(test_index_links_every_message),
		UNIT_TEST(test_writes_messages_and_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
