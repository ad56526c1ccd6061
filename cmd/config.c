#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "incluinfo.h"
#include "xchannel.h"
#include "people.h"
#include "notify.h"

/* Header values often carry credentials (Authorization, cookies, API keys): never shown. */
static char *masked_header(const char *header)
{
	const char *colon = strchr(header, ':');
	char *out;
	int n = (int)(colon - header);
	return asprintf(&out, "%.*s: ********", n, header) < 0 ? NULL : out;
}

struct printer {
	bool json;
	cJSON *section; /* the JSON object being filled */
	bool failed;
};

static void put_string(struct printer *p, const char *key, const char *value)
{
	if (!value)
		return;
	if (!p->json) {
		printf("%s = %s\n", key, value);
		return;
	}
	if (!cJSON_AddStringToObject(p->section, key, value))
		p->failed = true;
}

static void put_list(struct printer *p, const char *key, const struct strlist *list,
		     char *(*mask)(const char *))
{
	cJSON *array = p->json ? cJSON_AddArrayToObject(p->section, key) : NULL;
	for (size_t i = 0; i < list->count; i++) {
		char *shown = mask(list->items[i]);
		if (!shown) {
			p->failed = true;
			continue;
		}
		if (p->json)
			cJSON_AddItemToArray(array, cJSON_CreateString(shown));
		else
			printf("%s = %s\n", key, shown);
		free(shown);
	}
}

/* Each canary as written: the URL (masked), then its statuses. */
static void put_canaries(struct printer *p, const struct config *cfg)
{
	cJSON *array = p->json ? cJSON_AddArrayToObject(p->section, "url") : NULL;
	for (size_t i = 0; i < cfg->canary_count; i++) {
		char *url = config_mask_url(cfg->canaries[i].url), *shown = NULL;
		if (!url || asprintf(&shown, "%s %s", url, cfg->canaries[i].expect_status_text) < 0) {
			free(url);
			p->failed = true;
			continue;
		}
		if (p->json)
			cJSON_AddItemToArray(array, cJSON_CreateString(shown));
		else
			printf("url = %s\n", shown);
		free(url);
		free(shown);
	}
}

static void put_long(struct printer *p, const char *key, long value)
{
	if (p->json)
		cJSON_AddNumberToObject(p->section, key, (double)value);
	else
		printf("%s = %ld\n", key, value);
}

/* An amount in micro-dollars as the file writes it, in dollars ("0.015"); a negative
 * one (none) is null in JSON and left out of the text. */
static void put_usd(struct printer *p, const char *key, long micro)
{
	if (p->json) {
		if (micro < 0)
			cJSON_AddNullToObject(p->section, key);
		else
			cJSON_AddNumberToObject(p->section, key, (double)micro / 1e6);
		return;
	}
	if (micro < 0)
		return;
	char text[32];
	xchannel_format_usd(micro, text, sizeof text);
	printf("%s = %s\n", key, text + 1); /* without its '$' */
}

static void put_bool(struct printer *p, const char *key, bool value)
{
	if (p->json)
		cJSON_AddBoolToObject(p->section, key, value);
	else
		printf("%s = %s\n", key, value ? "true" : "false");
}

static void begin(struct printer *p, cJSON *parent, const char *json_key, const char *ini_name)
{
	if (p->json) {
		p->section = cJSON_CreateObject();
		if (cJSON_IsArray(parent))
			cJSON_AddItemToArray(parent, p->section);
		else
			cJSON_AddItemToObject(parent, json_key, p->section);
	} else {
		printf("\n[%s]\n", ini_name);
	}
}

/* A section written "[WORD ID]": an element of array in JSON, with its id. */
static void begin_with_id(struct printer *p, cJSON *array, const char *word, const char *id)
{
	char header[64];
	snprintf(header, sizeof header, "%s %s", word, id);
	begin(p, array, NULL, header);
	put_string(p, "id", p->json ? id : NULL);
}

static char *copy(const char *s)
{
	return strdup(s);
}

