#ifndef INCLUINFO_ERROR_H
#define INCLUINFO_ERROR_H

/*
 * Errors of lib/. A function that can fail returns an ii_err and, when the caller passes
 * a struct ii_error, writes a one-line human detail into it (problem first, subject
 * quoted, no full stop). The caller owns the struct; there is nothing to free.
 */

#include <stddef.h>

typedef enum {
	II_OK = 0,
	II_ENOMEM,   /* out of memory */
	II_EIO,      /* a file or directory could not be read or written */
	II_ECONFIG,  /* the configuration is invalid */
	II_EDATA,    /* input data is invalid */
	II_ESTATE,   /* the state database failed */
	II_ELOCKED,  /* another run holds the lock */
	II_EREMOTE,  /* a remote service failed */
	II_EPERM,    /* the caller is not allowed to do this: unknown, or without the role */
	II_EINTERNAL /* a library we use failed in a way we did not expect */
} ii_err;

struct ii_error {
	ii_err code;
	char detail[1024];
};

const char *ii_strerror(ii_err code);

/* Records code and a printf-style detail in e (which may be NULL); returns code. */
ii_err ii_fail(struct ii_error *e, ii_err code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
