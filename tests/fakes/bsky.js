#!/usr/bin/env node
// A fake Bluesky PDS (the XRPC routes a posting client uses) for incluinfo's tests and the demo.
//
//   node tests/fakes/bsky.js --port-file FILE --identifier HANDLE --password APP_PASSWORD
//                            [--http-port N] [--did DID] [--access-ttl-s N] [--points N] [--verbose]
//
// Listens on 127.0.0.1 (plain HTTP, --http-port or a port chosen by the OS) and, once
// listening, writes {"http":PORT} to FILE atomically. One account: HANDLE (or DID) with
// APP_PASSWORD. It answers as a PDS does (the lexicons of @atproto/api 0.19, docs.bsky.app,
// read 2026-12):
//   - createSession: limited to 30 in 5 minutes and 300 a day (429 RateLimitExceeded);
//     401 AuthenticationRequired "Invalid identifier or password";
//   - access tokens (JWTs with exp, --access-ttl-s, default 7200) and refresh tokens;
//     an expired access token is 400 ExpiredToken "Token has expired", an unknown one
//     401 InvalidToken; refreshSession rotates the refresh token, a revoked or unknown one
//     400 ExpiredToken "Token has been revoked";
//   - createRecord: every record validated with @atproto/api's lexicon validator
//     (AppBskyFeedPost.validateRecord), the record key a TID (@atproto/syntax), and a key
//     in use answered 500 InternalServerError, as the PDS does today (atproto #3718);
//   - getRecord (400 RecordNotFound), deleteRecord (a missing record is no error);
//   - ratelimit-limit, -remaining, -reset (Unix seconds) and -policy on every answer: the
//     write points of the hour (--points, default 5000; a create costs 3, a delete 1).
// Beyond a PDS, the fake checks what incluinfo promises, and refuses with 400 InvalidRequest
// and the reason otherwise:
//   - facets: the text with every link facet's full URI put back must give, through
//     RichText.detectFacetsWithoutResolution() and the official app's shortenLinks() and
//     toShortUrl() (bluesky-social/social-app, src/lib/strings), exactly the record's text
//     and facets (links and tags; mentions stay plain text);
//   - langs set, createdAt in UTC with milliseconds;
//   - reply: root and parent exist, their cids match, and root is the parent's own root.
// Nothing is printed unless --verbose. SIGTERM and SIGINT close everything and exit 0.
'use strict';

const crypto = require('crypto');
const path = require('path');
const { controller, dropped, parseOptions, renewWindow, sendJson: send, serve, takeFault } = require('./fakelib');

const modules = path.join(__dirname, '..', 'node_modules');
const { AppBskyFeedPost, RichText } = require(path.join(modules, '@atproto', 'api'));
const { isValidTid } = require(path.join(modules, '@atproto', 'syntax'));
const { cidForRawBytes } = require(path.join(modules, '@atproto', 'lex-data'));

const USAGE =
	'usage: node bsky.js --port-file FILE --identifier HANDLE --password APP_PASSWORD [--http-port N] ' +
	'[--did DID] [--access-ttl-s N] [--points N] [--verbose]';

const ROUTES = `routes:
  POST /xrpc/com.atproto.server.createSession   {identifier, password}
  POST /xrpc/com.atproto.server.refreshSession  (Bearer refresh token)
  POST /xrpc/com.atproto.repo.createRecord      (Bearer access token) {repo, collection, rkey, validate, record}
  GET  /xrpc/com.atproto.repo.getRecord?repo=&collection=&rkey=
  POST /xrpc/com.atproto.repo.deleteRecord      (Bearer access token) {repo, collection, rkey}
  GET  /xrpc/com.atproto.repo.listRecords?repo=&collection=&limit=
control:
  POST /_fault    a fault or an array of them, queued, each for the next "count" (default 1)
                  requests matching "match" ("METHOD /path-prefix", default every XRPC one):
                    {"kind":"status","status":503}    that status, {"error":"InternalServerError"}
                    {"kind":"rate","reset":T}         429 with the points exhausted until T
                    {"kind":"drop"}                   acts, then closes without answering
                    {"kind":"after","status":400,"error":"RecordAlreadyExists"}
                                                      acts, then answers that status
  POST /_chaos    {"probability":P,"seed":N,"faults":[...]}: random faults (P 0 stops)
  POST /_expire   every access token issued so far is expired
  POST /_revoke   every session is revoked: its access token expired, its refresh token refused
  GET  /_stats    {"createSession":N,"refreshSession":N,"createRecord":N,...}: requests per route
  GET  /_posts    {"posts":[{rkey,uri,cid,text,record,reply_to,root,deleted}]}, oldest first
  GET  /_requests {"requests":[{method,path,status,fault,error}]}
  POST /_reset    forgets everything`;

