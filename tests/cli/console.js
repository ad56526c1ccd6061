// The review console in a real browser (issue 15): headless Chromium driven by
// puppeteer-core, through a stand-in for the ministry's sign-in proxy.
//
//   node console.js SERVE_URL DRAFT_ID SCREENSHOT_DIR
//
// SERVE_URL is `incluinfo serve` listening on 127.0.0.1, whose [serve] proxies is only
// 127.0.0.2: each person's proxy here connects from 127.0.0.2 and sets X-Remote-User
// (dropping any the browser sent), as an authenticating reverse proxy does, while a
// direct request from 127.0.0.1 is a forgery. DRAFT_ID is a pending draft written by
// Lucía (login lucia) with markup in its title and a revision. Prints one line per
// failed check on stderr and exits 1 when any failed; screenshots of every page go to
// SCREENSHOT_DIR, and axe-core judges each page.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const puppeteer = require('puppeteer-core');
const axeSource = require('axe-core').source;

const [serveUrl, draftId, shots] = process.argv.slice(2);
const target = new URL(serveUrl);
const TITLE = '<script>alert("x")</script> & <b>Cita</b> previa';
const failures = [];
const check = (ok, what) => {
	if (!ok) failures.push(what);
};

// The sign-in proxy of one person: every request reaches serve from 127.0.0.2 with the
// person's login in X-Remote-User, whatever the browser sent.
function signInProxy(login) {
	const server = http.createServer((req, res) => {
		const headers = {...req.headers};
		for (const name of Object.keys(headers))
			if (name.toLowerCase() === 'x-remote-user') delete headers[name];
		headers['x-remote-user'] = login;
		headers.host = target.host;
		const up = http.request({host: target.hostname, port: target.port, method: req.method,
			path: req.url, headers, localAddress: '127.0.0.2'}, (r) => {
			res.writeHead(r.statusCode, r.headers);
			r.pipe(res);
		});
		up.on('error', (e) => {
			res.writeHead(502);
			res.end(String(e));
		});
		req.pipe(up);
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// A plain request (no browser): {status, headers, body}.
function request(url, {method = 'GET', headers = {}, body = null, localAddress} = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const req = http.request({host: u.hostname, port: u.port, path: u.pathname, method,
			headers, localAddress}, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (d) => (text += d));
			res.on('end', () => resolve({status: res.statusCode, headers: res.headers, body: text}));
		});
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}

async function axeCheck(page, name) {
	await page.evaluate(axeSource);
	const result = await page.evaluate(() => axe.run());
	for (const v of result.violations)
		if (v.impact === 'serious' || v.impact === 'critical')
			failures.push(`axe on ${name}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes)`);
}

// Opens path as the page's person, checks the security headers, saves a screenshot and
// runs axe-core; returns the response.
async function visit(page, base, urlPath, name) {
	const res = await page.goto(base + urlPath, {waitUntil: 'load'});
	const h = res.headers();
	check(/default-src 'none'/.test(h['content-security-policy'] || ''), `${name}: no strict CSP`);
	check(h['x-content-type-options'] === 'nosniff', `${name}: no nosniff`);
	check(h['referrer-policy'] === 'no-referrer', `${name}: no Referrer-Policy`);
	await page.screenshot({path: path.join(shots, `${name}.png`), fullPage: true});
	await axeCheck(page, name);
	return res;
}

const auditText = (page) =>
	page.$$eval('h2 + ol li', (items) => items.map((li) => li.textContent).join('\n'));

async function main() {
	fs.mkdirSync(shots, {recursive: true});
	const lucia = await signInProxy('lucia'), ana = await signInProxy('ana');
	const base = (p) => `http://127.0.0.1:${p.address().port}`;

	// a forged header straight to serve, not from a proxy address, is refused
	const forged = await request(`${serveUrl}/`, {headers: {'X-Remote-User': 'ana'}});
	check(forged.status === 403, `forged header from 127.0.0.1: ${forged.status}, expected 403`);
	check(!forged.body.includes('Ana Gil'), 'forged header: the page names the person');
	// from a proxy address but without the header, or with a login nobody has
	const bare = await request(`${serveUrl}/`, {localAddress: '127.0.0.2'});
	check(bare.status === 403, `proxy request without the header: ${bare.status}, expected 403`);
	const stranger = await request(`${serveUrl}/`,
		{localAddress: '127.0.0.2', headers: {'X-Remote-User': 'mallory'}});
	check(stranger.status === 403, `unknown web login: ${stranger.status}, expected 403`);
	// GET never changes anything
	const get = await request(`${base(ana)}/drafts/${draftId}/approve`);
	check(get.status === 405, `GET of approve: ${get.status}, expected 405`);

	const browser = await puppeteer.launch({executablePath: '/usr/bin/chromium', headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']});
	try {
		// Lucía, the author: the list, the draft, its title as text, the changes
		const lp = await (await browser.createBrowserContext()).newPage();
		await lp.setViewport({width: 390, height: 844}); // a phone
		await visit(lp, base(lucia), '/', 'drafts');
		check((await lp.$$eval(`a[href="/drafts/${draftId}"]`, (a) => a.length)) === 1,
			'the drafts page does not link the pending draft');
		await visit(lp, base(lucia), `/drafts/${draftId}`, 'draft');
		check((await lp.$eval('h1', (h) => h.textContent)) === TITLE,
			'the title is not shown as the text it is');
		check((await lp.$$eval('script, b', (n) => n.length)) === 0,
			'the title\'s markup became elements of the page');
		check((await lp.$$eval('.length', (n) => n.map((x) => x.textContent)))
			.every((t) => / of 280 /.test(t)), 'a post without its length and limit');
		check((await lp.$$eval('.diff ins, .diff del', (n) => n.length)) > 0,
			'no changes since the previous version shown');
		// the author approving their own notice is refused under the two-person rule
		await Promise.all([lp.waitForNavigation(), lp.click('form[action$="/approve"] button')]);
		check((await lp.$eval('.notice', (n) => n.textContent)).includes('two-person rule'),
			'the author\'s own approval is not refused with the two-person rule');
		check(!(await auditText(lp)).includes('approved'), 'the author\'s approval is in the trail');
		await lp.screenshot({path: path.join(shots, 'draft-refused.png'), fullPage: true});

		// a form without its CSRF token is refused, with the session cookie and all
		const cookies = (await lp.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
		const noToken = await request(`${base(lucia)}/drafts/${draftId}/reject`, {method: 'POST',
			headers: {'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookies},
			body: 'reason=forged'});
		check(noToken.status === 403, `POST without the CSRF token: ${noToken.status}, expected 403`);
		const token = await lp.$eval('input[name=csrf]', (i) => i.value);
		const noCookie = await request(`${base(lucia)}/drafts/${draftId}/reject`, {method: 'POST',
			headers: {'Content-Type': 'application/x-www-form-urlencoded'},
			body: `csrf=${token}&reason=forged`});
		check(noCookie.status === 403, `POST without the session cookie: ${noCookie.status}, expected 403`);
		await lp.reload();
		check(!(await auditText(lp)).includes('rejected'), 'a forged form rejected the draft');

		// Ana, another approver: approves, and the trail says who and how
		const ap = await (await browser.createBrowserContext()).newPage();
		await ap.goto(`${base(ana)}/drafts/${draftId}`);
		await Promise.all([ap.waitForNavigation(), ap.click('form[action$="/approve"] button')]);
		check(ap.url().endsWith(`/drafts/${draftId}`), `after approving: ${ap.url()}`);
		const trail = await auditText(ap);
		check(/approved Ana Gil \[agil\] \(web login ana\)/.test(trail),
			`no audit line of Ana's approval: ${trail}`);
		check((await ap.$eval('dd', (d) => d.textContent)) === 'approved', 'the draft is not approved');
		await visit(ap, base(ana), `/drafts/${draftId}`, 'draft-approved');
		await visit(ap, base(ana), '/incidents', 'incidents');
		check((await ap.$$eval('main h2', (n) => n.length)) > 0, 'the incidents page lists none');
		await visit(ap, base(ana), '/services', 'services');
		check((await ap.$$eval('tbody tr', (n) => n.length)) === 1, 'the services page has no row');
	} finally {
		await browser.close();
		lucia.close();
		ana.close();
	}
}

main().then(
	() => {
		for (const f of failures) console.error(f);
		process.exit(failures.length ? 1 : 0);
	},
	(e) => {
		console.error(e.stack || String(e));
		process.exit(1);
	});
