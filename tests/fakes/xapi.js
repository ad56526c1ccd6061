#!/usr/bin/env node
// A fake of the X API v2 for incluinfo's tests and the demo.
//
//   node tests/fakes/xapi.js --port-file FILE --cred FILE [--http-port N] [--user-id ID] [--username NAME]
//                            [--window-limit N] [--day-limit N] [--app-day-limit N] [--verbose]
//
// Listens on 127.0.0.1 (plain HTTP, a port chosen by the OS) and, once listening, writes
// {"http":PORT} to FILE (atomically, as tests/fakes/web.js does). --cred names a file in
// incluinfo's credentials format (KEY=VALUE lines); the fake accepts the OAuth 1.0a set
// it holds, checking signatures with its own code, and its bearer_token, if any.
// Nothing is printed unless --verbose. SIGTERM and SIGINT close everything and exit 0.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const twitter = require('twitter-text');
const { controller, prng, writePortFile } = require('./fakelib');

const USAGE =
	'usage: node xapi.js --port-file FILE --cred FILE [--http-port N] [--user-id ID] [--username NAME] ' +
	'[--window-limit N] [--day-limit N] [--app-day-limit N] [--verbose]';

const ROUTES = `routes (all but /_* need OAuth 1.0a or the bearer token):
  POST   /2/tweets              {"text", "reply": {"in_reply_to_tweet_id"}}: 201, or 400 (invalid
                                body, over 280), 403 duplicate content, 403 reply to a missing post
  GET    /2/users/me            the account
  GET    /2/users/ID/tweets     its posts, newest first (max_results 5-100, pagination_token,
                                tweet.fields=created_at,referenced_tweets)
  DELETE /2/tweets/ID           {"data":{"deleted":true|false}}
Every answer to those carries x-rate-limit-{limit,remaining,reset} (a 15-minute window per
route) and POST /2/tweets also x-user-limit-24hour-* and x-app-limit-24hour-*; an exhausted
limit answers 429. Stored texts are X's: URLs as https://t.co/ links, &, < and > escaped.
control:
  POST /_fault    a fault or an array of faults, queued; each applies to the next
                  "count" (default 1) requests matching "match" ("METHOD /path-prefix",
                  default every API request):
                    {"kind":"status","status":503}       that status, a problem body (its
                                                          "detail" given as "detail", if any)
                    {"kind":"rate","reset":T,"scope":S}  429, S (window, user_day or
                                                          app_day) exhausted until Unix time T
                    {"kind":"usage_cap"}                 429 UsageCapExceeded
                    {"kind":"delay","ms":N}              answers normally N ms later
                    {"kind":"drop"}                      acts on the request, then closes the
                                                          connection without answering
                    {"kind":"reset"}                     closes it without acting
                    {"kind":"duplicate"}                 acts on the request, then answers 403
                                                          duplicate content, as X does to a
                                                          request that reaches it twice
  POST /_chaos    {"probability":P,"seed":N,"faults":[fault...]}: each API request gets
                  one of the faults at random with probability P (seeded; P 0 stops it)
  POST /_budget   {"route":"POST /2/tweets","window_remaining","window_reset",
                  "day_remaining","day_reset","app_day_remaining","app_day_reset"}
  GET  /_posts    every post accepted: {"posts":[{id,text,sent_text,reply_to,created_at,deleted}]}
  POST /_posts    {"text","created_at"(ISO 8601),"reply_to","author"}: a post the account
                  made before (by hand, or by another program), stored as X stores it; with
                  "author" (a username), someone else's post, which the account may answer
  POST /_delete   {"id"}: the post deleted on x.com by a person
  GET  /_requests every API request: {"requests":[{method,path,at_ms,status,fault}]}
  GET  /_billing  what pay-per-use would bill for the 2xx answers so far:
                  {"micro" (micro-dollars),"posts","posts_with_url","reads","deletes"}: a post
                  $0.015, with a URL (twitter-text's) $0.20, each post or account read $0.001,
                  a deletion $0.005
  POST /_headers  {"window":true|false,"day":true|false}: whether answers carry the
                  x-rate-limit-* headers, and POST /2/tweets's 24-hour ones (X does not
                  promise the latter); the limits hold either way
  POST /_replies  {"restricted":true|false,"own_thread":true|false}: the reply restriction
                  of 2026-02-23: a reply is refused, 403 "Reply to this conversation is not
                  allowed…" and nothing billed, unless the post it answers is someone
                  else's that mentions the account (@username) or, with own_thread (default
                  false: X does not say whether its own thread counts), the account's own
  POST /_reset    forgets posts, requests, faults, chaos and budgets`;