const { opts, fail } = parseOptions(process.argv.slice(2),
	{ portFile: null, port: 0, identifier: null, password: null, did: 'did:plc:incluinfo2026fakepds',
		accessTtl: 7200, points: 5000, verbose: false },
	{ '--port-file': ['portFile', 'string'], '--http-port': ['port', 'count'],
		'--identifier': ['identifier', 'string'], '--password': ['password', 'string'],
		'--did': ['did', 'string'], '--access-ttl-s': ['accessTtl', 'count'],
		'--points': ['points', 'count'], '--verbose': ['verbose', 'flag'] },
	'bsky.js', USAGE, ROUTES);
if (!opts.portFile) fail('--port-file is required');
if (!opts.identifier || !opts.password) fail('--identifier and --password are required');

const HANDLE = opts.identifier.startsWith('did:') ? 'incluinfo.bsky.social' : opts.identifier;
const COLLECTION = 'app.bsky.feed.post';
const POINTS_WINDOW_S = 3600;

function freshState() {
	return { posts: [], requests: [], faults: [], chaos: null, stats: {}, logins: [],
		access: new Map(), refresh: new Set(), expiredBefore: 0,
		points: { remaining: opts.points, reset: 0 } };
}
let state = freshState();

// --- sessions ------------------------------------------------------------------------------

const b64url = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

function issueSession() {
	const now = Math.floor(Date.now() / 1000);
	const access = [b64url({ typ: 'at+jwt', alg: 'HS256' }),
		b64url({ scope: 'com.atproto.appPass', sub: opts.did, iat: now, exp: now + opts.accessTtl,
			jti: crypto.randomBytes(12).toString('base64url') }), crypto.randomBytes(24).toString('base64url')].join('.');
	const refresh = [b64url({ typ: 'refresh+jwt', alg: 'HS256' }),
		b64url({ scope: 'com.atproto.refresh', sub: opts.did, iat: now, exp: now + 90 * 86400,
			jti: crypto.randomBytes(12).toString('base64url') }), crypto.randomBytes(24).toString('base64url')].join('.');
	state.access.set(access, { issued: Date.now(), exp: (now + opts.accessTtl) * 1000 });
	state.refresh.add(refresh);
	return { accessJwt: access, refreshJwt: refresh, handle: HANDLE, did: opts.did, active: true };
}

const bearer = (req) => (req.headers.authorization || '').replace(/^Bearer /, '');

// null when the access token is good, else [status, body]
function checkAccess(req) {
	const token = bearer(req);
	if (!token) return [401, { error: 'AuthMissing', message: 'Authentication Required' }];
	const t = state.access.get(token);
	if (!t) return [401, { error: 'InvalidToken', message: 'Token could not be verified' }];
	if (t.exp <= Date.now() || t.issued <= state.expiredBefore)
		return [400, { error: 'ExpiredToken', message: 'Token has expired' }];
	return null;
}

function createSession(params) {
	const now = Date.now();
	state.logins = state.logins.filter((t) => t > now - 86400e3);
	const recent = state.logins.filter((t) => t > now - 300e3).length;
	if (recent >= 30 || state.logins.length >= 300)
		return [429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }];
	state.logins.push(now);
	const who = params && params.identifier;
	if ((who !== opts.identifier && who !== opts.did && who !== HANDLE) || params.password !== opts.password)
		return [401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' }];
	return [200, issueSession()];
}

function refreshSession(req) {
	const token = bearer(req);
	if (!state.refresh.has(token)) return [400, { error: 'ExpiredToken', message: 'Token has been revoked' }];
	state.refresh.delete(token);
	return [200, issueSession()];
}

// --- the checks on a record ---------------------------------------------------------------------

// The official app's toShortUrl() (social-app, src/lib/strings/url-helpers.ts).
function toShortUrl(url) {
	try {
		const u = new URL(url);
		if (u.protocol !== 'http:' && u.protocol !== 'https:') return url;
		const rest = (u.pathname === '/' ? '' : u.pathname) + u.search + u.hash;
		return rest.length > 15 ? u.host + rest.slice(0, 13) + '...' : u.host + rest;
	} catch {
		return url;
	}
}

// What the app posts for text: its facets detected, then every link shortened (shortenLinks()).
function asTheAppPosts(text) {
	const rt = new RichText({ text });
	rt.detectFacetsWithoutResolution();
	for (const facet of rt.facets || []) {
		if (!facet.features.some((f) => f.$type === 'app.bsky.richtext.facet#link')) continue;
		const { byteStart, byteEnd } = facet.index;
		const url = rt.unicodeText.slice(byteStart, byteEnd);
		const short = toShortUrl(url);
		const shortBytes = Buffer.byteLength(short);
		rt.insert(byteStart, short);
		facet.index.byteStart = byteStart;
		facet.index.byteEnd = byteStart + shortBytes;
		rt.delete(byteStart + shortBytes, byteEnd + shortBytes);
	}
	const facets = (rt.facets || []).filter((f) => f.features[0].$type !== 'app.bsky.richtext.facet#mention');
	return { text: rt.text, facets };
}

