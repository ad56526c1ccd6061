#include "health.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "i18n.h"
#include "printable.h"

static const char *const names[] = {
	[HEALTH_UNKNOWN] = "unknown",
	[HEALTH_UP] = "up",
	[HEALTH_DEGRADED] = "degraded",
	[HEALTH_DOWN] = "down",
};

const char *health_name(enum health h)
{
	return h <= HEALTH_DOWN ? names[h] : "unknown";
}

const char *health_label(enum health h)
{
	static const char *const labels[] = {
		[HEALTH_UNKNOWN] = N_("unknown"),
		[HEALTH_UP] = N_("up"),
		[HEALTH_DEGRADED] = N_("degraded"),
		[HEALTH_DOWN] = N_("down"),
	};
	return _(h <= HEALTH_DOWN ? labels[h] : labels[HEALTH_UNKNOWN]);
}

enum health health_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(name, names[i]))
			return (enum health)i;
	return HEALTH_UNKNOWN;
}

static bool body_contains(const struct probe_result *p, const char *text)
{
	return p->body && memmem(p->body, p->body_len, text, strlen(text)) != NULL;
}

static void ignore_xml_error(void *ctx, const xmlError *error)
{
	(void)ctx;
	(void)error;
}

static bool xpath_matches(const struct probe_result *p, const char *expr)
{
	xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)ignore_xml_error);
	htmlDocPtr doc = htmlReadMemory(p->body, (int)p->body_len, NULL, NULL,
					HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
						HTML_PARSE_RECOVER);
	if (!doc)
		return false;
	bool matched = false;
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr result = ctx ? xmlXPathEvalExpression((const xmlChar *)expr, ctx) : NULL;
	if (result) {
		switch (result->type) {
		case XPATH_NODESET: matched = !xmlXPathNodeSetIsEmpty(result->nodesetval); break;
		case XPATH_BOOLEAN: matched = result->boolval; break;
		default: matched = xmlXPathCastToBoolean(result); break;
		}
	}
	xmlXPathFreeObject(result);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return matched;
}

static long ms_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* The child's side: judges, says 'y' or 'n', and never outlives the check for long. */
static void judge_in_child(const struct probe_result *p, const char *expr, int out)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rlim_t cpu = HEALTH_XPATH_MS / 1000 + 1;
	setrlimit(RLIMIT_CPU, &(struct rlimit){cpu, cpu});
	char verdict = xpath_matches(p, expr) ? 'y' : 'n';
	_exit(write(out, &verdict, 1) == 1 ? 0 : 1);
}

/*
 * Whether the page matches expr: 'y', 'n', or 0 when it could not be judged within
 * HEALTH_XPATH_MS (why says so). libxml2's HTML parser spends time that grows with the
 * square of some shapes of page (the attributes of one element) and cannot be stopped
 * from outside, so the page is parsed in a child process that is killed at the limit.
 */
static char judge_xpath(const struct probe_result *p, const char *expr, char *why, size_t len)
{
	if (!p->body || p->body_len == 0)
		return 'n';
	int fds[2];
	if (pipe2(fds, O_CLOEXEC)) {
		snprintf(why, len, "cannot start: %s", strerror(errno));
		return 0;
	}
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		judge_in_child(p, expr, fds[1]);
	}
	int fork_errno = errno;
	close(fds[1]);
	char verdict = 0;
	long left;
	while (pid > 0 && (left = HEALTH_XPATH_MS - ms_since(&start)) > 0) {
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		int ready = poll(&pfd, 1, (int)left);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready > 0 && read(fds[0], &verdict, 1) != 1)
			verdict = 0;
		break;
	}
	close(fds[0]);
	if (pid < 0) {
		snprintf(why, len, "cannot start: %s", strerror(fork_errno));
		return 0;
	}
	if (!verdict)
		kill(pid, SIGKILL);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!verdict)
		snprintf(why, len, WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL
					   ? "the parser failed on the page"
					   : "the page was not parsed within %d ms", HEALTH_XPATH_MS);
	return verdict;
}

