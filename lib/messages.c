#include "i18n.h"
#include "messages.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "builtin.h"
#include "i18n.h"
#include "incident.h"
#include "path.h"
#include "template.h"
#include "text/tweet.h"

static const struct {
	const char *file;
	enum draft_kind draft_kind;
	bool reply;
} kinds[MESSAGE_KIND_COUNT] = {
	[MESSAGE_ALERT] = {"alerta.txt", DRAFT_ALERTA, false},
	[MESSAGE_UPDATE] = {"actualizacion.txt", DRAFT_ACTUALIZACION, true},
	[MESSAGE_UNSTABLE] = {"inestable.txt", DRAFT_INESTABLE, false},
	[MESSAGE_RESOLVED] = {"resuelta.txt", DRAFT_RESUELTA, true},
	[MESSAGE_MAINTENANCE_ANNOUNCED] = {"mantenimiento-anuncio.txt", DRAFT_MANTENIMIENTO, false},
	[MESSAGE_MAINTENANCE_STARTED] = {"mantenimiento-inicio.txt", DRAFT_MANTENIMIENTO_INICIO, true},
	[MESSAGE_MAINTENANCE_FINISHED] = {"mantenimiento-fin.txt", DRAFT_MANTENIMIENTO_FIN, true},
	[MESSAGE_MAINTENANCE_UNAVAILABLE] = {"mantenimiento-fin-pendiente.txt", DRAFT_MANTENIMIENTO_FIN, true},
	[MESSAGE_MANUAL] = {"incidencia.txt", DRAFT_INCIDENCIA, false},
	[MESSAGE_MANUAL_UPDATE] = {"incidencia-actualizacion.txt", DRAFT_INCIDENCIA, true},
	[MESSAGE_MANUAL_RESOLVED] = {"incidencia-resuelta.txt", DRAFT_INCIDENCIA, true},
};

static const char *const field_names[] = {"servicio", "hora",   "fecha",   "desde",
					  "hasta",    "periodo", "duracion", "url",
					  "ambito",   "estado", "mensaje", "alternativa"};
#define FIELD_COUNT (sizeof field_names / sizeof *field_names)

struct messages {
	struct template *templates[MESSAGE_KIND_COUNT];
};

const char *messages_file(enum message_kind kind)
{
	return kinds[kind].file;
}

enum draft_kind messages_draft_kind(enum message_kind kind)
{
	return kinds[kind].draft_kind;
}

bool messages_is_reply(enum message_kind kind)
{
	return kinds[kind].reply;
}

static const struct builtin_file *builtin(const char *name)
{
	for (size_t i = 0; i < builtin_templates_count; i++)
		if (!strcmp(builtin_templates[i].name, name))
			return &builtin_templates[i];
	return NULL;
}

static ii_err load_one(const char *dir, enum message_kind kind, struct template **out,
		       struct diag_list *diags, struct ii_error *e)
{
	const char *file = kinds[kind].file;
	if (dir) {
		char *path = path_resolve(dir, file);
		if (!path)
			return ii_fail(e, II_ENOMEM, _("out of memory"));
		ii_err rc = template_load_file(path, out, diags, e);
		if (rc == II_EIO)
			diag_add(diags, path, 0, _("cannot read the template: %s"), e->detail);
		free(path);
		return rc;
	}
	const struct builtin_file *b = builtin(file);
	if (!b)
		return ii_fail(e, II_EINTERNAL, _("template '%s' is not built in"), file);
	/* like a file: the editor's final line end is not part of the message */
	size_t len = b->len;
	if (len && b->text[len - 1] == '\n')
		len--;
	return template_load_string(file, b->text, len, out, diags, e);
}

ii_err messages_load(const char *dir, struct messages **out, struct diag_list *diags,
		     struct ii_error *e)
{
	*out = NULL;
	struct messages *m = calloc(1, sizeof *m);
	if (!m)
		return ii_fail(e, II_ENOMEM, _("out of memory"));
	ii_err first = II_OK;
	for (int k = 0; k < MESSAGE_KIND_COUNT; k++) {
		struct ii_error one = {0};
		ii_err rc = load_one(dir, (enum message_kind)k, &m->templates[k], diags, &one);
		if (rc == II_OK)
			rc = template_check(m->templates[k], field_names, FIELD_COUNT, diags, &one);
		if (rc == II_ENOMEM || rc == II_EINTERNAL) {
			messages_free(m);
			return ii_fail(e, rc, "%s", one.detail);
		}
		if (rc && !first) {
			first = rc;
			ii_fail(e, rc, "%s", one.detail);
		}
	}
	if (first) {
		messages_free(m);
		return first;
	}
	*out = m;
	return II_OK;
}

