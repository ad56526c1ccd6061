#ifndef INCLUINFO_OAUTH1_H
#define INCLUINFO_OAUTH1_H

/*
 * OAuth 1.0a request signing with HMAC-SHA1 (RFC 5849 sections 3.4 and 3.5.1). Nothing is
 * kept between calls: the caller owns every input, which is only read (secrets included),
 * and frees every string returned. The body of a JSON request is not signed; only the
 * query of the URL and the form parameters the caller passes are.
 */

#include <stddef.h>

#include "error.h"

/* The four values of user context; borrowed, never copied. */
struct oauth1_keys {
	const char *consumer_key;
	const char *consumer_secret;
	const char *token;
	const char *token_secret;
};

/* A parameter as it travels decoded, such as a field of a form body. */
struct oauth1_param {
	const char *name;
	const char *value;
};

/* base64 of a 20-byte digest, with its terminator */
#define OAUTH1_SIGNATURE_SIZE 29

/* RFC 3986 percent-encoding: everything but ALPHA, DIGIT, '-', '.', '_' and '~'. */
char *oauth1_encode(const char *text, size_t len);

/*
 * The signature base string of a request: METHOD&base-url&parameters, where the
 * parameters are those of url's query (decoded as a form) and params (the oauth_*
 * protocol parameters among them), encoded and sorted.
 */
ii_err oauth1_base_string(const char *method, const char *url, const struct oauth1_param *params,
			  size_t param_count, char **out, struct ii_error *e);

/* The HMAC-SHA1 signature, base64, of that base string under the two secrets (a missing
 * token secret is NULL or ""). */
ii_err oauth1_signature(const char *method, const char *url, const struct oauth1_param *params,
			size_t param_count, const char *consumer_secret, const char *token_secret,
			char out[OAUTH1_SIGNATURE_SIZE], struct ii_error *e);

/*
 * The whole value of the Authorization header for a request with form parameters params
 * (none for a JSON body): "OAuth oauth_consumer_key=\"...\", ...". nonce and timestamp
 * are normally NULL (a random 32-hex-digit nonce and the current time); tests pass the
 * published examples' values. The result holds the consumer key and token (public) and
 * the signature, never a secret.
 */
ii_err oauth1_authorization(const char *method, const char *url,
			    const struct oauth1_param *params, size_t param_count,
			    const struct oauth1_keys *keys, const char *nonce,
			    const char *timestamp, char **out, struct ii_error *e);

#endif
