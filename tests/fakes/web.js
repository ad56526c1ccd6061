#!/usr/bin/env node
// A scripted web server for incluinfo's command-line tests, the demo and the benchmark.
//
//   node tests/fakes/web.js --port-file FILE [--http-port N] [--tls NAME[:PORT]:CERT:KEY ...]
//                           [--keep-alive] [--verbose]
//
// Listens on 127.0.0.1: one plain HTTP listener and one HTTPS listener per --tls, each
// with its own certificate, on ports chosen by the OS unless given. When every listener
// is up it writes {"http":PORT,"tls":{"NAME":PORT,...}} to FILE (atomically: a temporary
// file renamed), so that shell scripts can wait for FILE. Every listener serves the same
// routes (see ROUTES below). Responses carry "Connection: close" unless --keep-alive.
// Nothing is printed unless --verbose. SIGTERM and SIGINT close everything and exit 0.
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const path = require('path');
const zlib = require('zlib');

const USAGE =
	'usage: node web.js --port-file FILE [--http-port N] [--tls NAME[:PORT]:CERT:KEY ...] ' +
	'[--keep-alive] [--verbose]';

const ROUTES = `routes:
  /status/CODE            that status, body "status CODE"
  /delay/MS[/CODE]        waits MS ms, then CODE (default 200)
  /body?text=TEXT         200, an HTML page containing TEXT
  /html/NAME              a canned HTML page: NAMES
  /redirect/N             a chain of N 302 hops ending at /status/200 (query kept)
  /redirect-to?url=URL    302 to URL, wherever it is
  /seq/NAME?steps=S,S...  the k-th request to NAME gets step k, the last one repeats;
                          a step is CODE, dMS, dMS:CODE, maint, reset or hang
  /seq-reset[/NAME]       resets every counter (or NAME's)
  /hang                   never answers
  /reset                  closes the connection without answering
  /big/KB[?head=T&tail=T] 200, a body of KB KiB (streamed), T at its start or end
  /gzip/NAME              the canned page NAME gzip-compressed (Content-Encoding: gzip),
                          whatever the request's Accept-Encoding
  /gzip-big/KB?tail=T     200, KB KiB of spaces then T, gzip-compressed (a small answer
                          that decodes to much more: a compression bomb)
  /heavy/SHAPE/KB         200, an HTML page of about KB KiB: SHAPE normal (many ordinary
                          elements) or attrs (one element with as many attributes)
  /echo                   200, the request's method, target and headers as text
  /_stats                 request counts: {"total","paths","urls","methods"}
  /_stats/reset           forgets the counts`;

function fail(message) {
	process.stderr.write(`web.js: error: ${message}\n${USAGE}\n`);
	process.exit(64);
}

function parseArgs(argv) {
	const opts = { portFile: null, httpPort: 0, tls: [], keepAlive: false, verbose: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			if (i + 1 >= argv.length) fail(`option '${arg}' needs an argument`);
			return argv[++i];
		};
		if (arg === '--port-file') opts.portFile = value();
		else if (arg === '--http-port') opts.httpPort = port(value());
		else if (arg === '--tls') opts.tls.push(tlsSpec(value()));
		else if (arg === '--keep-alive') opts.keepAlive = true;
		else if (arg === '--verbose' || arg === '-v') opts.verbose = true;
		else if (arg === '--help' || arg === '-h') {
			process.stdout.write(`${USAGE}\n\n${ROUTES.replace('NAMES', Object.keys(PAGES).join(', '))}\n`);
			process.exit(0);
		} else fail(`unknown option '${arg}'`);
	}
	if (!opts.portFile) fail('--port-file is required');
	return opts;
}

function port(text) {
	const n = Number(text);
	if (!/^\d+$/.test(text) || n > 65535) fail(`invalid port '${text}'`);
	return n;
}

// NAME:CERT:KEY; NAME:PORT:CERT:KEY fixes the port too.
function tlsSpec(text) {
	const parts = text.split(':');
	if (parts.length === 4) return { name: parts[0], port: port(parts[1]), cert: parts[2], key: parts[3] };
	if (parts.length === 3) return { name: parts[0], port: 0, cert: parts[1], key: parts[2] };
	fail(`invalid --tls '${text}': expected NAME:CERT:KEY`);
}

// Canned pages for text and XPath checks.
const PAGES = {
	ok: page('Sede Electrónica - Seguridad Social',
		'<div id="estado">operativo</div><p>Bienvenido a la Sede Electrónica de la Seguridad Social.</p>'),
	maintenance: page('Sede Electrónica - Seguridad Social',
		'<div id="estado">mantenimiento</div><p>La Sede Electrónica está en mantenimiento. Disculpe las molestias.</p>'),
	error: page('Error', '<div id="estado">error</div><p>Se ha producido un error.</p>'),
	// not well-formed: libxml2's HTML parser must still find the div
	sloppy: '<html><head><title>Seguridad Social</title><body><p>sin cerrar<div id=estado>operativo</div><p>otro',
	empty: '',
};