void messages_free(struct messages *m)
{
	if (!m)
		return;
	for (int k = 0; k < MESSAGE_KIND_COUNT; k++)
		template_free(m->templates[k]);
	free(m);
}

static ii_err render_text(const struct messages *m, enum message_kind kind,
			  const struct message_values *v, char **text, struct ii_error *e)
{
	const struct template_value values[FIELD_COUNT] = {
		{"servicio", v->servicio, false}, {"hora", v->hora, false},
		{"fecha", v->fecha, false},       {"desde", v->desde, false},
		{"hasta", v->hasta, false},       {"periodo", v->periodo, false},
		{"duracion", v->duracion, false}, {"url", v->url, true},
		{"ambito", v->ambito, false},     {"estado", v->estado, false},
		{"mensaje", v->mensaje, false},   {"alternativa", v->alternativa, false},
	};
	return template_render(m->templates[kind], values, FIELD_COUNT, v->plural, text, e);
}

/* Whether text holds a hashtag: '#' right before a letter or digit, after no word. */
static bool has_hashtag(const char *text)
{
	for (const char *h = strchr(text, '#'); h; h = strchr(h + 1, '#')) {
		utf8proc_int32_t cp;
		bool starts = h == text || !(isalnum((unsigned char)h[-1]) || h[-1] == '&');
		if (starts && utf8proc_iterate((const utf8proc_uint8_t *)h + 1, -1, &cp) > 0 &&
		    utf8proc_category(cp) >= UTF8PROC_CATEGORY_LU && utf8proc_category(cp) <= UTF8PROC_CATEGORY_ND)
			return true;
	}
	return false;
}

/* Cuts the hashtags that end text, with the spaces before them. */
static void drop_final_hashtags(char *text)
{
	size_t end = strlen(text);
	for (;;) {
		while (end && isspace((unsigned char)text[end - 1]))
			end--;
		size_t word = end;
		while (word && !isspace((unsigned char)text[word - 1]))
			word--;
		text[end] = '\0';
		/* "#SeguridadSocial", not "#Sede." that ends a sentence */
		if (text[word] != '#' || !has_hashtag(text + word) || ispunct((unsigned char)text[end - 1]))
			return;
		end = word;
	}
}

ii_err messages_render(const struct messages *m, enum message_kind kind,
		       const struct message_values *values, struct thread **out,
		       struct ii_error *e)
{
	return messages_render_for(m, kind, values, NULL, out, e);
}

ii_err messages_render_for(const struct messages *m, enum message_kind kind,
			   const struct message_values *values, const struct counter *counter,
			   struct thread **out, struct ii_error *e)
{
	char *text;
	ii_err rc = render_text(m, kind, values, &text, e);
	if (rc)
		return rc;
	if (values->in_thread)
		drop_final_hashtags(text);
	/* the note shares the post when it fits, after a blank line */
	struct thread_options options;
	thread_options_init(&options);
	if (counter)
		thread_options_for(&options, counter);
	options.pack = true;
	const char *paragraphs[] = {text, values->nota};
	rc = thread_split(paragraphs, values->nota ? 2 : 1, &options, out, e);
	free(text);
	return rc;
}

/* The weight of text as X counts it; -1 when it cannot be counted. */
static int weight(const char *text)
{
	struct tweet_parse p;
	return tweet_parse(text, strlen(text), &p, NULL) == II_OK ? p.weighted_length : -1;
}

/* The service field that weighs most as X counts it; fallback when no service has one. */
static const char *heaviest(const struct config *cfg, size_t offset, const char *fallback)
{
	const char *best = fallback;
	int best_length = -1;
	for (size_t i = 0; i < cfg->service_count; i++) {
		const char *s = *(char *const *)((const char *)&cfg->services[i] + offset);
		if (s && weight(s) > best_length) {
			best = s;
			best_length = weight(s);
		}
	}
	return best;
}

/* Emoji as a reader sees them: grapheme clusters holding a pictograph or a flag. */
static int count_emoji(const char *text)
{
	int count = 0, state = 0;
	bool in_emoji = false;
	utf8proc_int32_t prev = -1, cp;
	for (const char *s = text; *s;) {
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
		if (n <= 0)
			break;
		if (prev < 0 || utf8proc_grapheme_break_stateful(prev, cp, &state))
			in_emoji = false;
		int bound = utf8proc_get_property(cp)->boundclass;
		bool pictograph = bound == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
				  bound == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR;
		if (pictograph && !in_emoji) {
			count++;
			in_emoji = true;
		}
		prev = cp;
		s += n;
	}
	return count;
}

/* The rules of one rendered template, numbered as the first post of its longest thread
 * (text without the numbering); each broken one goes to diags. */