// X's pay-per-use prices in micro-dollars (docs.x.com/x-api/getting-started/pricing, as
// read in December 2026): a post, a post with a URL, an owned read (a post of the account's
// own timeline, or the account itself), a deletion ("Content: Manage", our reading)
const PRICES = { post: 15000, postWithUrl: 200000, read: 1000, delete: 5000 };
const EPOCH_MS = 1288834974657n; // X's snowflake epoch
const WINDOW_S = 900;
const DAY_S = 86400;
const BODY_CAP = 64 * 1024;
const TIMESTAMP_SKEW_S = 300;

function fail(message) {
	process.stderr.write(`xapi.js: error: ${message}\n${USAGE}\n`);
	process.exit(64);
}

function parseArgs(argv) {
	const opts = {
		portFile: null, port: 0, cred: null, userId: '1512345678901234567', username: 'incluinfo',
		windowLimit: 200, dayLimit: 2400, appDayLimit: 10000, verbose: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			if (i + 1 >= argv.length) fail(`option '${arg}' needs an argument`);
			return argv[++i];
		};
		const count = () => {
			const text = value();
			if (!/^\d+$/.test(text)) fail(`invalid number '${text}' for '${arg}'`);
			return Number(text);
		};
		if (arg === '--port-file') opts.portFile = value();
		else if (arg === '--http-port') opts.port = count();
		else if (arg === '--cred') opts.cred = value();
		else if (arg === '--user-id') opts.userId = value();
		else if (arg === '--username') opts.username = value();
		else if (arg === '--window-limit') opts.windowLimit = count();
		else if (arg === '--day-limit') opts.dayLimit = count();
		else if (arg === '--app-day-limit') opts.appDayLimit = count();
		else if (arg === '--verbose' || arg === '-v') opts.verbose = true;
		else if (arg === '--help' || arg === '-h') {
			process.stdout.write(`${USAGE}\n\n${ROUTES}\n`);
			process.exit(0);
		} else fail(`unknown option '${arg}'`);
	}
	if (!opts.portFile) fail('--port-file is required');
	if (!opts.cred) fail('--cred is required');
	if (!/^\d{1,19}$/.test(opts.userId)) fail(`invalid user id '${opts.userId}'`);
	return opts;
}

const CRED_KEYS = ['consumer_key', 'consumer_secret', 'access_token', 'access_token_secret', 'bearer_token'];

function readCred(file) {
	let text;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (err) {
		fail(`--cred: ${err.message}`);
	}
	const cred = {};
	text.split('\n').forEach((raw, i) => {
		const line = raw.trim();
		if (!line || line.startsWith('#')) return;
		const eq = line.indexOf('=');
		const key = eq < 0 ? '' : line.slice(0, eq).trim();
		if (!CRED_KEYS.includes(key)) fail(`${file}:${i + 1}: expected one of ${CRED_KEYS.join(', ')}`);
		cred[key] = line.slice(eq + 1).trim();
	});
	const oauth = CRED_KEYS.slice(0, 4).filter((k) => cred[k]).length;
	if (oauth !== 0 && oauth !== 4) fail(`${file}: incomplete OAuth 1.0a set`);
	if (!oauth && !cred.bearer_token) fail(`${file}: no credentials`);
	return cred;
}

// --- state --------------------------------------------------------------------------------

const now = () => Math.floor(Date.now() / 1000);

function freshState() {
	return {
		posts: [],      // oldest first
		requests: [],
		faults: [],
		chaos: null,
		budgets: new Map(), // route -> {window, day, appDay}
		nonces: new Set(),
		lastId: 0n,
		links: 0,
		// what pay-per-use would bill, in micro-dollars (see PRICES)
		billing: { micro: 0, posts: 0, posts_with_url: 0, reads: 0, deletes: 0 },
		// replies refused unless "summoned" (POST /_replies)
		replies: { restricted: false, ownThread: false },
		headers: { window: true, day: true }, // which rate-limit headers answers carry (POST /_headers)
	};
}
let state = freshState();

function nextId() {
	const ms = BigInt(Date.now()) - EPOCH_MS;
	let id = (ms << 22n) | (1n << 17n); // datacenter 1, sequence 0
	if (id <= state.lastId) id = state.lastId + 1n;
	state.lastId = id;
	return id.toString();
}

