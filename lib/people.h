#ifndef INCLUINFO_PEOPLE_H
#define INCLUINFO_PEOPLE_H

/*
 * The people of the configuration ([person ID] sections, struct config_person): who a
 * caller is, who a notice's autor names, and what they may do. Lookups read the struct
 * config they are given and return pointers into it, valid as long as the configuration;
 * the only thing returned for the caller to free is people_name_key()'s string.
 *
 * Names are compared by their key (people_name_key()), so that every spelling a reader
 * takes for one name is one name: " lucia.martin", "Lucía.Martín" and "LUCIA.MARTIN" name
 * the same person, and the two-person rule (issue 15) cannot be dodged with a space, a
 * capital, an accent or an alias. Accounts and web logins are compared exactly, as the
 * system and the reverse proxy give them.
 */

#include "config.h"
#include "error.h"

/*
 * name as it is compared: compatibility decomposition (NFKD), accents and other marks
 * removed, case folded, invisible characters (U+200B, U+00AD…) removed, dashes made '-',
 * every run of white space one space and none at either end. A new string in *out that
 * the caller frees; II_EDATA when name is not UTF-8, II_ENOMEM.
 */
ii_err people_name_key(const char *name, char **out, struct ii_error *e);

/* The person of [person id]; NULL: nobody. */
const struct config_person *people_by_id(const struct config *cfg, const char *id);

/* The person one of whose os_users is user, or whose web_login is login; NULL: nobody. */
const struct config_person *people_by_os_user(const struct config *cfg, const char *user);
const struct config_person *people_by_web_login(const struct config *cfg, const char *login);

/* The person whose id, name or one of whose aliases has name's key, into *out (NULL:
 * nobody). II_EDATA when name is not UTF-8, II_ENOMEM. */
ii_err people_by_name(const struct config *cfg, const char *name,
		      const struct config_person **out, struct ii_error *e);

bool people_has_role(const struct config_person *person, enum config_role role);

/* II_EPERM, saying who lacks which role for action (a command's name, "approve"), when
 * person does not have role; II_OK when they have it. */
ii_err people_authorize(const struct config_person *person, enum config_role role,
			const char *action, struct ii_error *e);

#endif
