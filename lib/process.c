#include "i18n.h"
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The state letter and start time of pid from /proc; 0, or the errno saying why not. */
static int read_stat(long pid, char *state, unsigned long long *start)
{
	char path[64], text[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	ssize_t n = read(fd, text, sizeof text - 1);
	int error = n < 0 ? errno : EIO;
	close(fd);
	if (n <= 0)
		return error;
	text[n] = '\0';
	/* the command name (field 2) may hold spaces and parentheses: the fields after it are
	 * found from its last ')' */
	char *p = strrchr(text, ')');
	if (!p || sscanf(p, ") %c", state) != 1)
		return EIO;
	p += 2;
	for (int field = 3; field < 22; field++) {
		if (!(p = strchr(p, ' ')))
			return EIO;
		p++;
	}
	char *end;
	errno = 0;
	*start = strtoull(p, &end, 10);
	return end == p || errno ? EIO : 0;
}

static bool this_host(char host[PROCESS_HOST_SIZE])
{
	if (gethostname(host, PROCESS_HOST_SIZE) != 0)
		return false;
	host[PROCESS_HOST_SIZE - 1] = '\0';
	return *host != '\0';
}

ii_err process_of(pid_t pid, struct process_id *out, struct ii_error *e)
{
	memset(out, 0, sizeof *out);
	if (!this_host(out->host))
		return ii_fail(e, II_EIO, _("cannot read the host name: %s"), strerror(errno));
	char state;
	int error = read_stat(pid, &state, &out->start);
	if (error)
		return ii_fail(e, II_EIO, _("cannot read '/proc/%ld/stat': %s"), (long)pid, strerror(error));
	out->pid = pid;
	return II_OK;
}

void process_format(const struct process_id *id, char out[PROCESS_ID_SIZE])
{
	snprintf(out, PROCESS_ID_SIZE, "%s:%ld:%llu", id->host, id->pid, id->start);
}

bool process_parse(const char *text, struct process_id *out)
{
	memset(out, 0, sizeof *out);
	const char *start = text ? strrchr(text, ':') : NULL;
	const char *pid = start;
	while (pid && pid > text && pid[-1] != ':')
		pid--;
	/* at least one character of host before the ':' that ends it */
	if (!pid || pid - text < 2 || (size_t)(pid - text - 1) >= sizeof out->host)
		return false;
	char *end;
	errno = 0;
	out->pid = strtol(pid, &end, 10);
	if (end != start || out->pid <= 0 || errno)
		return false;
	out->start = strtoull(start + 1, &end, 10);
	if (end == start + 1 || *end || errno)
		return false;
	memcpy(out->host, text, (size_t)(pid - text - 1));
	return true;
}

enum process_fate process_fate(const struct process_id *id)
{
	char here[PROCESS_HOST_SIZE];
	if (!this_host(here) || strcmp(here, id->host))
		return PROCESS_ELSEWHERE;
	char state;
	unsigned long long start;
	int error = read_stat(id->pid, &state, &start);
	if (error == ENOENT || error == ESRCH)
		return PROCESS_GONE;
	if (error)
		return PROCESS_RUNNING; /* gone only when certainly gone */
	return start != id->start || state == 'Z' || state == 'X' ? PROCESS_GONE : PROCESS_RUNNING;
}
