#!/usr/bin/env node
// A fake Mastodon instance's API for incluinfo's tests and the demo.
//
//   node tests/fakes/mastodon.js --port-file FILE --token TOKEN [--http-port N] [--account-id ID]
//                                [--max-characters N] [--url-length N] [--limit N] [--verbose]
//
// Listens on 127.0.0.1 (plain HTTP, --http-port or a port chosen by the OS) and, once listening, writes
// {"http":PORT} to FILE atomically. Only "Authorization: Bearer TOKEN" is accepted.
// It checks what Mastodon checks (docs.joinmastodon.org, methods/statuses, read 2026-12):
// a status of 1 to max_characters characters, every URL counted as 23 (or --url-length), a remote mention
// @user@domain as @user; visibility public, unlisted, private or direct; an
// in_reply_to_id that exists (404 "Record not found" otherwise); an Idempotency-Key
// honoured for an hour (--key-ttl-s), the same status answered again for it.
// Nothing is printed unless --verbose. SIGTERM and SIGINT close everything and exit 0.
'use strict';

const { controller, dropped, parseOptions, renewWindow, sendJson: send, serve, takeFault } = require('./fakelib');

const USAGE =
	'usage: node mastodon.js --port-file FILE --token TOKEN [--http-port N] [--account-id ID] [--max-characters N] ' +
	'[--url-length N] [--limit N] [--key-ttl-s N] [--verbose]';

const ROUTES = `routes (all but /_* and the instance need the bearer token):
  POST   /api/v1/statuses                 JSON or form: status, in_reply_to_id, visibility,
                                          language; 200 the status, 422 invalid, 404 reply
                                          to a missing status
  GET    /api/v1/accounts/verify_credentials   the account
  GET    /api/v1/accounts/ID/statuses     its statuses, newest first (limit <= 40)
  DELETE /api/v1/statuses/ID              200 the status with its source text, 404 missing
  GET    /api/v2/instance                 configuration.statuses: max_characters and
                                          characters_reserved_per_url (public, as Mastodon's)
Every answer carries X-RateLimit-Limit, -Remaining and -Reset (ISO 8601, a 5-minute window,
--limit requests); an exhausted window answers 429.
control:
  POST /_fault    a fault or an array of them, queued, each for the next "count" (default 1)
                  requests matching "match" ("METHOD /path-prefix", default every API one):
                    {"kind":"status","status":503}    that status, {"error": ...}
                    {"kind":"rate","reset":T}         429 with the window exhausted until T
                    {"kind":"drop"}                   acts, then closes without answering
  POST /_chaos    {"probability":P,"seed":N,"faults":[...]}: random faults (P 0 stops)
  POST /_expire   forgets the idempotency keys, as an hour passing would
  GET  /_posts    {"posts":[{id,text,reply_to,created_at,deleted,key}]}
  POST /_posts    {"text","created_at","reply_to"}: a status the account made before
  GET  /_requests {"requests":[{method,path,key,auth,status,fault}]} (auth: a token was sent)
  POST /_instance {"max_characters","characters_reserved_per_url"}: what the instance says
                  (any JSON value, to play a wrong answer), and enforces when they are numbers
  POST /_reset    forgets everything`;

const { opts, fail } = parseOptions(process.argv.slice(2),
	{ portFile: null, port: 0, token: null, accountId: '109876543210', maxCharacters: 500, urlLength: 23,
		limit: 300, keyTtl: 3600, verbose: false },
	{ '--port-file': ['portFile', 'string'], '--http-port': ['port', 'count'], '--token': ['token', 'string'],
		'--account-id': ['accountId', 'string'], '--max-characters': ['maxCharacters', 'count'],
		'--url-length': ['urlLength', 'count'],
		'--limit': ['limit', 'count'], '--key-ttl-s': ['keyTtl', 'count'], '--verbose': ['verbose', 'flag'] },
	'mastodon.js', USAGE, ROUTES);
if (!opts.portFile) fail('--port-file is required');
if (!opts.token) fail('--token is required');

const WINDOW_S = 300;

function freshState() {
	return { posts: [], requests: [], faults: [], chaos: null, keys: new Map(), lastId: 0n,
		window: { remaining: opts.limit, reset: 0 },
		// configuration.statuses as GET /api/v2/instance says it (POST /_instance)
		instance: { max_characters: opts.maxCharacters, characters_reserved_per_url: opts.urlLength } };
}
let state = freshState();

