#include "channels.h"

#include <stdio.h>
#include <string.h>

#include "bluesky.h"
#include "i18n.h"
#include "mastodon.h"

/* Whether X is among the channels (see channels.h). */
static bool has_x(const struct config *cfg)
{
	for (size_t i = 0; i < cfg->channel_count; i++)
		if (cfg->channels[i].type != CONFIG_CHANNEL_X)
			return cfg->credentials != NULL;
	return true;
}

void channels_ids(const struct config *cfg, struct channels *out)
{
	memset(out, 0, sizeof *out);
	out->cfg = cfg;
	if (has_x(cfg))
		out->ids[out->count++] = XCHANNEL_ID;
	for (size_t i = 0; i < cfg->channel_count && out->count < CHANNELS_MAX; i++)
		if (cfg->channels[i].type != CONFIG_CHANNEL_X)
			out->ids[out->count++] = cfg->channels[i].id;
}

bool channels_post_url(const struct config *cfg, const char *id, const char *ref, char *out,
		       size_t size)
{
	const struct config_channel *c = NULL;
	for (size_t i = 0; !c && i < cfg->channel_count; i++)
		if (!strcmp(cfg->channels[i].id, id))
			c = &cfg->channels[i];
	int n = -1;
	if (!strcmp(id, XCHANNEL_ID)) {
		n = snprintf(out, size, "https://x.com/i/web/status/%s", ref);
	} else if (c && c->type == CONFIG_CHANNEL_BLUESKY) {
		if (bluesky_public_url(ref, out, size))
			return true;
	} else if (c && c->public_url) {
		size_t len = strlen(c->public_url);
		bool slash = len && c->public_url[len - 1] == '/';
		n = snprintf(out, size, "%s%s%s", c->public_url, slash ? "" : "/", ref);
	}
	if (n > 0 && (size_t)n < size)
		return true;
	if (size)
		*out = '\0';
	return false;
}

ii_err channels_counters(const struct config *cfg, struct store *store,
			 struct channel_counter out[CHANNELS_MAX], size_t *count, struct ii_error *e)
{
	size_t n = 0;
	out[n].id = XCHANNEL_ID;
	counter_init(&out[n++].counter, COUNT_X);
	for (size_t i = 0; i < cfg->channel_count && n < CHANNELS_MAX; i++) {
		enum count_network network;
		if (cfg->channels[i].type == CONFIG_CHANNEL_X ||
		    !count_network_parse(config_channel_type_name(cfg->channels[i].type), &network))
			continue;
		out[n].id = cfg->channels[i].id;
		if (network == COUNT_MASTODON) {
			ii_err rc = mastodon_counter(store, out[n].id, &out[n].counter, e);
			if (rc)
				return rc;
		} else {
			counter_init(&out[n].counter, network);
		}
		n++;
	}
	*count = n;
	return II_OK;
}

static void opened(struct channels *c, const struct publish_channel *channel, long delay_ms,
		   long timeout_ms, const char *credentials)
{
	size_t n = c->open_count++;
	c->opened[n] = channel;
	c->thread_delay_ms[n] = delay_ms;
	c->timeout_ms[n] = timeout_ms;
	c->credentials[n] = credentials;
}

ii_err channels_open(const struct config *cfg, struct store *store, xchannel_trace_fn trace,
		     void *trace_ctx, struct channels *out, struct ii_error *e)
{
	channels_ids(cfg, out);
	for (size_t i = 0; i < out->count; i++) {
		struct ii_error why = {0};
		ii_err rc;
		if (!strcmp(out->ids[i], XCHANNEL_ID)) {
			if ((rc = xchannel_open(cfg, store, trace, trace_ctx, &out->x, &why)) == II_OK)
				opened(out, xchannel_channel(out->x), cfg->thread_delay_ms,
				       cfg->api_timeout_ms, cfg->credentials);
		} else {
			const struct config_channel *ch = NULL;
			for (size_t k = 0; !ch && k < cfg->channel_count; k++)
				if (!strcmp(cfg->channels[k].id, out->ids[i]))
					ch = &cfg->channels[k];
			const struct publish_channel *channel = NULL;
			if (ch->type == CONFIG_CHANNEL_BLUESKY) {
				if ((rc = bluesky_open(ch, store, &out->bluesky[i], &why)) == II_OK)
					channel = bluesky_channel(out->bluesky[i]);
			} else if ((rc = mastodon_open(ch, &out->mastodon[i], &why)) == II_OK) {
				channel = mastodon_channel(out->mastodon[i]);
			}
			if (channel)
				opened(out, channel, ch->thread_delay_ms, ch->timeout_ms, ch->credentials);
		}
		if (rc == II_ENOMEM) {
			channels_close(out);
			*e = why;
			return rc;
		}
		if (rc) {
			out->failed[out->failed_count] = why;
			out->failed_ids[out->failed_count++] = out->ids[i];
		}
	}
	return II_OK;
}

ii_err channels_prepare(struct channels *c, struct store *store, time_t now, struct ii_error *e)
{
	ii_err rc = II_OK;
	for (size_t i = 0; rc == II_OK && i < CHANNELS_MAX; i++) {
		char problem[512];
		if (!c->mastodon[i] ||
		    (rc = mastodon_refresh_limits(c->mastodon[i], store, now, problem, sizeof problem, e)) ||
		    !*problem)
			continue;
		struct counter in_use;
		if ((rc = mastodon_counter(store, c->ids[i], &in_use, e)))
			break;
		ii_fail(&c->warnings[c->warning_count++], II_EREMOTE,
			_("cannot read the limits of the instance of channel '%s': %s; posts of up to "
			  "%d characters are sent there, links counted as %d"),
			c->ids[i], problem, in_use.limit, in_use.url_length);
	}
	return rc;
}

void channels_close(struct channels *c)
{
	xchannel_close(c->x);
	for (size_t i = 0; i < CHANNELS_MAX; i++) {
		mastodon_close(c->mastodon[i]);
		bluesky_close(c->bluesky[i]);
	}
	memset(c, 0, sizeof *c);
}