const facetKey = (f) => JSON.stringify([f.index.byteStart, f.index.byteEnd,
	...f.features.map((x) => [x.$type, x.uri ?? x.tag ?? x.did])]);

// Whether shown is a bare domain as written (the app detects it as a link to uri, whole),
// not a link written with its scheme and shortened.
function writtenBare(shown, uri) {
	const rt = new RichText({ text: shown });
	rt.detectFacetsWithoutResolution();
	return (rt.facets || []).some((f) => f.index.byteStart === 0 && f.index.byteEnd === Buffer.byteLength(shown) &&
		f.features[0].uri === uri);
}

// Why the record's text and facets are not what the app would post, or null.
function facetProblem(record) {
	const bytes = Buffer.from(record.text);
	const facets = record.facets || [];
	for (const f of facets) {
		const { byteStart, byteEnd } = f.index;
		if (!(byteStart >= 0 && byteStart < byteEnd && byteEnd <= bytes.length))
			return `facet [${byteStart}, ${byteEnd}) outside the text's ${bytes.length} bytes`;
		try {
			new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(byteStart, byteEnd));
		} catch {
			return `facet [${byteStart}, ${byteEnd}) cuts a character`;
		}
	}
	// the text as written: every shortened link's full URI put back
	const links = facets.filter((f) => f.features[0].$type === 'app.bsky.richtext.facet#link')
		.sort((a, b) => b.index.byteStart - a.index.byteStart);
	let written = bytes;
	for (const f of links) {
		const shown = written.subarray(f.index.byteStart, f.index.byteEnd).toString();
		const uri = f.features[0].uri;
		if (shown === uri || writtenBare(shown, uri)) continue;
		written = Buffer.concat([written.subarray(0, f.index.byteStart), Buffer.from(uri), written.subarray(f.index.byteEnd)]);
	}
	const want = asTheAppPosts(written.toString());
	if (want.text !== record.text) return `the app would show ${JSON.stringify(want.text)}`;
	const got = facets.map(facetKey).sort().join('|'), expected = want.facets.map(facetKey).sort().join('|');
	return got === expected ? null : `facets ${got || 'none'}, the app's ${expected || 'none'}`;
}

const live = (rkey) => state.posts.find((p) => p.rkey === rkey && !p.deleted);
const rkeyOf = (uri) => (uri || '').split('/').pop();

function replyProblem(reply) {
	if (!reply) return null;
	const parent = live(rkeyOf(reply.parent.uri)), root = live(rkeyOf(reply.root.uri));
	if (!parent || parent.uri !== reply.parent.uri) return `reply.parent ${reply.parent.uri} does not exist`;
	if (!root || root.uri !== reply.root.uri) return `reply.root ${reply.root.uri} does not exist`;
	if (parent.cid !== reply.parent.cid) return 'reply.parent: another cid';
	if (root.cid !== reply.root.cid) return 'reply.root: another cid';
	const parentRoot = parent.record.reply ? parent.record.reply.root.uri : parent.uri;
	return parentRoot === reply.root.uri ? null : `reply.root is not the parent's root ${parentRoot}`;
}

async function createRecord(params) {
	if (!params || (params.repo !== opts.did && params.repo !== HANDLE))
		return [400, { error: 'InvalidRequest', message: 'Invalid repo' }];
	if (params.collection !== COLLECTION) return [400, { error: 'InvalidRequest', message: 'Invalid collection' }];
	if (!isValidTid(params.rkey || '')) return [400, { error: 'InvalidRequest', message: `Invalid TID: ${params.rkey}` }];
	if (params.validate !== true) return [400, { error: 'InvalidRequest', message: 'incluinfo asks for validate: true' }];
	const record = params.record;
	const valid = AppBskyFeedPost.validateRecord(record || {});
	if (!valid.success || record.$type !== COLLECTION)
		return [400, { error: 'InvalidRecord', message: String(valid.error || 'Invalid $type') }];
	if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(record.createdAt))
		return [400, { error: 'InvalidRequest', message: `createdAt ${record.createdAt}: not UTC with milliseconds` }];
	if (!Array.isArray(record.langs) || !record.langs.length)
		return [400, { error: 'InvalidRequest', message: 'no langs' }];
	const problem = facetProblem(record) || replyProblem(record.reply);
	if (problem) return [400, { error: 'InvalidRequest', message: problem }];
	if (state.posts.some((p) => p.rkey === params.rkey))
		return [500, { error: 'InternalServerError', message: 'Internal Server Error' }];
	const cid = (await cidForRawBytes(Buffer.from(JSON.stringify(record)))).toString();
	const uri = `at://${opts.did}/${COLLECTION}/${params.rkey}`;
	state.posts.push({ rkey: params.rkey, uri, cid, text: record.text, record,
		reply_to: record.reply ? record.reply.parent.uri : null,
		root: record.reply ? record.reply.root.uri : null, deleted: false });
	return [200, { uri, cid, commit: { cid, rev: params.rkey }, validationStatus: 'valid' }];
}