static bool lint_text(const struct messages *m, enum message_kind kind, const char *numbered,
		      const char *text, const char *name, struct diag_list *diags)
{
	const char *file = template_name(m->templates[kind]);
	struct tweet_parse p = {0};
	struct ii_error one = {0};
	if (tweet_parse(numbered, strlen(numbered), &p, &one)) {
		diag_add(diags, file, 0, "%s", one.detail);
		return false;
	}
	bool ok = true;
	if (p.weighted_length > TWEET_MAX_WEIGHTED_LENGTH) {
		diag_add(diags, file, 0,
			 _("the message is %d characters long with the service '%s', the longest dates "
			   "and the numbering '%s' of a thread's first post (limit %d)"),
			 p.weighted_length, name, numbered + strlen(text), TWEET_MAX_WEIGHTED_LENGTH);
		ok = false;
	}
	int emoji = count_emoji(text);
	if (emoji > MESSAGES_MAX_EMOJI) {
		diag_add(diags, file, 0, _("the message has %d emoji (at most %d, each with a meaning)"),
			 emoji, MESSAGES_MAX_EMOJI);
		ok = false;
	}
	if (kinds[kind].reply && has_hashtag(text)) {
		diag_add(diags, file, 0,
			 _("a reply repeats a hashtag: the thread's first post carries it, once"));
		ok = false;
	}
	return ok;
}

/* 23:59 on day of month (1-12) of year, local time. */
static time_t local_time(int year, int month, int day)
{
	struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day,
			.tm_hour = 23, .tm_min = 59, .tm_isdst = -1};
	return mktime(&tm);
}

/* The heaviest texts es_moment(), es_period() and es_duration_words() can give, found by
 * asking them: a moment of any day at 23:59 of the year after today's, so that it is
 * dated and carries its year; a period from one to the next day's (each end with its
 * date and year, the longest form); a duration of up to 99 days, by the minute's and the
 * hour's longest counts. */
static void longest_moments(struct message_moment_texts *out)
{
	time_t now = time(NULL);
	struct tm today;
	localtime_r(&now, &today);
	int year = today.tm_year + 1900 + 1;
	memset(out, 0, sizeof *out);
	char moment[ES_MOMENT_SIZE], period[ES_PERIOD_SIZE], date[ES_DATE_SIZE];
	for (int month = 1; month <= 12; month++)
		for (int day = 1; day <= 31; day++) {
			time_t t = local_time(year, month, day);
			if (es_moment(t, now, true, moment) && weight(moment) > weight(out->hora))
				memcpy(out->hora, moment, sizeof moment);
			if (es_date(t, false, date) && weight(date) > weight(out->fecha))
				memcpy(out->fecha, date, sizeof date);
			if (es_period(t, local_time(year, month, day + 1), now, period) &&
			    weight(period) > weight(out->periodo))
				memcpy(out->periodo, period, sizeof period);
		}
	memcpy(out->desde, out->hora, sizeof out->hora);
	memcpy(out->hasta, out->hora, sizeof out->hora);
	char words[ES_DURATION_WORDS_SIZE];
	for (long long days = 0; days < 100; days++)
		for (long long hours = 0; hours < 24; hours++) {
			es_duration_words(days * 86400 + hours * 3600 + 59 * 60, words);
			if (weight(words) > weight(out->duracion))
				memcpy(out->duracion, words, sizeof words);
		}
}

/* The most posts a thread that kind's post opens can have: an announcement leads its
 * notice's own paragraphs (lib/ingest), any other post may share its thread with the
 * note that tells it apart from an earlier one (struct message_values). */
static size_t thread_posts(enum message_kind kind)
{
	if (kind != MESSAGE_MAINTENANCE_ANNOUNCED)
		return 2;
	struct thread_options options;
	thread_options_init(&options);
	return options.max_posts;
}

