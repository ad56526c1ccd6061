#ifndef INCLUINFO_DIAG_H
#define INCLUINFO_DIAG_H

/*
 * Diagnostics about a file people write (configuration, notices), gathered in one pass so
 * that every problem is reported at once. Each entry reads "path:line: error: message"
 * (or "warning:", diag_warn()).
 * The list owns its entries; diag_free() releases everything. Strings returned by
 * diag_at() live as long as the list.
 */

#include <stddef.h>

struct diag_list;

struct diag_list *diag_new(void);
void diag_free(struct diag_list *list);

/* Adds an error at line (0: the file as a whole). Out of memory is remembered, not lost:
 * diag_count() then still reports at least one error. */
void diag_add(struct diag_list *list, const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The same at a column of the line (from 1): "path:line:column: error: message". */
void diag_add_at(struct diag_list *list, const char *path, int line, int column,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A warning, "path:line: warning: message" (line 0: "path: warning: message"): what is
 * worth telling but fails nothing. diag_count() counts every entry, so warnings go in a
 * list of their own. */
void diag_warn(struct diag_list *list, const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
size_t diag_count(const struct diag_list *list);
const char *diag_at(const struct diag_list *list, size_t i);

#endif