// Mastodon's ids are snowflakes too: milliseconds << 16, then a sequence.
function nextId() {
	let id = BigInt(Date.now()) << 16n;
	if (id <= state.lastId) id = state.lastId + 1n;
	state.lastId = id;
	return id.toString();
}

// --- Mastodon's rules ----------------------------------------------------------------------

const URL_RE = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'"]/g;
const REMOTE_MENTION_RE = /(^|[^\w@])@(\w+)@[\w.-]+\w/g;

// What the instance enforces: what it says, when that is a number.
function enforced(name, fallback) {
	const n = state.instance[name];
	return Number.isInteger(n) ? n : fallback;
}

// The length Mastodon counts: characters (code points), a URL as 23, @user@domain as @user.
function statusLength(text) {
	const url = 'x'.repeat(enforced('characters_reserved_per_url', opts.urlLength));
	const counted = text.replace(URL_RE, url).replace(REMOTE_MENTION_RE, '$1@$2');
	return [...counted].length;
}

const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
	.replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// A link as Mastodon renders it: the scheme invisible, the first 30 characters shown.
function linkHtml(url) {
	const scheme = url.match(/^https?:\/\/(www\.)?/)[0];
	const rest = url.slice(scheme.length);
	const shown = rest.slice(0, 30), hidden = rest.slice(30);
	return `<a href="${escapeHtml(url)}" target="_blank" rel="nofollow noopener noreferrer">` +
		`<span class="invisible">${escapeHtml(scheme)}</span>` +
		`<span class="${hidden ? 'ellipsis' : ''}">${escapeHtml(shown)}</span>` +
		`<span class="invisible">${escapeHtml(hidden)}</span></a>`;
}

// The status's content as Mastodon's formatter gives it: paragraphs, <br />, links, tags.
function render(text) {
	return text.split(/\n\n+/).map((para) => {
		let html = '', last = 0;
		for (const m of para.matchAll(URL_RE)) {
			html += escapeHtml(para.slice(last, m.index)) + linkHtml(m[0]);
			last = m.index + m[0].length;
		}
		html += escapeHtml(para.slice(last));
		html = html.replace(/(^|\s)#([\p{L}\p{N}_]+)/gu,
			(_, pre, tag) => `${pre}<a href="https://fake.example/tags/${tag}" class="mention hashtag" rel="tag">#<span>${tag}</span></a>`);
		return `<p>${html.replace(/\n/g, '<br />')}</p>`;
	}).join('');
}

function statusJson(p) {
	return {
		id: p.id, created_at: p.created_at, in_reply_to_id: p.reply_to,
		in_reply_to_account_id: p.reply_to ? opts.accountId : null, visibility: p.visibility,
		language: p.language, uri: `https://fake.example/users/incluinfo/statuses/${p.id}`,
		url: `https://fake.example/@incluinfo/${p.id}`, content: render(p.text),
		account: { id: opts.accountId, username: 'incluinfo', acct: 'incluinfo' },
		reblog: null, media_attachments: [], mentions: [], tags: [],
	};
}

// --- serving -------------------------------------------------------------------------------

function rateHeaders() {
	const w = renewWindow(state.window, opts.limit, WINDOW_S);
	return { 'X-RateLimit-Limit': String(opts.limit), 'X-RateLimit-Remaining': String(w.remaining),
		'X-RateLimit-Reset': new Date(w.reset * 1000).toISOString() };
}


function parseParams(req, body) {
	if ((req.headers['content-type'] || '').startsWith('application/json')) {
		try { return JSON.parse(body || '{}'); } catch { return null; }
	}
	return Object.fromEntries(new URLSearchParams(body));
}

function createStatus(params, key) {
	const text = typeof params.status === 'string' ? params.status : '';
	const visibility = params.visibility || 'public';
	if (!text.trim()) return [422, { error: "Validation failed: Text can't be blank" }];
	const max = enforced('max_characters', opts.maxCharacters);
	if (statusLength(text) > max)
		return [422, { error: `Validation failed: Text character limit of ${max} exceeded` }];
	if (!['public', 'unlisted', 'private', 'direct'].includes(visibility))
		return [422, { error: 'Validation failed: Visibility is not included in the list' }];
	const replyTo = params.in_reply_to_id || null;
	if (replyTo && !state.posts.some((p) => p.id === replyTo && !p.deleted))
		return [404, { error: 'Record not found' }];
	if (params.language && !/^[a-z]{2,3}$/.test(params.language))
		return [422, { error: 'Validation failed: Language is not a valid language' }];
	const p = { id: nextId(), text, reply_to: replyTo, visibility, language: params.language || null,
		created_at: new Date().toISOString(), deleted: false, key: key || null };
	state.posts.push(p);
	if (key) state.keys.set(key, { id: p.id, until: Date.now() + opts.keyTtl * 1000 });
	return [200, statusJson(p)];
}

