#include "channels.h"

#include <string.h>

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
	if (has_x(cfg))
		out->ids[out->count++] = XCHANNEL_ID;
	for (size_t i = 0; i < cfg->channel_count && out->count < CHANNELS_MAX; i++)
		if (cfg->channels[i].type != CONFIG_CHANNEL_X)
			out->ids[out->count++] = cfg->channels[i].id;
}

size_t channels_counters(const struct config *cfg, struct channel_counter out[CHANNELS_MAX])
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
		counter_init(&out[n++].counter, network);
	}
	return n;
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
			struct mastodon **m = &out->mastodon[i];
			if ((rc = mastodon_open(ch, m, &why)) == II_OK)
				opened(out, mastodon_channel(*m), ch->thread_delay_ms, ch->timeout_ms,
				       ch->credentials);
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

void channels_close(struct channels *c)
{
	xchannel_close(c->x);
	for (size_t i = 0; i < CHANNELS_MAX; i++)
		mastodon_close(c->mastodon[i]);
	memset(c, 0, sizeof *c);
}
