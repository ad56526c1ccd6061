#include "error.h"

#include <stdarg.h>
#include <stdio.h>

const char *ii_strerror(ii_err code)
{
	switch (code) {
	case II_OK: return "no error";
	case II_ENOMEM: return "out of memory";
	case II_EIO: return "input/output error";
	case II_ECONFIG: return "invalid configuration";
	case II_EDATA: return "invalid input data";
	case II_ESTATE: return "state database error";
	case II_ELOCKED: return "another run holds the lock";
	case II_EREMOTE: return "remote service failed";
	case II_EINTERNAL: return "internal error";
	}
	return "unknown error";
}

ii_err ii_fail(struct ii_error *e, ii_err code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		e->code = code;
		vsnprintf(e->detail, sizeof e->detail, fmt, ap);
		va_end(ap);
	}
	return code;
}
