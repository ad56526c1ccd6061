#include "people.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "i18n.h"

static bool is_space(utf8proc_int32_t cp)
{
	return (cp >= 0x9 && cp <= 0xD) || utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

ii_err people_name_key(const char *name, char **out, struct ii_error *e)
{
	*out = NULL;
	utf8proc_uint8_t *folded = NULL;
	/* IGNORE: a zero-width space or soft hyphen inside a name must not make it another */
	utf8proc_ssize_t n = utf8proc_map(
		(const utf8proc_uint8_t *)name, 0, &folded,
		UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE |
			UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_LUMP);
	if (n == UTF8PROC_ERROR_NOMEM)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	if (n < 0)
		return ii_fail(e, II_EDATA, _("the name '%s' is not valid UTF-8"), name);
	/* white space collapsed in place: the key is never longer than the folded text */
	utf8proc_uint8_t *in = folded, *key = folded;
	bool pending_space = false;
	while (*in) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t len = utf8proc_iterate(in, -1, &cp);
		if (is_space(cp)) {
			pending_space = key != folded;
		} else {
			if (pending_space)
				*key++ = ' ';
			pending_space = false;
			memmove(key, in, (size_t)len);
			key += len;
		}
		in += len;
	}
	*key = '\0';
	*out = (char *)folded;
	return II_OK;
}

const struct config_person *people_by_id(const struct config *cfg, const char *id)
{
	for (size_t i = 0; i < cfg->person_count; i++)
		if (!strcmp(cfg->people[i].id, id))
			return &cfg->people[i];
	return NULL;
}

const struct config_person *people_by_os_user(const struct config *cfg, const char *user)
{
	for (size_t i = 0; i < cfg->person_count; i++)
		for (size_t j = 0; j < cfg->people[i].os_users.count; j++)
			if (!strcmp(cfg->people[i].os_users.items[j], user))
				return &cfg->people[i];
	return NULL;
}

const struct config_person *people_by_web_login(const struct config *cfg, const char *login)
{
	for (size_t i = 0; i < cfg->person_count; i++)
		if (cfg->people[i].web_login && !strcmp(cfg->people[i].web_login, login))
			return &cfg->people[i];
	return NULL;
}

ii_err people_by_name(const struct config *cfg, const char *name,
		      const struct config_person **out, struct ii_error *e)
{
	*out = NULL;
	char *key;
	ii_err rc = people_name_key(name, &key, e);
	for (size_t i = 0; rc == II_OK && !*out && i < cfg->person_count; i++)
		for (size_t j = 0; !*out && j < cfg->people[i].keys.count; j++)
			if (!strcmp(cfg->people[i].keys.items[j], key))
				*out = &cfg->people[i];
	free(key);
	return rc;
}

bool people_has_role(const struct config_person *person, enum config_role role)
{
	return (person->roles & (unsigned)role) != 0;
}

ii_err people_authorize(const struct config_person *person, enum config_role role,
			const char *action, struct ii_error *e)
{
	if (people_has_role(person, role))
		return II_OK;
	return ii_fail(e, II_EPERM, _("%s (%s) does not have the role '%s', which '%s' needs"),
		       person->name, person->id, config_role_name(role), action);
}
