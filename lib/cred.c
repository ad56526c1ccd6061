#include "cred.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "path.h"

enum cred_key { KEY_CONSUMER_KEY, KEY_CONSUMER_SECRET, KEY_ACCESS_TOKEN, KEY_ACCESS_TOKEN_SECRET,
		KEY_BEARER_TOKEN, KEY_USERNAME, KEY_PASSWORD, KEY_URL, KEY_IDENTIFIER,
		KEY_APP_PASSWORD, KEY_COUNT };

static const char *const key_names[KEY_COUNT] = {
	"consumer_key", "consumer_secret", "access_token", "access_token_secret", "bearer_token",
	"username", "password", "url", "identifier", "app_password",
};

#define BIT(k) (1u << (k))
/* The keys each use of a credentials file accepts. */
static const unsigned use_keys[] = {
	[CRED_X] = BIT(KEY_CONSUMER_KEY) | BIT(KEY_CONSUMER_SECRET) | BIT(KEY_ACCESS_TOKEN) |
		   BIT(KEY_ACCESS_TOKEN_SECRET) | BIT(KEY_BEARER_TOKEN),
	[CRED_SMTP] = BIT(KEY_USERNAME) | BIT(KEY_PASSWORD),
	[CRED_WEBHOOK] = BIT(KEY_BEARER_TOKEN) | BIT(KEY_URL),
	[CRED_MASTODON] = BIT(KEY_ACCESS_TOKEN),
	[CRED_BLUESKY] = BIT(KEY_IDENTIFIER) | BIT(KEY_APP_PASSWORD),
};

struct cred {
	char *values[KEY_COUNT];
	struct oauth1_keys keys;
};

static void wipe_string(char *s)
{
	if (s)
		OPENSSL_cleanse(s, strlen(s));
	free(s);
}

void cred_free(struct cred *cred)
{
	if (!cred)
		return;
	for (int k = 0; k < KEY_COUNT; k++)
		wipe_string(cred->values[k]);
	OPENSSL_cleanse(cred, sizeof *cred);
	free(cred);
}

const struct oauth1_keys *cred_oauth1(const struct cred *cred)
{
	return cred->values[KEY_BEARER_TOKEN] ? NULL : &cred->keys;
}

const char *cred_bearer(const struct cred *cred)
{
	return cred->values[KEY_BEARER_TOKEN];
}

const char *cred_access_token(const struct cred *cred)
{
	return cred->values[KEY_ACCESS_TOKEN];
}

const char *cred_username(const struct cred *cred)
{
	return cred->values[KEY_USERNAME];
}

const char *cred_password(const struct cred *cred)
{
	return cred->values[KEY_PASSWORD];
}

const char *cred_url(const struct cred *cred)
{
	return cred->values[KEY_URL];
}

const char *cred_identifier(const struct cred *cred)
{
	return cred->values[KEY_IDENTIFIER];
}

const char *cred_app_password(const struct cred *cred)
{
	return cred->values[KEY_APP_PASSWORD];
}

/* The secret values of cred, one by one: NULL after the last (i from 0 up). */
static const char *secret_at(const struct cred *cred, size_t i)
{
	static const enum cred_key secrets[] = {KEY_CONSUMER_SECRET, KEY_ACCESS_TOKEN_SECRET,
						KEY_BEARER_TOKEN, KEY_PASSWORD, KEY_URL,
						KEY_APP_PASSWORD};
	const size_t n = sizeof secrets / sizeof secrets[0];
	if (i < n)
		return cred->values[secrets[i]] ? cred->values[secrets[i]] : "";
	/* without OAuth 1.0a's consumer key, an access token is a bearer's: Mastodon's */
	if (i == n)
		return cred->values[KEY_CONSUMER_KEY] || !cred->values[KEY_ACCESS_TOKEN]
			       ? ""
			       : cred->values[KEY_ACCESS_TOKEN];
	return NULL;
}

bool cred_leaks_into(const struct cred *cred, const char *text)
{
	const char *value;
	for (size_t i = 0; (value = secret_at(cred, i)); i++)
		if (*value && strstr(text, value))
			return true;
	return false;
}

/* The shortest beginning of a secret that redact_one() takes for the secret when it ends
 * the text: a quote cut to length may end inside a secret. Shorter, it would hide words
 * that merely start like one. */
#define CRED_REDACT_TAIL_MIN 4

/* Writes the len bytes at at as "[redacted]", or as asterisks when they are fewer; returns
 * where the text goes on. The text never grows. */
