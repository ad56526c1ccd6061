#ifndef INCLUINFO_BUILTIN_H
#define INCLUINFO_BUILTIN_H
/*
 * Files built into the binary (the default message templates of etc/templates/), as
 * read-only static data generated at build time by lib/gen/embed.sh.
 */
#include <stddef.h>

struct builtin_file {
	const char *name; /* the file's name, "alerta.txt" */
	const char *text; /* its bytes, NUL-terminated */
	size_t len;
};

extern const struct builtin_file builtin_templates[];
extern const size_t builtin_templates_count;
#endif