static enum health transport_failure(const struct config_service *svc,
				     const struct probe_result *p, char *reason, size_t len)
{
	switch (p->failure) {
	case PROBE_TIMEOUT:
		snprintf(reason, len, "timeout after %ld ms", svc->timeout_ms);
		break;
	case PROBE_REDIRECTS:
		/* too many, or one refused: the probe says which */
		snprintf(reason, len, "%s", p->error);
		break;
	case PROBE_DNS:
	case PROBE_CONNECT:
	case PROBE_TLS:
	case PROBE_PROTOCOL:
		snprintf(reason, len, "%s error: %s", probe_failure_name(p->failure), p->error);
		break;
	case PROBE_OK:
		break;
	}
	return HEALTH_DOWN;
}

static enum health classify(const struct config_service *svc, const struct probe_result *p,
			    time_t now, char *reason, size_t len)
{
	if (p->failure != PROBE_OK)
		return transport_failure(svc, p, reason, len);
	if (!statusset_has(&svc->expect_status, p->http_status)) {
		snprintf(reason, len, "HTTP %ld", p->http_status);
		return HEALTH_DOWN;
	}
	for (size_t i = 0; i < svc->reject_text.count; i++) {
		if (body_contains(p, svc->reject_text.items[i])) {
			snprintf(reason, len, "text '%s' found", svc->reject_text.items[i]);
			return HEALTH_DOWN;
		}
	}
	for (size_t i = 0; i < svc->expect_text.count; i++) {
		if (!body_contains(p, svc->expect_text.items[i])) {
			snprintf(reason, len, "text '%s' not found", svc->expect_text.items[i]);
			return HEALTH_DOWN;
		}
	}
	if (svc->expect_xpath) {
		char why[128];
		char verdict = judge_xpath(p, svc->expect_xpath, why, sizeof why);
		if (verdict == 'n')
			snprintf(reason, len, "XPath '%s' matched nothing", svc->expect_xpath);
		else if (verdict != 'y')
			snprintf(reason, len, "XPath '%s' not judged: %s", svc->expect_xpath, why);
		if (verdict != 'y')
			return HEALTH_DOWN;
	}
	if (p->time_ms > svc->degraded_ms) {
		snprintf(reason, len, "slow: %ld ms", p->time_ms);
		return HEALTH_DEGRADED;
	}
	if (p->cert_expiry && svc->cert_warn_days > 0) {
		double days = difftime(p->cert_expiry, now) / 86400.0;
		if (days < (double)svc->cert_warn_days) {
			/* a certificate made "-days 3" a moment ago expires "in 3 days" */
			long whole = days < 0 ? 0 : (long)ceil(days);
			snprintf(reason, len, "certificate expires in %ld day%s", whole,
				 whole == 1 ? "" : "s");
			return HEALTH_DEGRADED;
		}
	}
	snprintf(reason, len, "HTTP %ld", p->http_status);
	return HEALTH_UP;
}

enum health health_classify(const struct config_service *svc, const struct probe_result *p,
			    time_t now, char *reason, size_t len)
{
	enum health h = classify(svc, p, now, reason, len);
	/* it is stored, shown and posted; a cut may have split a character */
	printable_clean(reason);
	return h;
}

enum health_transition health_step(struct health_state *s, enum health result, time_t now,
				   int failures_to_open, int successes_to_resolve)
{
	if (result == HEALTH_DOWN) {
		if (s->failures++ == 0)
			s->first_failure = now;
		s->successes = 0;
		s->first_success = 0;
		if (s->state != HEALTH_DOWN && s->failures >= failures_to_open) {
			s->state = HEALTH_DOWN;
			s->since = s->first_failure;
			return HEALTH_OPENED;
		}
		return HEALTH_STEADY;
	}

	if (s->successes++ == 0)
		s->first_success = now;
	s->failures = 0;
	s->first_failure = 0;
	if (s->state == HEALTH_DOWN) {
		if (s->successes < successes_to_resolve)
			return HEALTH_STEADY;
		s->state = result;
		s->since = s->first_success;
		return HEALTH_RESOLVED;
	}
	if (s->state != result) {
		s->state = result;
		s->since = now;
	}
	return HEALTH_STEADY;
}