function getRecord(q) {
	const p = q.get('collection') === COLLECTION && [opts.did, HANDLE].includes(q.get('repo')) && live(q.get('rkey'));
	if (!p) return [400, { error: 'RecordNotFound', message: `Could not locate record: at://${q.get('repo')}/${q.get('collection')}/${q.get('rkey')}` }];
	return [200, { uri: p.uri, cid: p.cid, value: p.record }];
}

function deleteRecord(params) {
	if (!params || (params.repo !== opts.did && params.repo !== HANDLE))
		return [400, { error: 'InvalidRequest', message: 'Invalid repo' }];
	const p = live(params.rkey);
	if (p) p.deleted = true;
	return [200, { commit: { cid: p ? p.cid : '', rev: params.rkey } }];
}

// --- serving -------------------------------------------------------------------------------

function pointHeaders() {
	const w = renewWindow(state.points, opts.points, POINTS_WINDOW_S);
	return { 'ratelimit-limit': String(opts.points), 'ratelimit-remaining': String(Math.max(w.remaining, 0)),
		'ratelimit-reset': String(w.reset), 'ratelimit-policy': `${opts.points};w=${POINTS_WINDOW_S}` };
}


const WRITE_COST = { 'com.atproto.repo.createRecord': 3, 'com.atproto.repo.deleteRecord': 1 };

async function xrpc(req, res, url, body) {
	if (!url.pathname.startsWith('/xrpc/')) return send(res, 404, { error: 'NotFound' });
	const method = req.method;
	const nsid = url.pathname.slice('/xrpc/'.length);
	const log = { method, path: url.pathname, status: 0, fault: null, error: null };
	state.requests.push(log);
	state.stats[nsid] = (state.stats[nsid] || 0) + 1;
	let params = null;
	try { params = body ? JSON.parse(body) : null; } catch { params = null; }
	const headers = pointHeaders();
	const fault = takeFault(state, method, url.pathname);
	if (fault) log.fault = fault.kind;
	const answer = (status, json, h = headers) => {
		log.status = status;
		log.error = json.error || null;
		return send(res, status, json, h);
	};
	if (fault && fault.kind === 'status')
		return answer(fault.status, { error: fault.error || 'InternalServerError', message: 'Simulated failure' });
	if (fault && fault.kind === 'rate') {
		state.points.remaining = 0;
		state.points.reset = fault.reset;
		return answer(429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }, pointHeaders());
	}
	let result;
	const cost = WRITE_COST[nsid] || 0;
	if (method === 'POST' && nsid === 'com.atproto.server.createSession') result = createSession(params);
	else if (method === 'POST' && nsid === 'com.atproto.server.refreshSession') result = refreshSession(req);
	else if (method === 'GET' && nsid === 'com.atproto.repo.getRecord') result = getRecord(url.searchParams);
	else if (method === 'GET' && nsid === 'com.atproto.repo.listRecords')
		result = [200, { records: state.posts.filter((p) => !p.deleted).slice().reverse()
			.slice(0, Math.min(Number(url.searchParams.get('limit') || 50), 100))
			.map((p) => ({ uri: p.uri, cid: p.cid, value: p.record })) }];
	else if (cost) {
		result = checkAccess(req);
		if (!result && state.points.remaining < cost)
			result = [429, { error: 'RateLimitExceeded', message: 'Rate Limit Exceeded' }];
		if (!result) {
			result = nsid === 'com.atproto.repo.createRecord' ? await createRecord(params) : deleteRecord(params);
			if (result[0] === 200) state.points.remaining -= cost;
		}
	} else result = [501, { error: 'MethodNotImplemented', message: 'Method Not Implemented' }];
	if (dropped(fault, req, log)) return undefined;
	if (fault && fault.kind === 'after')
		return answer(fault.status, { error: fault.error, message: 'Simulated refusal after the write' });
	return answer(result[0], result[1], { ...headers, ...pointHeaders() });
}

const control = controller(() => state, () => { state = freshState(); }, (route) => {
	if (route === 'POST /_expire' || route === 'POST /_revoke') {
		state.expiredBefore = Date.now();
		if (route === 'POST /_revoke') state.refresh.clear();
		return [200, {}];
	}
	if (route === 'GET /_stats') return [200, state.stats];
	return undefined;
});

serve(opts, control, xrpc);
