#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "incluinfo.h"
#include "people.h"

/* The account of uid into name (getpwuid_r); false when the system does not know it. */
static bool account_of(uid_t uid, char *name, size_t size)
{
	struct passwd pw, *found = NULL;
	char scratch[4096];
	if (getpwuid_r(uid, &pw, scratch, sizeof scratch, &found) || !found || !found->pw_name)
		return false;
	snprintf(name, size, "%s", found->pw_name);
	return true;
}

/*
 * The account the caller is into out->caller, and how it was told into
 * out->identified_by. Root run through sudo is the account that ran sudo: sudo sets
 * SUDO_USER and SUDO_UID, and root, who could set anything, is trusted to say so. Both must
 * name the same account. $USER and $LOGNAME are never read: anyone sets them. False,
 * after saying why, when the caller cannot be told.
 */
static bool caller_account(struct cli_identity *out)
{
	const char *sudo_user = getenv("SUDO_USER"), *sudo_uid = getenv("SUDO_UID");
	uid_t uid = getuid();
	if (uid != 0 || !sudo_user || !*sudo_user || !sudo_uid || !*sudo_uid) {
		if (!account_of(uid, out->caller, sizeof out->caller)) {
			cli_error(_("unknown caller: user id %ld has no account on this system"),
				  (long)uid);
			return false;
		}
		snprintf(out->identified_by, sizeof out->identified_by, "%s%s", DRAFT_BY_OS_USER,
			 out->caller);
		return true;
	}
	char *end;
	errno = 0;
	unsigned long claimed = strtoul(sudo_uid, &end, 10);
	if (errno || *end || sudo_uid[0] == '-' ||
	    !account_of((uid_t)claimed, out->caller, sizeof out->caller) ||
	    strcmp(out->caller, sudo_user)) {
		cli_error(_("unknown caller: SUDO_USER '%s' and SUDO_UID '%s' do not name one account"),
			  sudo_user, sudo_uid);
		return false;
	}
	snprintf(out->identified_by, sizeof out->identified_by, "%s%s", DRAFT_BY_SUDO, out->caller);
	return true;
}

/* The configured caller, who must be the person by names when it is given. */
static int check_person(const struct cli *cli, const struct cli_identity *id, const char *by)
{
	const struct config_person *named = NULL;
	struct ii_error e = {0};
	if (people_by_name(cli->config, by, &named, &e))
		return cli_fail(&e);
	if (!named) {
		cli_error(_("--by '%s' names nobody of the [person] sections; you are %s (%s)"), by,
			  id->person->name, id->person->id);
		return EXIT_NOPERM;
	}
	if (named != id->person) {
		cli_error(_("--by '%s' names %s (%s), but you are %s (%s): each person acts as "
			    "themselves"),
			  by, named->name, named->id, id->person->name, id->person->id);
		return EXIT_NOPERM;
	}
	return EXIT_OK;
}

int cli_identify(const struct cli *cli, const char *action, enum config_role role,
		 const char *by, struct cli_identity *out)
{
	memset(out, 0, sizeof *out);
	if (by) {
		int checked = cli_check_text("--by", by, false);
		if (checked)
			return checked;
	}
	out->actor = cli_system_actor();
	if (!caller_account(out))
		return EXIT_NOPERM;
	out->actor.identified_by = out->identified_by;
	const struct config *cfg = cli->config;
	if (cfg->person_count == 0) {
		/* a single operator: the name is theirs to give, or their account's */
		out->actor.name = by ? by : out->caller;
		return EXIT_OK;
	}
	out->person = people_by_os_user(cfg, out->caller);
	if (!out->person) {
		cli_error(_("unknown caller (%s): no [person] section of '%s' lists '%s' in os_users"),
			  out->identified_by, cfg->path, out->caller);
		return EXIT_NOPERM;
	}
	int status = by ? check_person(cli, out, by) : EXIT_OK;
	if (status)
		return status;
	struct ii_error e = {0};
	if (people_authorize(out->person, role, action, &e))
		return cli_fail(&e);
	out->actor.name = out->person->name;
	out->actor.person = out->person->id;
	return EXIT_OK;
}

ii_err cli_identify_web(const struct cli *cli, const char *action, enum config_role role,
			const char *login, struct cli_identity *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	out->actor = cli_system_actor();
	snprintf(out->caller, sizeof out->caller, "%s", login);
	snprintf(out->identified_by, sizeof out->identified_by, "%s%s", DRAFT_BY_WEB_LOGIN, login);
	out->actor.identified_by = out->identified_by;
	out->person = people_by_web_login(cli->config, login);
	if (!out->person)
		return ii_fail(e, II_EPERM,
			       _("unknown web user '%s': no [person] section of '%s' has it as "
				 "web_login"),
			       login, cli->config->path);
	if (role && people_authorize(out->person, role, action, e))
		return e->code;
	out->actor.name = out->person->name;
	out->actor.person = out->person->id;
	return II_OK;
}
