// What the fake servers of tests/fakes share: options, a seeded generator, the port file.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

// Parses argv against spec, {"--name": [key, kind]} with kind "string", "count" (a whole
// number) or "flag"; defaults are the initial opts. --help prints help and exits 0; an
// error prints it with usage and exits 64.
function parseOptions(argv, opts, spec, name, usage, help) {
	const fail = (message) => {
		process.stderr.write(`${name}: error: ${message}\n${usage}\n`);
		process.exit(64);
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') {
			process.stdout.write(`${usage}\n\n${help}\n`);
			process.exit(0);
		}
		const entry = spec[arg];
		if (!entry) fail(`unknown option '${arg}'`);
		const [key, kind] = entry;
		if (kind === 'flag') {
			opts[key] = true;
			continue;
		}
		if (i + 1 >= argv.length) fail(`option '${arg}' needs an argument`);
		const text = argv[++i];
		if (kind === 'count' && !/^\d+$/.test(text)) fail(`invalid number '${text}' for '${arg}'`);
		opts[key] = kind === 'count' ? Number(text) : text;
	}
	return { opts, fail };
}

// A seeded generator (mulberry32), so that a chaos run can be repeated.
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// Writes {"http":PORT} to file atomically: a test that sees the file sees it whole.
function writePortFile(file, port) {
	const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
	fs.writeFileSync(tmp, JSON.stringify({ http: port }) + '\n');
	fs.renameSync(tmp, file);
}

// The body of req, its first 256 KiB.
function readBody(req) {
	return new Promise((resolve) => {
		let body = '';
		req.on('data', (c) => { if (body.length < 256 * 1024) body += c; });
		req.on('end', () => resolve(body));
	});
}

// Answers status with body as JSON.
function sendJson(res, status, body, headers = {}) {
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	res.end(JSON.stringify(body));
}

// The fault for a request (method, path) from state: the first of state.faults (queued by
// POST /_fault, each {kind, match: "METHOD /path-prefix", count}) that matches, counted
// down, else one of state.chaos.faults with probability state.chaos.probability; null
// when none.
function takeFault(state, method, url) {
	const i = state.faults.findIndex((f) => {
		if (!f.match) return true;
		const [m, prefix] = f.match.split(' ');
		return m === method && url.startsWith(prefix);
	});
	if (i >= 0) {
		const f = state.faults[i];
		if (--f.count <= 0) state.faults.splice(i, 1);
		return f;
	}
	if (state.chaos && state.chaos.probability > 0 && state.chaos.random() < state.chaos.probability) {
		const list = state.chaos.faults;
		return list[Math.floor(state.chaos.random() * list.length)];
	}
	return null;
}

// w, a rate window {remaining, reset (Unix seconds)}, renewed with limit requests for
// seconds more once its reset has passed.
function renewWindow(w, limit, seconds) {
	const nowS = Math.floor(Date.now() / 1000);
	if (nowS >= w.reset) {
		w.remaining = limit;
		w.reset = nowS + seconds;
	}
	return w;
}

// The control routes of faults every fake shares: POST /_fault queues j (a fault or an
// array of them, each for "count" requests, default 1), POST /_chaos sets random faults
// ({probability, seed, faults}). The answer's body, or undefined for another route.
function faultRoute(state, route, j) {
	if (route === 'POST /_fault') {
		for (const f of Array.isArray(j) ? j : [j]) state.faults.push({ count: 1, ...f });
		return { queued: state.faults.length };
	}
	if (route === 'POST /_chaos') {
		state.chaos = { probability: j.probability || 0, faults: j.faults || [], random: prng(j.seed || 1) };
		return {};
	}
	return undefined;
}

// The control handler of a fake, for serve(): own(route, j) first, with route "METHOD /path"
// and j the body as JSON ({} when empty; not JSON: 400), gives [status, answer] for a route
// of the fake's own, else undefined; then the routes every fake has: the faults'
// (faultRoute), GET /_posts and GET /_requests (state().posts, state().requests) and POST
// /_reset (reset() makes a fresh state); any other route is 404.
function controller(state, reset, own) {
	return (req, res, url, body) => {
		let j = {};
		try { j = body ? JSON.parse(body) : {}; } catch { return sendJson(res, 400, { error: 'bad JSON' }); }
		const route = `${req.method} ${url.pathname}`;
		const mine = own(route, j);
		if (mine) return sendJson(res, ...mine);
		const faults = faultRoute(state(), route, j);
		if (faults) return sendJson(res, 200, faults);
		if (route === 'GET /_posts') return sendJson(res, 200, { posts: state().posts });
		if (route === 'GET /_requests') return sendJson(res, 200, { requests: state().requests });
		if (route === 'POST /_reset') {
			reset();
			return sendJson(res, 200, {});
		}
		return sendJson(res, 404, { error: `no such control route ${route}` });
	};
}

// A "drop" fault: the request was acted on, and the connection closes without an answer
// (log.status 0). Whether fault is one.
function dropped(fault, req, log) {
	if (!fault || fault.kind !== 'drop') return false;
	log.status = 0;
	req.socket.destroy();
	return true;
}

// Serves on 127.0.0.1, port opts.port (0: the OS's choice), written to opts.portFile once
// listening: a path under /_ goes to control(req, res, url, body), any other to api (the
// same arguments); each request is logged to stderr with opts.verbose. SIGTERM and SIGINT
// close the server and exit 0.
function serve(opts, control, api) {
	const server = http.createServer(async (req, res) => {
		const url = new URL(req.url, 'http://127.0.0.1');
		const body = await readBody(req);
		if (opts.verbose) process.stderr.write(`${req.method} ${req.url}\n`);
		return (url.pathname.startsWith('/_') ? control : api)(req, res, url, body);
	});
	server.listen(opts.port, '127.0.0.1', () => writePortFile(opts.portFile, server.address().port));
	const stop = () => server.close(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

module.exports = {
	parseOptions, prng, writePortFile, sendJson, takeFault, renewWindow, faultRoute, controller, dropped, serve,
};