function page(title, body) {
	return `<!DOCTYPE html>\n<html lang="es">\n<head><meta charset="utf-8"><title>${title}</title></head>\n` +
		`<body>\n${body}\n</body>\n</html>\n`;
}

const MAINTENANCE = PAGES.maintenance;

// --- state shared by every listener -------------------------------------------------------

const counters = new Map(); // /seq/ NAME -> requests seen
let stats = newStats();

function newStats() {
	return { total: 0, paths: {}, urls: {}, methods: {} };
}

function count(req, pathname) {
	stats.total++;
	for (const [table, key] of [['paths', pathname], ['urls', req.url], ['methods', `${req.method} ${req.url}`]])
		stats[table][key] = (stats[table][key] || 0) + 1;
}

// --- responses ----------------------------------------------------------------------------

function send(res, status, body, type = 'text/html; charset=utf-8', headers = {}) {
	if (res.destroyed || res.headersSent) return;
	const buf = Buffer.from(body, 'utf8');
	res.writeHead(status, { 'Content-Type': type, 'Content-Length': buf.length, ...headers });
	res.end(buf);
}

// A compressed answer: servers do this even unasked, so the request is not looked at.
function sendGzip(res, plain) {
	const body = zlib.gzipSync(plain);
	res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'gzip',
		'Content-Length': body.length });
	res.end(body);
}

function sendStatus(res, code) {
	send(res, code, `status ${code}\n`);
}

function later(res, ms, fn) {
	const timer = setTimeout(fn, ms);
	// a client that gives up cancels the answer
	res.on('close', () => clearTimeout(timer));
}

function validCode(text) {
	const n = Number(text);
	return /^\d{3}$/.test(text) && n >= 100 && n <= 599 ? n : null;
}

function resetConnection(req) {
	req.socket.destroy();
}

// Streams KB KiB: head text, filler, tail text; respects back-pressure, stops when the
// client goes away.
function sendBig(res, kib, head, tail) {
	const total = kib * 1024;
	const filler = Buffer.alloc(64 * 1024, 'x');
	const headBuf = Buffer.from(head, 'utf8');
	const tailBuf = Buffer.from(tail, 'utf8');
	const middle = total - headBuf.length - tailBuf.length;
	if (middle < 0) return send(res, 400, 'head and tail do not fit\n', 'text/plain');
	res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': total });
	let left = middle;
	let headSent = false;
	const pump = () => {
		if (!headSent) {
			headSent = true;
			if (!res.write(headBuf)) return res.once('drain', pump);
		}
		while (left > 0) {
			const chunk = left >= filler.length ? filler : filler.subarray(0, left);
			left -= chunk.length;
			if (!res.write(chunk)) return res.once('drain', pump);
		}
		res.end(tailBuf);
	};
	res.on('error', () => {});
	pump();
}

// One /seq/ step: CODE, dMS, dMS:CODE, maint, reset or hang.
function runStep(req, res, step) {
	let m;
	if (step === 'maint') return send(res, 200, MAINTENANCE);
	if (step === 'reset') return resetConnection(req);
	if (step === 'hang') return;
	if ((m = /^d(\d+)(?::(\d+))?$/.exec(step))) {
		const code = m[2] === undefined ? 200 : validCode(m[2]);
		if (code === null) return send(res, 400, `invalid step '${step}'\n`, 'text/plain');
		return later(res, Number(m[1]), () => sendStatus(res, code));
	}
	const code = validCode(step);
	if (code === null) return send(res, 400, `invalid step '${step}'\n`, 'text/plain');
	sendStatus(res, code);
}

