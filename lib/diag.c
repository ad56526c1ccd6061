#include "diag.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

struct diag_list {
	char **items;
	size_t count;
	size_t cap;
	int lost; /* entries dropped for lack of memory */
};


struct diag_list *diag_new(void)
{
	return calloc(1, sizeof(struct diag_list));
}

void diag_free(struct diag_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		free(list->items[i]);
	free(list->items);
	free(list);
}

static void add(struct diag_list *list, const char *path, int line, int column, bool warning,
		const char *msg)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		char **items = realloc(list->items, cap * sizeof *items);
		if (!items) {
			list->lost++;
			return;
		}
		list->items = items;
		list->cap = cap;
	}
	char *entry;
	int n = warning ? (line > 0 ? asprintf(&entry, _("%s:%d: warning: %s"), path, line, msg)
				    : asprintf(&entry, _("%s: warning: %s"), path, msg))
		: line > 0 && column > 0 ? asprintf(&entry, _("%s:%d:%d: error: %s"), path, line, column, msg)
		: line > 0		 ? asprintf(&entry, _("%s:%d: error: %s"), path, line, msg)
					 : asprintf(&entry, _("%s: error: %s"), path, msg);
	if (n < 0) {
		list->lost++;
		return;
	}
	list->items[list->count++] = entry;
}

static void vadd(struct diag_list *list, const char *path, int line, int column, bool warning,
		 const char *fmt, va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	add(list, path, line, column, warning, msg);
}

void diag_add(struct diag_list *list, const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(list, path, line, 0, false, fmt, ap);
	va_end(ap);
}

void diag_add_at(struct diag_list *list, const char *path, int line, int column,
		 const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(list, path, line, column, false, fmt, ap);
	va_end(ap);
}

void diag_warn(struct diag_list *list, const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vadd(list, path, line, 0, true, fmt, ap);
	va_end(ap);
}

size_t diag_count(const struct diag_list *list)
{
	return list->count + (list->lost ? 1 : 0);
}

const char *diag_at(const struct diag_list *list, size_t i)
{
	return i < list->count ? list->items[i] : _("error: out of memory while reporting errors");
}