static char *redact_at(char *at, size_t len)
{
	static const char mark[] = "[redacted]";
	if (len < sizeof mark - 1) {
		memset(at, '*', len);
		return at + len;
	}
	memcpy(at, mark, sizeof mark - 1);
	memmove(at + sizeof mark - 1, at + len, strlen(at + len) + 1);
	return at + sizeof mark - 1;
}

/* Every occurrence of secret in text redacted, and its beginning when the text ends with
 * it (CRED_REDACT_TAIL_MIN bytes or more). */
static void redact_one(const char *secret, char *text)
{
	size_t len = strlen(secret);
	if (!len)
		return;
	for (char *at = strstr(text, secret); at; at = strstr(at, secret))
		at = redact_at(at, len);
	size_t size = strlen(text);
	for (size_t n = len - 1 < size ? len - 1 : size; n >= CRED_REDACT_TAIL_MIN; n--)
		if (!memcmp(text + size - n, secret, n)) {
			redact_at(text + size - n, n);
			return;
		}
}

void cred_redact(const struct cred *cred, const char *const extra[], char *text)
{
	const char *value;
	for (size_t i = 0; (value = secret_at(cred, i)); i++)
		redact_one(value, text);
	for (size_t i = 0; extra && extra[i]; i++)
		redact_one(extra[i], text);
}

/* Reads the whole file into *buf (at most CRED_FILE_CAP bytes, NUL-terminated, *size
 * bytes to wipe). */
static ii_err read_private_file(const char *path, char **buf, size_t *size, struct ii_error *e)
{
	int fd;
	struct stat st;
	ii_err rc = path_open_regular(path, O_RDONLY, 0, &fd, &st, e);
	if (rc == II_EIO && st.st_mode && !S_ISREG(st.st_mode))
		return ii_fail(e, II_ECONFIG, _("credentials file '%s' is not a regular file"), path);
	if (rc)
		return rc;
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		rc = ii_fail(e, II_ECONFIG,
			     _("credentials file '%s' is open to group or others (mode %04o): run chmod 600 '%s'"),
			     path, (unsigned)(st.st_mode & 07777), path);
	else
		rc = path_read_fd(fd, path, CRED_FILE_CAP, buf, size, e);
	close(fd);
	if (rc == II_OK && *size > CRED_FILE_CAP)
		rc = ii_fail(e, II_ECONFIG, _("credentials file '%s' is larger than %u KiB"), path,
			     CRED_FILE_CAP / 1024);
	return rc;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

static bool printable_token(const char *s)
{
	for (; *s; s++)
		if (*s < 0x21 || *s > 0x7e)
			return false;
	return true;
}

/* A key is shown in a message only when it cannot plausibly be a misplaced secret. */
static bool showable_key(const char *key)
{
	size_t len = strspn(key, "abcdefghijklmnopqrstuvwxyz_");
	return len == strlen(key) && len > 0 && len <= 24;
}

static ii_err parse_line(struct cred *cred, enum cred_use use, const char *path, int line_no,
			 char *line, struct ii_error *e)
{
	char *text = trim(line);
	if (!*text || *text == '#')
		return II_OK;
	char *eq = strchr(text, '=');
	if (!eq)
		return ii_fail(e, II_ECONFIG, _("%s:%d: expected KEY=VALUE"), path, line_no);
	*eq = '\0';
	char *key = trim(text);
	char *value = trim(eq + 1);
	int k = 0;
	while (k < KEY_COUNT && (strcmp(key, key_names[k]) || !(use_keys[use] & BIT(k))))
		k++;
	if (k == KEY_COUNT)
		return showable_key(key)
			? ii_fail(e, II_ECONFIG, _("%s:%d: unknown key '%s'"), path, line_no, key)
			: ii_fail(e, II_ECONFIG, _("%s:%d: unknown key (not shown: it may be a secret)"),
				  path, line_no);
	if (cred->values[k])
		return ii_fail(e, II_ECONFIG, _("%s:%d: '%s' is given twice"), path, line_no, key);
	if (!*value)
		return ii_fail(e, II_ECONFIG, _("%s:%d: '%s' is empty"), path, line_no, key);
	if (!printable_token(value))
		return ii_fail(e, II_ECONFIG,
			       _("%s:%d: the value of '%s' holds a space, a control or a non-ASCII character"),
			       path, line_no, key);
	if (!(cred->values[k] = strdup(value)))
		return ii_fail(e, II_ENOMEM, _("out of memory reading '%s'"), path);
	return II_OK;
}

static ii_err check_complete(const struct cred *cred, enum cred_use use, const char *path,
			     struct ii_error *e)
{
	if (use == CRED_SMTP) {
		if (!cred->values[KEY_USERNAME] || !cred->values[KEY_PASSWORD])
			return ii_fail(e, II_ECONFIG, _("%s: expected both username and password"), path);
		return II_OK;
	}
	if (use == CRED_MASTODON) {
		if (!cred->values[KEY_ACCESS_TOKEN])
			return ii_fail(e, II_ECONFIG, _("%s: holds no credentials: expected access_token"), path);
		return II_OK;
	}
	if (use == CRED_BLUESKY) {
		if (!cred->values[KEY_IDENTIFIER] || !cred->values[KEY_APP_PASSWORD])
			return ii_fail(e, II_ECONFIG, _("%s: expected both identifier and app_password"), path);
		return II_OK;
	}
	if (use == CRED_WEBHOOK) {
		if (!cred->values[KEY_BEARER_TOKEN] && !cred->values[KEY_URL])
			return ii_fail(e, II_ECONFIG, _("%s: holds no credentials: expected url or bearer_token"),
				       path);
		return II_OK;
	}
	int oauth_given = 0;
	for (int k = KEY_CONSUMER_KEY; k <= KEY_ACCESS_TOKEN_SECRET; k++)
		oauth_given += cred->values[k] != NULL;
	if (cred->values[KEY_BEARER_TOKEN] && oauth_given)
		return ii_fail(e, II_ECONFIG,
			       _("%s: holds both bearer_token and OAuth 1.0a keys: keep one set"), path);
	if (cred->values[KEY_BEARER_TOKEN])
		return II_OK;
	for (int k = KEY_CONSUMER_KEY; k <= KEY_ACCESS_TOKEN_SECRET; k++)
		if (!cred->values[k])
			return ii_fail(e, II_ECONFIG,
				       oauth_given ? _("%s: '%s' is missing (OAuth 1.0a needs consumer_key, "
						       "consumer_secret, access_token and access_token_secret)")
						   : _("%s: holds no credentials: expected '%s' and the other OAuth "
						       "1.0a keys, or bearer_token"),
				       path, key_names[k]);
	return II_OK;
}

/*
 * From here on the process holds secrets: a crash must not write them into a core file,
 * and another process of the same user must not read them through ptrace or /proc/PID/mem
 * (prctl(2) PR_SET_DUMPABLE 0 forbids both; RLIMIT_CORE 0 stops the core even where the
 * kernel's core_pattern pipes it elsewhere). Never undone: the secrets stay in memory
 * until the process ends, whatever cred_free() wipes.
 */
static ii_err keep_out_of_cores(struct ii_error *e)
{
	const struct rlimit none = {0, 0};
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || setrlimit(RLIMIT_CORE, &none) < 0)
		return ii_fail(e, II_EIO, _("cannot keep the credentials out of a core dump: %s"),
			       strerror(errno));
	return II_OK;
}