function route(req, res, url) {
	const parts = url.pathname.split('/').filter(Boolean);
	const q = url.searchParams;
	let code;
	switch (parts[0]) {
	case 'status':
		if (parts.length === 2 && (code = validCode(parts[1])) !== null) return sendStatus(res, code);
		break;
	case 'delay': {
		const ms = Number(parts[1]);
		code = parts.length === 3 ? validCode(parts[2]) : 200;
		if (/^\d+$/.test(parts[1] || '') && parts.length <= 3 && code !== null)
			return later(res, ms, () => sendStatus(res, code));
		break;
	}
	case 'body':
		if (parts.length === 1)
			return send(res, 200, page('Seguridad Social', `<p>${q.get('text') || ''}</p>`));
		break;
	case 'html':
		if (parts.length === 2 && Object.prototype.hasOwnProperty.call(PAGES, parts[1]))
			return send(res, 200, PAGES[parts[1]]);
		break;
	case 'redirect': {
		const n = Number(parts[1]);
		if (parts.length === 2 && /^\d+$/.test(parts[1])) {
			if (n === 0) return sendStatus(res, 200);
			const next = n > 1 ? `/redirect/${n - 1}` : '/status/200';
			return send(res, 302, `redirect to ${next}\n`, 'text/plain', { Location: next + url.search });
		}
		break;
	}
	case 'redirect-to':
		if (parts.length === 1 && q.get('url'))
			return send(res, 302, 'moved\n', 'text/plain', { Location: q.get('url') });
		break;
	case 'seq':
		if (parts.length === 2) {
			const steps = (q.get('steps') || '200').split(',').map((s) => s.trim());
			const k = counters.get(parts[1]) || 0;
			counters.set(parts[1], k + 1);
			return runStep(req, res, steps[Math.min(k, steps.length - 1)]);
		}
		break;
	case 'seq-reset':
		if (parts.length === 1) counters.clear();
		else counters.delete(parts[1]);
		return send(res, 200, 'reset\n', 'text/plain');
	case 'hang':
		return; // the socket stays open until the client gives up or we exit
	case 'reset':
		return resetConnection(req);
	case 'big':
		if (parts.length === 2 && /^\d+$/.test(parts[1]))
			return sendBig(res, Number(parts[1]), q.get('head') || '', q.get('tail') || '');
		break;
	case 'gzip':
		if (parts.length === 2 && Object.prototype.hasOwnProperty.call(PAGES, parts[1]))
			return sendGzip(res, Buffer.from(PAGES[parts[1]], 'utf8'));
		break;
	case 'gzip-big':
		if (parts.length === 2 && /^\d+$/.test(parts[1])) {
			const tail = Buffer.from(q.get('tail') || '', 'utf8');
			return sendGzip(res, Buffer.concat([Buffer.alloc(Number(parts[1]) * 1024, ' '), tail]));
		}
		break;
	case 'heavy': {
		const unit = { normal: (i) => `<p class="c${i}">Texto <b>${i}</b></p>\n`, attrs: (i) => ` a${i}=x` }[parts[1]];
		if (parts.length === 3 && unit && /^\d+$/.test(parts[2])) {
			const chunks = [];
			for (let i = 0, n = 0; n < Number(parts[2]) * 1024; i++) n += chunks[chunks.push(unit(i)) - 1].length;
			const body = parts[1] === 'attrs' ? `<div id="estado"${chunks.join('')}>operativo</div>` : chunks.join('');
			return send(res, 200, page('Seguridad Social', body + '<div id="estado">operativo</div>'));
		}
		break;
	}
	case 'echo': {
		const lines = [`${req.method} ${req.url}`];
		for (let i = 0; i < req.rawHeaders.length; i += 2)
			lines.push(`${req.rawHeaders[i].toLowerCase()}: ${req.rawHeaders[i + 1]}`);
		return send(res, 200, lines.join('\n') + '\n', 'text/plain; charset=utf-8');
	}
	case '_stats':
		if (parts[1] === 'reset') stats = newStats();
		return send(res, 200, JSON.stringify(stats) + '\n', 'application/json');
	}
	send(res, 404, `no route for ${url.pathname}\n`, 'text/plain');
}

// --- listeners ----------------------------------------------------------------------------

function main() {
	const opts = parseArgs(process.argv.slice(2));
	const sockets = new Set();

	const handler = (req, res) => {
		const url = new URL(req.url, 'http://127.0.0.1');
		// the counters never count themselves
		if (!url.pathname.startsWith('/_stats')) count(req, url.pathname);
		if (opts.verbose) process.stdout.write(`${new Date().toISOString()} ${req.method} ${req.url}\n`);
		if (!opts.keepAlive) res.setHeader('Connection', 'close');
		route(req, res, url);
	};

	const listeners = [{ name: null, server: http.createServer(handler), port: opts.httpPort }];
	for (const t of opts.tls) {
		let options;
		try {
			options = { cert: fs.readFileSync(t.cert), key: fs.readFileSync(t.key) };
		} catch (err) {
			fail(`--tls ${t.name}: ${err.message}`);
		}
		listeners.push({ name: t.name, server: https.createServer(options, handler), port: t.port });
	}

	for (const l of listeners) {
		const s = l.server;
		s.requestTimeout = 0; // /hang hangs for as long as the client waits
		s.keepAliveTimeout = 1000;
		s.on('connection', (sock) => {
			sockets.add(sock);
			sock.on('close', () => sockets.delete(sock));
		});
		// a client that closes mid-handshake or mid-request is normal here
		s.on('clientError', (err, sock) => sock.destroy());
		s.on('tlsClientError', () => {});
		s.on('error', (err) => {
			process.stderr.write(`web.js: error: cannot listen on 127.0.0.1:${l.port}: ${err.message}\n`);
			process.exit(1);
		});
	}

	let waiting = listeners.length;
	for (const l of listeners) {
		l.server.listen({ host: '127.0.0.1', port: l.port, backlog: 1024 }, () => {
			l.port = l.server.address().port;
			if (--waiting === 0) writePorts(opts, listeners);
		});
	}

	const stop = () => {
		for (const l of listeners) l.server.close();
		for (const sock of sockets) sock.destroy();
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

function writePorts(opts, listeners) {
	const ports = { http: listeners[0].port, tls: {} };
	for (const l of listeners.slice(1)) ports.tls[l.name] = l.port;
	const tmp = path.join(path.dirname(opts.portFile), `.${path.basename(opts.portFile)}.${process.pid}.tmp`);
	fs.writeFileSync(tmp, JSON.stringify(ports) + '\n');
	fs.renameSync(tmp, opts.portFile);
	if (opts.verbose) process.stdout.write(`listening: ${JSON.stringify(ports)}\n`);
}

main();
