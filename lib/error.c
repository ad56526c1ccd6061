#include "error.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>

const char *ii_strerror(ii_err code)
{
	switch (code) {
	case II_OK: return _("no error");
	case II_ENOMEM: return _("out of memory");
	case II_EIO: return _("input/output error");
	case II_ECONFIG: return _("invalid configuration");
	case II_EDATA: return _("invalid input data");
	case II_ESTATE: return _("state database error");
	case II_ELOCKED: return _("another run holds the lock");
	case II_EREMOTE: return _("remote service failed");
	case II_EPERM: return _("not allowed");
	case II_EINTERNAL: return _("internal error");
	}
	return _("unknown error");
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