static void print_service(struct printer *p, cJSON *array, const struct config_service *s)
{
	begin_with_id(p, array, "service", s->id);
	put_string(p, "name", s->name);
	put_string(p, "in_sentence", s->in_sentence);
	put_bool(p, "plural", s->plural);
	/* an empty value cannot be written back in the file: the text form leaves it out */
	put_string(p, "alternative", p->json || *s->alternative ? s->alternative : NULL);
	char *url = config_mask_url(s->url);
	put_string(p, "url", url);
	free(url);
	put_string(p, "public_url", s->public_url);
	put_string(p, "method", s->method);
	put_list(p, "header", &s->headers, masked_header);
	put_string(p, "expect_status", s->expect_status_text);
	put_list(p, "expect_text", &s->expect_text, copy);
	put_list(p, "reject_text", &s->reject_text, copy);
	put_string(p, "expect_xpath", s->expect_xpath);
	put_long(p, "degraded_ms", s->degraded_ms);
	put_long(p, "timeout_ms", s->timeout_ms);
	put_long(p, "follow_redirects", s->follow_redirects);
	put_long(p, "cert_warn_days", s->cert_warn_days);
	put_long(p, "retries", s->retries);
	put_long(p, "failures_to_open", s->failures_to_open);
	put_long(p, "successes_to_resolve", s->successes_to_resolve);
	put_string(p, "ca_file", s->ca_file);
	put_bool(p, "announce_degraded", s->announce_degraded);
	put_long(p, "remind_minutes", s->remind_minutes);
	put_long(p, "flap_limit", s->flap_limit);
	put_long(p, "grace_minutes", s->grace_minutes);
}

/* A list the file writes on one line, items joined by sep: an array in JSON. */
static void put_joined(struct printer *p, const char *key, char *const *items, size_t count,
		       const char *sep)
{
	cJSON *array = p->json ? cJSON_AddArrayToObject(p->section, key) : NULL;
	if (!p->json && count)
		printf("%s = ", key);
	for (size_t i = 0; i < count; i++) {
		if (p->json)
			cJSON_AddItemToArray(array, cJSON_CreateString(items[i]));
		else
			printf("%s%s", i ? sep : "", items[i]);
	}
	if (!p->json && count)
		putchar('\n');
}

static void print_person(struct printer *p, cJSON *array, const struct config_person *person)
{
	static const enum config_role all[] = {CONFIG_ROLE_AUTHOR, CONFIG_ROLE_APPROVER,
					       CONFIG_ROLE_OPERATOR};
	begin_with_id(p, array, "person", person->id);
	put_string(p, "name", person->name);
	put_string(p, "email", person->email);
	put_joined(p, "os_users", person->os_users.items, person->os_users.count, " ");
	put_string(p, "web_login", person->web_login);
	put_joined(p, "aliases", person->aliases.items, person->aliases.count, ", ");
	char *roles[sizeof all / sizeof *all];
	size_t count = 0;
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		if (people_has_role(person, all[i]))
			roles[count++] = (char *)config_role_name(all[i]);
	put_joined(p, "roles", roles, count, " ");
}

static void print_notify(struct printer *p, cJSON *array, const struct config_notify *t)
{
	begin_with_id(p, array, "notify", t->id);
	put_string(p, "type", config_notify_type_name(t->type));
	put_string(p, "url", t->url); /* holds no user information (config.c refuses it) */
	put_string(p, "from", t->from);
	put_list(p, "to", &t->to, copy);
	put_string(p, "credentials", t->credentials);
	char events[512] = "";
	for (int ev = 0; ev < NOTIFY_EVENT_COUNT; ev++)
		if (t->events & (1u << ev))
			snprintf(events + strlen(events), sizeof events - strlen(events), "%s%s",
				 *events ? " " : "", notify_event_name((enum notify_event)ev));
	put_string(p, "events", events);
	put_string(p, "ca_file", t->ca_file);
	put_long(p, "timeout_ms", t->timeout_ms);
}

/* A [channel ID] of a type other than x (whose values [twitter] shows): every key. */
static void print_channel(struct printer *p, cJSON *array, const struct config_channel *c)
{
	if (c->type == CONFIG_CHANNEL_X)
		return;
	begin_with_id(p, array, "channel", c->id);
	put_string(p, "type", config_channel_type_name(c->type));
	char *api_url = config_mask_url(c->api_url);
	put_string(p, "api_url", api_url);
	free(api_url);
	put_string(p, "credentials", c->credentials);
	put_long(p, "thread_delay_ms", c->thread_delay_ms);
	put_string(p, "ca_file", c->ca_file);
	put_long(p, "timeout_ms", c->timeout_ms);
	put_string(p, "visibility", c->visibility);
	put_string(p, "public_url", c->public_url);
}

const struct cli_help cmd_config_help = {
	.summary = N_("validate the configuration and print the effective values, secrets masked"),
	.usage = N_("usage: incluinfo config\n"
		 "\n"
		 "Validates the configuration file, reporting every problem with its line, and prints\n"
		 "the effective values, defaults included, with secrets masked. Exit 78 when invalid.\n"
		 "Warns, without failing, of a service without in_sentence, which posts would name\n"
		 "without its article.\n"),
};