async function api(req, res, url, body) {
	const method = req.method;
	const key = req.headers['idempotency-key'] || null;
	const log = { method, path: url.pathname, key, auth: !!req.headers.authorization, status: 0, fault: null };
	state.requests.push(log);
	// the instance's description is public
	const open = method === 'GET' && url.pathname === '/api/v2/instance';
	if (!open && req.headers.authorization !== `Bearer ${opts.token}`) {
		log.status = 401;
		return send(res, 401, { error: 'The access token is invalid' });
	}
	const headers = rateHeaders();
	const fault = takeFault(state, method, url.pathname);
	if (fault) log.fault = fault.kind;
	if (fault && fault.kind === 'status') {
		log.status = fault.status;
		return send(res, fault.status, { error: fault.error || 'Simulated failure' }, headers);
	}
	if (fault && fault.kind === 'rate') {
		state.window.remaining = 0;
		state.window.reset = fault.reset;
		log.status = 429;
		return send(res, 429, { error: 'Too many requests' }, rateHeaders());
	}
	if (state.window.remaining <= 0) {
		log.status = 429;
		return send(res, 429, { error: 'Too many requests' }, headers);
	}
	state.window.remaining--;
	Object.assign(headers, rateHeaders());
	let status, answer;
	const statusId = url.pathname.match(/^\/api\/v1\/statuses\/(\d+)$/);
	const accountStatuses = url.pathname.match(/^\/api\/v1\/accounts\/(\d+)\/statuses$/);
	if (method === 'POST' && url.pathname === '/api/v1/statuses') {
		const params = parseParams(req, body);
		const known = key && state.keys.get(key);
		if (!params) [status, answer] = [422, { error: 'Unparseable body' }];
		else if (known && known.until > Date.now())
			[status, answer] = [200, statusJson(state.posts.find((p) => p.id === known.id))];
		else [status, answer] = createStatus(params, key);
	} else if (method === 'GET' && url.pathname === '/api/v1/accounts/verify_credentials') {
		[status, answer] = [200, { id: opts.accountId, username: 'incluinfo', acct: 'incluinfo',
			source: { privacy: 'public', language: 'es' } }];
	} else if (method === 'GET' && accountStatuses) {
		const limit = Math.min(Number(url.searchParams.get('limit') || 20), 40);
		const list = accountStatuses[1] === opts.accountId
			? state.posts.filter((p) => !p.deleted).slice().reverse().slice(0, limit) : [];
		[status, answer] = [200, list.map(statusJson)];
	} else if (method === 'DELETE' && statusId) {
		const p = state.posts.find((x) => x.id === statusId[1] && !x.deleted);
		if (!p) [status, answer] = [404, { error: 'Record not found' }];
		else {
			p.deleted = true;
			[status, answer] = [200, { ...statusJson(p), text: p.text }];
		}
	} else if (method === 'GET' && url.pathname === '/api/v2/instance') {
		[status, answer] = [200, { domain: 'fake.example', configuration: { statuses: {
			max_characters: state.instance.max_characters, max_media_attachments: 4,
			characters_reserved_per_url: state.instance.characters_reserved_per_url } } }];
	} else {
		[status, answer] = [404, { error: 'Record not found' }];
	}
	log.status = status;
	if (dropped(fault, req, log)) return undefined;
	return send(res, status, answer, headers);
}

const control = controller(() => state, () => { state = freshState(); }, (route, j) => {
	if (route === 'POST /_instance') {
		for (const name of ['max_characters', 'characters_reserved_per_url'])
			if (name in j) state.instance[name] = j[name];
		return [200, state.instance];
	}
	if (route === 'POST /_expire') {
		state.keys.clear();
		return [200, {}];
	}
	if (route === 'POST /_posts') {
		const p = { id: nextId(), text: j.text, reply_to: j.reply_to || null, visibility: 'public',
			language: null, created_at: j.created_at || new Date().toISOString(), deleted: false, key: null };
		state.posts.push(p);
		return [200, p];
	}
	return undefined;
});

serve(opts, control, api);
