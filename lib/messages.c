#include "i18n.h"
#include "messages.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "incident.h"
#include "path.h"
#include "template.h"
#include "text/tweet.h"

static const struct {
	const char *file;
	enum draft_kind draft_kind;
} kinds[MESSAGE_KIND_COUNT] = {
	[MESSAGE_ALERT] = {"alerta.txt", DRAFT_ALERTA},
	[MESSAGE_UPDATE] = {"actualizacion.txt", DRAFT_ACTUALIZACION},
	[MESSAGE_UNSTABLE] = {"inestable.txt", DRAFT_INESTABLE},
	[MESSAGE_RESOLVED] = {"resuelta.txt", DRAFT_RESUELTA},
	[MESSAGE_MAINTENANCE_ANNOUNCED] = {"mantenimiento-anuncio.txt", DRAFT_MANTENIMIENTO},
	[MESSAGE_MAINTENANCE_STARTED] = {"mantenimiento-inicio.txt", DRAFT_MANTENIMIENTO_INICIO},
	[MESSAGE_MAINTENANCE_FINISHED] = {"mantenimiento-fin.txt", DRAFT_MANTENIMIENTO_FIN},
	[MESSAGE_MAINTENANCE_UNAVAILABLE] = {"mantenimiento-fin-pendiente.txt", DRAFT_MANTENIMIENTO_FIN},
	[MESSAGE_MANUAL] = {"incidencia.txt", DRAFT_INCIDENCIA},
};

static const char *const field_names[] = {"servicio", "hora", "fecha", "desde", "hasta",
					  "duracion", "url", "ambito", "estado", "mensaje"};
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
		{"servicio", v->servicio}, {"hora", v->hora},         {"fecha", v->fecha},
		{"desde", v->desde},       {"hasta", v->hasta},       {"duracion", v->duracion},
		{"url", v->url},           {"ambito", v->ambito},     {"estado", v->estado},
		{"mensaje", v->mensaje},
	};
	return template_render(m->templates[kind], values, FIELD_COUNT, text, e);
}

ii_err messages_render(const struct messages *m, enum message_kind kind,
		       const struct message_values *values, struct thread **out,
		       struct ii_error *e)
{
	char *text;
	ii_err rc = render_text(m, kind, values, &text, e);
	if (rc)
		return rc;
	/* the note shares the post when it fits, after a blank line */
	struct thread_options options;
	thread_options_init(&options);
	options.pack = true;
	const char *paragraphs[] = {text, values->nota};
	rc = thread_split(paragraphs, values->nota ? 2 : 1, &options, out, e);
	free(text);
	return rc;
}

/* The service field that weighs most as X counts it. */
static const char *heaviest(const struct config *cfg, size_t offset, const char *fallback)
{
	const char *best = fallback;
	int best_length = -1;
	for (size_t i = 0; i < cfg->service_count; i++) {
		const char *s = *(char *const *)((const char *)&cfg->services[i] + offset);
		struct tweet_parse p;
		if (tweet_parse(s, strlen(s), &p, NULL) == II_OK && p.weighted_length > best_length) {
			best = s;
			best_length = p.weighted_length;
		}
	}
	return best;
}

ii_err messages_check_lengths(const struct messages *m, const struct config *cfg,
			      struct diag_list *diags, struct ii_error *e)
{
	const char *name = heaviest(cfg, offsetof(struct config_service, name),
				    "Sede Electrónica de la Seguridad Social");
	const struct message_values longest = {
		.servicio = name,
		.hora = "23:59 del 30 de septiembre",
		.fecha = "30 de septiembre",
		.desde = "23:59 del 30 de septiembre",
		.hasta = "23:59 del 30 de septiembre",
		.duracion = "23 h 59 min",
		.url = heaviest(cfg, offsetof(struct config_service, url), "https://sede.seg-social.gob.es/"),
		.ambito = name,
		.estado = incident_status_name(INCIDENT_EN_SEGUIMIENTO),
		.mensaje = "El teléfono de información 901 16 65 65 vuelve a atender llamadas.",
	};
	ii_err result = II_OK;
	for (int k = 0; k < MESSAGE_KIND_COUNT; k++) {
		char *text;
		struct ii_error one = {0};
		ii_err rc = render_text(m, (enum message_kind)k, &longest, &text, &one);
		struct tweet_parse p = {0};
		if (rc == II_OK) {
			rc = tweet_parse(text, strlen(text), &p, &one);
			free(text);
		}
		if (rc == II_ENOMEM)
			return ii_fail(e, rc, "%s", one.detail);
		if (rc == II_OK && p.weighted_length <= TWEET_MAX_WEIGHTED_LENGTH)
			continue;
		if (rc == II_OK)
			diag_add(diags, template_name(m->templates[k]), 0,
				 _("the message is %d characters long with the service '%s' (limit %d)"),
				 p.weighted_length, name, TWEET_MAX_WEIGHTED_LENGTH);
		else
			diag_add(diags, template_name(m->templates[k]), 0, "%s", one.detail);
		if (!result)
			result = ii_fail(e, II_EDATA, _("template '%s' is too long"), kinds[k].file);
	}
	return result;
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
}

void messages_window(const char *name, const char *url, time_t from, time_t until,
		     struct message_window *texts, struct message_values *out)
{
	*out = (struct message_values){.servicio = name, .url = url};
	const struct message_moments m = {.hora = from, .desde = from, .hasta = until};
	messages_moments(&m, from, false, &texts->texts, out);
}