int cmd_config(int argc, char **argv, struct cli *cli)
{
	if (argc > 1)
		return cli_no_more_arguments(argc, argv, 1, "config");
	const struct config *cfg = cli->config;
	cli_print_warnings(cli, NULL);
	struct printer p = {.json = cli->json};
	cJSON *root = p.json ? cJSON_CreateObject() : NULL;
	if (p.json && !root) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	if (!p.json)
		printf(_("; %s is valid; effective values, defaults included\n"), cfg->path);

	begin(&p, root, "general", "general");
	put_string(&p, "state_dir", cfg->state_dir);
	put_string(&p, "notices_dir", cfg->notices_dir);
	put_string(&p, "feeds_dir", cfg->feeds_dir);
	put_string(&p, "timezone", cfg->timezone);
	put_long(&p, "history_days", cfg->history_days);
	put_string(&p, "templates_dir", cfg->templates_dir);
	put_long(&p, "run_timeout", cfg->run_timeout);
	put_string(&p, "ca_file", cfg->ca_file);

	cJSON *services = p.json ? cJSON_AddArrayToObject(root, "services") : NULL;
	for (size_t i = 0; i < cfg->service_count; i++)
		print_service(&p, services, &cfg->services[i]);

	cJSON *people = p.json ? cJSON_AddArrayToObject(root, "people") : NULL;
	for (size_t i = 0; i < cfg->person_count; i++)
		print_person(&p, people, &cfg->people[i]);

	begin(&p, root, "canary", "canary");
	put_canaries(&p, cfg);
	put_long(&p, "timeout_ms", cfg->canary_timeout_ms);

	begin(&p, root, "policy", "policy");
	put_string(&p, "incidents", config_policy_name(cfg->incidents));
	put_string(&p, "notices", config_policy_name(cfg->notices));
	put_bool(&p, "two_person", cfg->two_person);
	put_long(&p, "confirm_minutes", cfg->confirm_minutes);

	begin(&p, root, "twitter", "twitter");
	char *api_url = config_mask_url(cfg->api_url);
	put_string(&p, "api_url", api_url);
	free(api_url);
	put_string(&p, "credentials", cfg->credentials);
	put_long(&p, "thread_delay_ms", cfg->thread_delay_ms);
	put_string(&p, "ca_file", cfg->api_ca_file);
	put_long(&p, "timeout_ms", cfg->api_timeout_ms);
	put_usd(&p, "price_post", cfg->x_cost.post);
	put_usd(&p, "price_post_url", cfg->x_cost.post_url);
	put_usd(&p, "price_read", cfg->x_cost.read);
	put_usd(&p, "price_delete", cfg->x_cost.remove);
	put_usd(&p, "monthly_budget", cfg->x_cost.budget);
	put_long(&p, "budget_warning", cfg->x_cost.warning);
	put_string(&p, "thread_mode",
		   cfg->x_thread_mode == CONFIG_THREAD_SINGLE ? "single" : "replies");

	begin(&p, root, "feeds", "feeds");
	put_string(&p, "base_url", cfg->feeds.base_url);
	put_string(&p, "title", cfg->feeds.title);
	put_string(&p, "author", cfg->feeds.author);
	put_string(&p, "author_url", cfg->feeds.author_url);
	put_string(&p, "sender", cfg->feeds.sender);
	put_string(&p, "sender_name", cfg->feeds.sender_name);
	put_string(&p, "rebuttal_url", cfg->feeds.rebuttal_url);
	put_string(&p, "notice_url", cfg->feeds.notice_url);
	put_long(&p, "max_entries", cfg->feeds.max_entries);
	put_string(&p, "aviso_legal", cfg->feeds.legal_notice);

	begin(&p, root, "serve", "serve");
	put_string(&p, "listen", cfg->serve.listen);
	put_string(&p, "user_header", cfg->serve.user_header);
	put_joined(&p, "proxies", cfg->serve.proxies.items, cfg->serve.proxies.count, " ");
	put_string(&p, "public_url", cfg->serve.public_url);

	cJSON *targets = p.json ? cJSON_AddArrayToObject(root, "notify") : NULL;
	for (size_t i = 0; i < cfg->notify_count; i++)
		print_notify(&p, targets, &cfg->notify[i]);

	cJSON *channels = p.json ? cJSON_AddArrayToObject(root, "channels") : NULL;
	for (size_t i = 0; i < cfg->channel_count; i++)
		print_channel(&p, channels, &cfg->channels[i]);

	if (p.json) {
		char *text = cJSON_PrintUnformatted(root);
		if (text)
			puts(text);
		else
			p.failed = true;
		cJSON_free(text);
		cJSON_Delete(root);
	}
	if (p.failed) {
		cli_error(_("out of memory"));
		return EXIT_SOFTWARE;
	}
	return EXIT_OK;
}
