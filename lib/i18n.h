#ifndef INCLUINFO_I18N_H
#define INCLUINFO_I18N_H
/*
 * Messages people read go through GNU gettext (text domain "incluinfo", catalogues in
 * po/): the msgid is the English text, po/es.po holds the Spanish. _() translates at the
 * point of use; N_() marks a string in a table for xgettext, translated later with _().
 * Texts published to the public (posts, feeds) are not messages: they follow a notice's
 * idioma, never the reader's locale.
 */
#include <libintl.h>

#define II_TEXT_DOMAIN "incluinfo"
#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

#endif
