#ifndef INCLUINFO_HEALTH_H
#define INCLUINFO_HEALTH_H

/*
 * What a probe means for a service (classification) and what a run of probes means
 * (hysteresis). Functions over plain values: nothing to free. A page is judged against
 * expect_xpath in a short-lived child process (see health_classify).
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "probe.h"

/* How long judging one page against expect_xpath may take (parse and evaluation, in
 * milliseconds of wall time); a page not judged by then is down. */
#define HEALTH_XPATH_MS 2000

/* Room for a reason ("HTTP 503", "tls error: ..."), NUL included; longer ones are cut. */
#define HEALTH_REASON_SIZE 256

enum health {
	HEALTH_UNKNOWN, /* no confirmed state yet */
	HEALTH_UP,
	HEALTH_DEGRADED,
	HEALTH_DOWN,
};

const char *health_name(enum health h);
/* The state as people read it, in the language of the messages (a static string); the
 * store and --json keep health_name(). */
const char *health_label(enum health h);
/* HEALTH_UNKNOWN for a name that is none of the above. */
enum health health_from_name(const char *name);

/*
 * Classifies one probe of svc at time now; reason gets a short human explanation
 * ("HTTP 503", "timeout after 10000 ms", "text 'mantenimiento' found"), made printable
 * (printable_clean()). With expect_xpath, the page is parsed and the expression evaluated
 * in a child process killed after HEALTH_XPATH_MS: the probe is then down, "XPath '…'
 * not judged: the page was not parsed within 2000 ms".
 */
enum health health_classify(const struct config_service *svc, const struct probe_result *probe,
			    time_t now, char *reason, size_t reason_len);

/* The confirmed state of a service and the counters behind it. */
struct health_state {
	enum health state;
	time_t since;         /* when state was entered; 0 for HEALTH_UNKNOWN */
	int failures;         /* consecutive failed checks */
	int successes;        /* consecutive good checks */
	time_t first_failure; /* of the current run of failures; 0 if none */
	time_t first_success; /* of the current run of successes; 0 if none */
};

enum health_transition {
	HEALTH_STEADY,
	HEALTH_OPENED,   /* confirmed down: an incident starts at first_failure */
	HEALTH_RESOLVED, /* confirmed up after being down: it ends at first_success */
};

/* Applies one check's result (at time now) to s with the service's thresholds. */
enum health_transition health_step(struct health_state *s, enum health result, time_t now,
				   int failures_to_open, int successes_to_resolve);

#endif
