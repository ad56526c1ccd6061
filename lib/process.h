#ifndef INCLUINFO_PROCESS_H
#define INCLUINFO_PROCESS_H

/*
 * Who a process is, across hosts and over time: its host name, its pid and its start time
 * (in clock ticks after boot, field 22 of /proc/PID/stat), so that a pid the kernel has
 * given to a later process is not taken for the first. Written as the text "HOST:PID:START"
 * wherever it is kept. A struct process_id is a plain value the caller owns.
 */

#include <stdbool.h>
#include <sys/types.h>

#include "error.h"

#define PROCESS_HOST_SIZE 256
/* "HOST:PID:START" with its NUL */
#define PROCESS_ID_SIZE (PROCESS_HOST_SIZE + 48)

struct process_id {
	char host[PROCESS_HOST_SIZE];
	long pid;
	unsigned long long start;
};

/* Process pid of this host, running or a zombie. II_EIO when there is no such process or
 * /proc cannot tell its start. */
ii_err process_of(pid_t pid, struct process_id *out, struct ii_error *e);

void process_format(const struct process_id *id, char out[PROCESS_ID_SIZE]);
/* false when text is not "HOST:PID:START" */
bool process_parse(const char *text, struct process_id *out);

enum process_fate {
	PROCESS_RUNNING,   /* on this host, running; also when /proc cannot say */
	PROCESS_GONE,      /* on this host, ended (a zombie runs nothing), or its pid is another's */
	PROCESS_ELSEWHERE, /* on another host: nobody here can tell */
};

enum process_fate process_fate(const struct process_id *id);

#endif