function limit(max, span) {
	return { limit: max, remaining: max, reset: now() + span, span };
}

function budget(opts, route) {
	if (!state.budgets.has(route))
		state.budgets.set(route, {
			window: limit(opts.windowLimit, WINDOW_S),
			day: limit(opts.dayLimit, DAY_S),
			appDay: limit(opts.appDayLimit, DAY_S),
		});
	const b = state.budgets.get(route);
	for (const l of [b.window, b.day, b.appDay]) {
		if (now() >= l.reset) {
			l.remaining = l.limit;
			l.reset = now() + l.span;
		}
	}
	return b;
}

function rateHeaders(route, b) {
	const h = state.headers.window ? {
		'x-rate-limit-limit': b.window.limit,
		'x-rate-limit-remaining': b.window.remaining,
		'x-rate-limit-reset': b.window.reset,
	} : {};
	if (route === 'POST /2/tweets' && state.headers.day) {
		Object.assign(h, {
			'x-user-limit-24hour-limit': b.day.limit,
			'x-user-limit-24hour-remaining': b.day.remaining,
			'x-user-limit-24hour-reset': b.day.reset,
			'x-app-limit-24hour-limit': b.appDay.limit,
			'x-app-limit-24hour-remaining': b.appDay.remaining,
			'x-app-limit-24hour-reset': b.appDay.reset,
		});
	}
	return h;
}

// --- responses ----------------------------------------------------------------------------

function send(res, status, body, headers = {}) {
	if (res.destroyed || res.headersSent) return;
	const buf = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': buf.length, ...headers });
	res.end(buf);
}

function problem(status, title, detail, type = 'about:blank', extra = {}) {
	return { title, detail, type, status, ...extra };
}