ii_err cred_load(const char *path, struct cred **out, struct ii_error *e)
{
	return cred_load_for(path, CRED_X, out, e);
}

ii_err cred_load_for(const char *path, enum cred_use use, struct cred **out, struct ii_error *e)
{
	*out = NULL;
	ii_err guard = keep_out_of_cores(e);
	if (guard)
		return guard;
	char *buf = NULL;
	size_t size = 0;
	struct cred *cred = calloc(1, sizeof *cred);
	ii_err rc = cred ? read_private_file(path, &buf, &size, e)
			 : ii_fail(e, II_ENOMEM, _("out of memory reading '%s'"), path);
	char *line = buf;
	for (int line_no = 1; rc == II_OK && line; line_no++) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		rc = parse_line(cred, use, path, line_no, line, e);
		line = next;
	}
	if (rc == II_OK)
		rc = check_complete(cred, use, path, e);
	if (buf) {
		OPENSSL_cleanse(buf, size);
		free(buf);
	}
	if (rc != II_OK) {
		cred_free(cred);
		return rc;
	}
	cred->keys = (struct oauth1_keys){
		.consumer_key = cred->values[KEY_CONSUMER_KEY],
		.consumer_secret = cred->values[KEY_CONSUMER_SECRET],
		.token = cred->values[KEY_ACCESS_TOKEN],
		.token_secret = cred->values[KEY_ACCESS_TOKEN_SECRET],
	};
	*out = cred;
	return II_OK;
}