ii_err messages_lint(const struct messages *m, const struct config *cfg,
		     struct diag_list *diags, struct ii_error *e)
{
	const char *name = heaviest(cfg, offsetof(struct config_service, in_sentence),
				    "la Sede Electrónica de la Seguridad Social");
	struct message_moment_texts moments;
	longest_moments(&moments);
	/* the plural's words are not always the longer ("{vuelve|vuelven}" is, "disponible{|s}"
	 * too): both numbers are rendered */
	struct message_values longest = {
		.servicio = name,
		.hora = moments.hora,
		.fecha = moments.fecha,
		.desde = moments.desde,
		.hasta = moments.hasta,
		.periodo = moments.periodo,
		.duracion = moments.duracion,
		.url = heaviest(cfg, offsetof(struct config_service, url), "https://sede.seg-social.gob.es/"),
		.ambito = heaviest(cfg, offsetof(struct config_service, name),
				   "Sede Electrónica de la Seguridad Social"),
		.estado = incident_status_name(INCIDENT_EN_SEGUIMIENTO),
		.mensaje = "El teléfono de información 901 16 65 65 vuelve a atender llamadas.",
		.alternativa = heaviest(cfg, offsetof(struct config_service, alternative), ""),
	};
	ii_err result = II_OK;
	for (int k = 0; k < MESSAGE_KIND_COUNT; k++) {
		bool ok = true;
		for (int plural = 0; plural < 2 && ok; plural++) {
			char *text;
			struct ii_error one = {0};
			longest.plural = plural;
			ii_err rc = render_text(m, (enum message_kind)k, &longest, &text, &one);
			if (rc == II_ENOMEM)
				return ii_fail(e, rc, "%s", one.detail);
			if (rc) {
				diag_add(diags, template_name(m->templates[k]), 0, "%s", one.detail);
				ok = false;
				continue;
			}
			/* the first post's numbering, when the thread can have more than one */
			char *numbered = NULL;
			if (asprintf(&numbered, "%s 1/%zu", text, thread_posts((enum message_kind)k)) < 0) {
				free(text);
				return ii_fail(e, II_ENOMEM, _("out of memory"));
			}
			ok = lint_text(m, (enum message_kind)k, numbered, text, name, diags);
			free(numbered);
			free(text);
		}
		if (!ok && !result)
			result = ii_fail(e, II_EDATA, _("template '%s' is not fit to publish"), kinds[k].file);
	}
	return result;
}

void messages_warn(const struct messages *m, struct diag_list *warnings)
{
	/* the values that start with their article (struct message_values), as they read */
	static const struct {
		const char *name, *example;
	} articled[] = {
		{"servicio", "la Sede Electrónica, el Portal"},
		{"hora", "las 10:42, la 1:50, ayer a las 23:00"},
		{"desde", "las 10:42, la 1:50, ayer a las 23:00"},
		{"hasta", "las 10:42, la 1:50, ayer a las 23:00"},
		{"periodo", "el 28 de noviembre de 9:00 a 14:00"},
	};
	static const char *const articles[] = {"el", "la", "los", "las", "del", "al"};
	for (int k = 0; k < MESSAGE_KIND_COUNT; k++) {
		size_t count;
		const struct template_placeholder *fields = template_placeholders(m->templates[k], &count);
		for (size_t i = 0; i < count; i++)
			if (!strcmp(fields[i].name, "servicio") && !template_has_choice(m->templates[k]))
				diag_warn(warnings, template_name(m->templates[k]), fields[i].line,
					  _("{servicio} may be plural ('los Servicios…') but no word agrees "
					    "with it: write the verb as '{funciona|funcionan}'"));
		for (size_t i = 0; i < sizeof articled / sizeof *articled; i++) {
			const char *word;
			int length;
			int line = template_word_before(m->templates[k], articled[i].name, articles,
							sizeof articles / sizeof *articles, &word,
							&length);
			if (line)
				diag_warn(warnings, template_name(m->templates[k]), line,
					  _("'%.*s {%s}' repeats the article: {%s} carries its own (%s), "
					    "so remove '%.*s'"),
					  length, word, articled[i].name, articled[i].name,
					  articled[i].example, length, word);
		}
	}
}

void messages_moments(const struct message_moments *m, time_t today, bool dated,
		      struct message_moment_texts *texts, struct message_values *out)
{
	if (m->hora && es_moment(m->hora, today, dated, texts->hora) &&
	    es_date(m->hora, false, texts->fecha)) {
		out->hora = texts->hora;
		out->fecha = texts->fecha;
	}
	if (m->desde && es_moment(m->desde, today, dated, texts->desde))
		out->desde = texts->desde;
	if (m->hasta && es_moment(m->hasta, today, dated, texts->hasta))
		out->hasta = texts->hasta;
	if (m->desde && m->hasta && es_period(m->desde, m->hasta, today, texts->periodo))
		out->periodo = texts->periodo;
	if (m->desde && (m->hasta || m->hora)) {
		es_duration_words((long long)((m->hasta ? m->hasta : m->hora) - m->desde), texts->duracion);
		out->duracion = texts->duracion;
	}
}

void messages_window(const struct config_service *svc, time_t from, time_t until,
		     struct message_window *texts, struct message_values *out)
{
	*out = (struct message_values){
		.servicio = svc->in_sentence, .plural = svc->plural, .url = svc->url,
		.alternativa = svc->alternative,
	};
	const struct message_moments m = {.hora = from, .desde = from, .hasta = until};
	messages_moments(&m, from, true, &texts->texts, out);
}