const PROBLEMS = {
	unauthorized: () => problem(401, 'Unauthorized', 'Unauthorized'),
	duplicate: () => problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.'),
	replyMissing: () => problem(403, 'Forbidden',
		'You attempted to reply to a Tweet that is deleted or not visible to you.'),
	// since 2026-02-23 a self-serve app may only answer a post whose author "summoned" it.
	// X's docs do not quote the answer (December 2026); this is the 403 developers have
	// reported since then, word for word in several public projects' code and notes
	// ({"title":"Forbidden","detail":…,"status":403}), here with X's "type" as its other
	// 403s carry it. Not the "deleted or not visible" answer of a post that is gone.
	replyRestricted: () => problem(403, 'Forbidden',
		'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.'),
	tooMany: () => problem(429, 'Too Many Requests', 'Too Many Requests'),
	usageCap: () => problem(429, 'UsageCapExceeded', 'Usage cap exceeded: Monthly product cap',
		'https://api.twitter.com/2/problems/usage-capped',
		{ period: 'Monthly', scope: 'Product', product_name: 'standard-basic', account_id: 1 }),
	server: (status, detail) => problem(status, status === 503 ? 'Service Unavailable' : 'Internal Server Error',
		detail !== undefined ? detail : status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
	notFound: (what) => problem(404, 'Not Found Error', `no route for ${what}`,
		'https://api.twitter.com/2/problems/resource-not-found'),
};

// X's answer to a body that breaks the schema
function invalid(message) {
	return {
		errors: [{ parameters: {}, message }],
		title: 'Invalid Request',
		detail: 'One or more parameters to your request was invalid.',
		type: 'https://api.twitter.com/2/problems/invalid-request',
	};
}

// --- OAuth 1.0a ----------------------------------------------------------------------------

function rfc3986(text) {
	return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeEqual(a, b) {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function parseOAuthHeader(value) {
	const params = {};
	const re = /([A-Za-z_]+)="([^"]*)"/g;
	let m;
	while ((m = re.exec(value.slice(6))) !== null) {
		try {
			params[m[1]] = decodeURIComponent(m[2]);
		} catch {
			return null;
		}
	}
	return params;
}

function oauthValid(cred, req, url, formBody) {
	const header = req.headers.authorization || '';
	if (!header.startsWith('OAuth ') || !cred.consumer_key) return false;
	const p = parseOAuthHeader(header);
	if (!p || p.oauth_consumer_key !== cred.consumer_key || p.oauth_token !== cred.access_token ||
	    p.oauth_signature_method !== 'HMAC-SHA1' || !p.oauth_nonce || !p.oauth_signature ||
	    (p.oauth_version !== undefined && p.oauth_version !== '1.0') ||
	    !/^\d+$/.test(p.oauth_timestamp || '') || Math.abs(Number(p.oauth_timestamp) - now()) > TIMESTAMP_SKEW_S)
		return false;
	const pairs = [];
	for (const [k, v] of url.searchParams) pairs.push([k, v]);
	for (const [k, v] of Object.entries(p)) if (k !== 'oauth_signature' && k !== 'realm') pairs.push([k, v]);
	if (formBody !== null) for (const [k, v] of new URLSearchParams(formBody)) pairs.push([k, v]);
	const encoded = pairs.map(([k, v]) => [rfc3986(k), rfc3986(v)]);
	encoded.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
	const base = [
		req.method.toUpperCase(),
		rfc3986(`http://${(req.headers.host || '').toLowerCase()}${url.pathname}`),
		rfc3986(encoded.map(([k, v]) => `${k}=${v}`).join('&')),
	].join('&');
	const key = `${rfc3986(cred.consumer_secret)}&${rfc3986(cred.access_token_secret)}`;
	const expected = crypto.createHmac('sha1', key).update(base).digest('base64');
	if (!safeEqual(expected, p.oauth_signature)) return false;
	// a replayed request is refused, as X does
	const nonceKey = `${p.oauth_timestamp}:${p.oauth_nonce}`;
	if (state.nonces.has(nonceKey)) return false;
	state.nonces.add(nonceKey);
	return true;
}

function authorized(cred, req, url, body) {
	const header = req.headers.authorization || '';
	if (header.startsWith('Bearer ')) return !!cred.bearer_token && safeEqual(header.slice(7), cred.bearer_token);
	const form = /application\/x-www-form-urlencoded/.test(req.headers['content-type'] || '') ? body : null;
	return oauthValid(cred, req, url, form);
}

// --- the API --------------------------------------------------------------------------------

// What X stores: every URL a t.co link, then &, < and > escaped.
function storedText(text) {
	let out = '';
	let at = 0;
	for (const u of twitter.extractUrlsWithIndices(text)) {
		state.links++;
		const code = crypto.createHash('sha1').update(`${state.links}:${u.url}`).digest('base64')
			.replace(/[^A-Za-z0-9]/g, '').slice(0, 10);
		out += text.slice(at, u.indices[0]) + `https://t.co/${code}`;
		at = u.indices[1];
	}
	out += text.slice(at);
	return out.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function live(id) {
	return state.posts.find((p) => p.id === id && !p.deleted);
}

// Whether the account may answer post under the reply restriction: its author mentioned
// the account, or it is the account's own and own_thread allows that.
function summoned(post) {
	const r = state.replies;
	if (!r.restricted) return true;
	const me = currentOpts.username.toLowerCase();
	if (post.author.toLowerCase() === me) return r.ownThread;
	return twitter.extractMentions(post.sent_text).some((m) => m.toLowerCase() === me);
}

function createPost(body) {
	let j;
	try {
		j = JSON.parse(body);
	} catch {
		return [400, invalid('Request body is not valid JSON')];
	}
	if (j === null || typeof j !== 'object' || Array.isArray(j)) return [400, invalid('$: must be an object')];
	for (const k of Object.keys(j))
		if (k !== 'text' && k !== 'reply')
			return [400, invalid(`$.${k}: is not defined in the schema and the schema does not allow additional properties`)];
	if (typeof j.text !== 'string') return [400, invalid('$.text: string expected')];
	let replyTo = null;
	if (j.reply !== undefined) {
		if (j.reply === null || typeof j.reply !== 'object' || Array.isArray(j.reply))
			return [400, invalid('$.reply: object expected')];
		for (const k of Object.keys(j.reply))
			if (k !== 'in_reply_to_tweet_id' && k !== 'exclude_reply_user_ids')
				return [400, invalid(`$.reply.${k}: is not defined in the schema`)];
		replyTo = j.reply.in_reply_to_tweet_id;
		if (typeof replyTo !== 'string' || !/^\d{1,19}$/.test(replyTo))
			return [400, invalid('$.reply.in_reply_to_tweet_id: does not match the regex pattern ^[0-9]{1,19}$')];
	}
	const parsed = twitter.parseTweet(j.text);
	if (!j.text.trim()) return [400, invalid('$.text: the post is empty')];
	if (!parsed.valid) return [400, invalid(`$.text: Tweet text is too long (weighted length ${parsed.weightedLength})`)];
	if (replyTo !== null && !live(replyTo)) return [403, PROBLEMS.replyMissing()];
	if (replyTo !== null && !summoned(live(replyTo))) return [403, PROBLEMS.replyRestricted()];
	if (state.posts.some((p) => !p.deleted && p.sent_text === j.text)) return [403, PROBLEMS.duplicate()];
	const post = {
		id: nextId(), text: storedText(j.text), sent_text: j.text, reply_to: replyTo,
		author: currentOpts.username, created_at: new Date().toISOString(), deleted: false,
	};
	state.posts.push(post);
	return [201, { data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } }];
}

function timeline(opts, userId, q) {
	if (userId !== opts.userId)
		return [200, {
			errors: [{
				value: userId, detail: `Could not find user with id: [${userId}].`, title: 'Not Found Error',
				resource_type: 'user', parameter: 'id', resource_id: userId,
				type: 'https://api.twitter.com/2/problems/resource-not-found',
			}],
		}];
	const max = q.has('max_results') ? Number(q.get('max_results')) : 10;
	if (!Number.isInteger(max) || max < 5 || max > 100)
		return [400, invalid('The `max_results` query parameter value is not between 5 and 100')];
	const fields = new Set((q.get('tweet.fields') || '').split(',').filter(Boolean));
	const newest = state.posts.filter((p) => !p.deleted && p.author === opts.username).reverse();
	let start = 0;
	if (q.has('pagination_token')) {
		start = Number(Buffer.from(q.get('pagination_token'), 'base64url').toString());
		if (!Number.isInteger(start) || start < 0) return [400, invalid('invalid pagination_token')];
	}
	const page = newest.slice(start, start + max);
	const data = page.map((p) => {
		const out = { id: p.id, text: p.text, edit_history_tweet_ids: [p.id] };
		if (fields.has('created_at')) out.created_at = p.created_at;
		if (fields.has('referenced_tweets') && p.reply_to) out.referenced_tweets = [{ type: 'replied_to', id: p.reply_to }];
		return out;
	});
	const meta = { result_count: data.length };
	if (data.length) Object.assign(meta, { newest_id: data[0].id, oldest_id: data[data.length - 1].id });
	if (start + max < newest.length) meta.next_token = Buffer.from(String(start + max)).toString('base64url');
	return [200, data.length ? { data, meta } : { meta }];
}

// What X bills for an answer it gave: writes per request, reads per resource returned.
function bill(m, body, status, payload) {
	if (status < 200 || status > 299) return;
	const b = state.billing;
	if (m === 'POST') {
		const url = twitter.extractUrls(JSON.parse(body).text).length > 0;
		b.micro += url ? PRICES.postWithUrl : PRICES.post;
		b.posts++;
		if (url) b.posts_with_url++;
	} else if (m === 'DELETE') {
		b.micro += PRICES.delete;
		b.deletes++;
	} else {
		const n = Array.isArray(payload.data) ? payload.data.length : payload.data ? 1 : 0;
		b.micro += n * PRICES.read;
		b.reads += n;
	}
}

function api(opts, req, url, body) {
	const [status, payload] = route(opts, req, url, body);
	bill(req.method, body, status, payload);
	return [status, payload];
}

function route(opts, req, url, body) {
	const parts = url.pathname.split('/').filter(Boolean);
	const m = req.method;
	if (m === 'POST' && url.pathname === '/2/tweets') return createPost(body);
	if (m === 'GET' && url.pathname === '/2/users/me')
		return [200, { data: { id: opts.userId, name: 'Inclusión, Seguridad Social y Migraciones', username: opts.username } }];
	if (m === 'GET' && parts.length === 4 && parts[0] === '2' && parts[1] === 'users' && parts[3] === 'tweets')
		return timeline(opts, parts[2], url.searchParams);
	if (m === 'DELETE' && parts.length === 3 && parts[0] === '2' && parts[1] === 'tweets') {
		const post = live(parts[2]);
		if (post) post.deleted = true;
		return [200, { data: { deleted: !!post } }];
	}
	return [404, PROBLEMS.notFound(`${m} ${url.pathname}`)];
}

// The route whose budget a request spends: ids replaced by ":id".
function routeOf(req, url) {
	const parts = url.pathname.split('/').map((p, i) => (i > 2 && /^\d+$/.test(p) ? ':id' : p));
	return `${req.method} ${parts.join('/')}`;
}

// --- faults ----------------------------------------------------------------------------------

const FAULT_KINDS = ['status', 'rate', 'usage_cap', 'delay', 'drop', 'reset', 'duplicate'];

function checkFault(f) {
	if (!f || typeof f !== 'object' || !FAULT_KINDS.includes(f.kind)) return `kind must be one of ${FAULT_KINDS.join(', ')}`;
	if (f.kind === 'status' && !(Number.isInteger(f.status) && f.status >= 400 && f.status <= 599)) return 'status must be 400-599';
	if (f.kind === 'rate' && !(Number.isInteger(f.reset) && ['window', 'user_day', 'app_day', undefined].includes(f.scope)))
		return 'rate needs an integer reset and a scope of window, user_day or app_day';
	if (f.kind === 'delay' && !(Number.isInteger(f.ms) && f.ms >= 0)) return 'delay needs ms';
	return null;
}

function takeFault(req, url) {
	const target = `${req.method} ${url.pathname}`;
	const i = state.faults.findIndex((f) => !f.match || target.startsWith(f.match));
	if (i >= 0) {
		const f = state.faults[i];
		if (--f.left <= 0) state.faults.splice(i, 1);
		return f;
	}
	const c = state.chaos;
	if (c && c.faults.length && c.random() < c.probability) return c.faults[Math.floor(c.random() * c.faults.length)];
	return null;
}

const control = controller(() => state, () => { state = freshState(); }, (route, j) => {
	if (route === 'GET /_billing') return [200, state.billing];
	if (route === 'POST /_headers') {
		if (!j || typeof j.window !== 'boolean' || typeof j.day !== 'boolean')
			return [400, { error: 'expected {"window": true|false, "day": true|false}' }];
		state.headers = { window: j.window, day: j.day };
		return [200, state.headers];
	}
	if (route === 'POST /_replies') {
		if (!j || typeof j.restricted !== 'boolean' || !['boolean', 'undefined'].includes(typeof j.own_thread))
			return [400, { error: 'expected {"restricted": true|false, "own_thread": true|false}' }];
		state.replies = { restricted: j.restricted, ownThread: j.own_thread === true };
		return [200, { restricted: state.replies.restricted, own_thread: state.replies.ownThread }];
	}
	if (route === 'POST /_posts') {
		if (!j || typeof j.text !== 'string' || Number.isNaN(Date.parse(j.created_at)) ||
		    !['string', 'undefined'].includes(typeof j.author))
			return [400, { error: 'expected {"text","created_at","reply_to","author"}' }];
		const ms = BigInt(Date.parse(j.created_at)) - EPOCH_MS;
		const post = {
			id: ((ms << 22n) | (2n << 17n)).toString(), text: storedText(j.text), sent_text: j.text,
			reply_to: j.reply_to || null, author: j.author || currentOpts.username,
			created_at: new Date(j.created_at).toISOString(), deleted: false,
		};
		// kept in the order X made them: the timeline reads them newest first
		const at = state.posts.findIndex((p) => p.created_at > post.created_at);
		state.posts.splice(at < 0 ? state.posts.length : at, 0, post);
		return [201, { data: post }];
	}
	if (route === 'POST /_delete') {
		const post = j && live(j.id);
		if (post) post.deleted = true;
		return [post ? 200 : 404, { deleted: !!post }];
	}
	if (route === 'POST /_fault') {
		const list = Array.isArray(j) ? j : [j];
		for (const f of list) {
			const why = checkFault(f);
			if (why) return [400, { error: why }];
		}
		for (const f of list) state.faults.push({ ...f, left: Number.isInteger(f.count) && f.count > 0 ? f.count : 1 });
		return [200, { queued: state.faults.length }];
	}
	if (route === 'POST /_chaos') {
		if (!j || typeof j.probability !== 'number' || !Array.isArray(j.faults || []))
			return [400, { error: 'expected {"probability","seed","faults"}' }];
		for (const f of j.faults || []) {
			const why = checkFault(f);
			if (why) return [400, { error: why }];
		}
		state.chaos = { probability: j.probability, faults: j.faults || [], random: prng(j.seed || 1) };
		return [200, { chaos: j.probability }];
	}
	if (route === 'POST /_budget') {
		if (!j || typeof j.route !== 'string') return [400, { error: 'expected {"route", ...}' }];
		const b = budget(currentOpts, j.route);
		const set = (l, remaining, reset) => {
			if (Number.isInteger(remaining)) l.remaining = remaining;
			if (Number.isInteger(reset)) l.reset = reset;
		};
		set(b.window, j.window_remaining, j.window_reset);
		set(b.day, j.day_remaining, j.day_reset);
		set(b.appDay, j.app_day_remaining, j.app_day_reset);
		return [200, rateHeaders('POST /2/tweets', b)];
	}
	return undefined;
});

let currentOpts = null;

function handle(opts, cred, req, res, url, body) {
	const entry = { method: req.method, path: req.url, at_ms: Date.now(), status: 0, fault: null };
	state.requests.push(entry);
	const answer = (status, payload, headers) => {
		entry.status = status;
		send(res, status, payload, headers);
	};
	const fault = takeFault(req, url);
	if (fault) entry.fault = fault.kind;
	const route = routeOf(req, url);

	if (fault && fault.kind === 'reset') return req.socket.destroy();
	if (fault && fault.kind === 'status') return answer(fault.status, PROBLEMS.server(fault.status, fault.detail));
	if (fault && fault.kind === 'usage_cap') return answer(429, PROBLEMS.usageCap(), rateHeaders(route, budget(opts, route)));
	if (fault && fault.kind === 'rate') {
		const b = budget(opts, route);
		const l = { window: b.window, user_day: b.day, app_day: b.appDay }[fault.scope || 'window'];
		l.remaining = 0;
		l.reset = fault.reset;
		return answer(429, PROBLEMS.tooMany(), rateHeaders(route, b));
	}

	const proceed = () => {
		if (!authorized(cred, req, url, body)) return answer(401, PROBLEMS.unauthorized());
		const b = budget(opts, route);
		const limits = route === 'POST /2/tweets' ? [b.window, b.day, b.appDay] : [b.window];
		if (limits.some((l) => l.remaining <= 0)) return answer(429, PROBLEMS.tooMany(), rateHeaders(route, b));
		for (const l of limits) l.remaining--;
		const m = req.method;
		const [status, payload] = api(opts, req, url, body);
		if (fault && fault.kind === 'drop') {
			entry.status = -1;
			return req.socket.destroy();
		}
		if (fault && fault.kind === 'duplicate' && m === 'POST' && url.pathname === '/2/tweets' && status === 201)
			return answer(403, PROBLEMS.duplicate(), rateHeaders(route, b));
		answer(status, payload, rateHeaders(route, b));
	};
	if (fault && fault.kind === 'delay') {
		const timer = setTimeout(proceed, fault.ms);
		res.on('close', () => clearTimeout(timer));
		return;
	}
	proceed();
}

function main() {
	const opts = parseArgs(process.argv.slice(2));
	currentOpts = opts;
	const cred = readCred(opts.cred);
	const sockets = new Set();

	const server = http.createServer((req, res) => {
		const chunks = [];
		let size = 0;
		req.on('data', (d) => {
			size += d.length;
			if (size <= BODY_CAP) chunks.push(d);
		});
		req.on('end', () => {
			const url = new URL(req.url, 'http://127.0.0.1');
			if (opts.verbose) process.stdout.write(`${new Date().toISOString()} ${req.method} ${req.url}\n`);
			if (size > BODY_CAP) return send(res, 413, problem(413, 'Payload Too Large', 'Payload Too Large'));
			const body = Buffer.concat(chunks).toString('utf8');
			if (url.pathname.startsWith('/_')) return control(req, res, url, body);
			handle(opts, cred, req, res, url, body);
		});
	});
	server.keepAliveTimeout = 1000;
	server.on('connection', (sock) => {
		sockets.add(sock);
		sock.on('close', () => sockets.delete(sock));
	});
	server.on('clientError', (err, sock) => sock.destroy());
	server.on('error', (err) => {
		process.stderr.write(`xapi.js: error: cannot listen on 127.0.0.1: ${err.message}\n`);
		process.exit(1);
	});
	server.listen({ host: '127.0.0.1', port: opts.port }, () => {
		const port = server.address().port;
		writePortFile(opts.portFile, port);
		if (opts.verbose) process.stdout.write(`listening: ${port}\n`);
	});

	const stop = () => {
		server.close();
		for (const sock of sockets) sock.destroy();
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main();
