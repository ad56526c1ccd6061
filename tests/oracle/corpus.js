#!/usr/bin/env node
// The differential test's corpus: N strings from a fixed seed, the same on every run and
// every machine (own PRNG, no Math.random). `node corpus.js [N]` prints one JSON string
// literal per line, the input of `incluinfo count --batch`.
'use strict';

function mulberry32(seed) {
	return function () {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = seed;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const SEED = 20261128;

const words = ['hola', 'pensión', 'Seguridad', 'Social', 'información', 'año', 'niño', 'cotización',
	'Ingreso', 'Mínimo', 'Vital', 'bulo', 'FALSO', 'el', 'la', 'de', 'que', 'en', '20 %', '1.200 €',
	'¿Sabías', 'qué?', '¡Atención!', 'sede', 'electrónica', 'test', 'foo', 'bar', 'x'];
const cjk = '的一是不了人我在有他这中大来上国個地到説時日本語中文한국어ひらがなカタカナ';
const emoji = ['😀', '🐱', '☺', '☺️', '❤', '❤️', '👍', '👍🏽', '👍🏿', '🙋🏽', '👨‍🎤', '👨‍👩‍👧‍👦',
	'👩‍❤️‍💋‍👨', '🏳️‍🌈', '🏴‍☠️', '🇪🇸', '🇺🇸', '🇦🇺', '🇿🇿', '1⃣', '1️⃣', '#️⃣', '*⃣', '#⃣',
	'🏴󠁧󠁢󠁥󠁮󠁧󠁿', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🏴󠁧󠁢󠁷󠁬󠁳󠁿', '👁‍🗨', '🧟‍♀️', '🏋️‍♂️', '🏋🏻‍♀️', '👮‍♀️', '👮🏾‍♂️',
	'⛹️‍♀️', '©', '©️', '®️', '™️', '☝', '☝🏻', '✌︎', '❤︎', '\u2764\ufe0e', '🤷‍♂️', '🦸🏼‍♀️',
	'🧑‍🤝‍🧑', '🥰', '🪐', '\ufe0f', '\u200d', '⌚', '↔️', '🈁', '🀄', '🅰️'];
const tlds = ['com', 'es', 'gob.es', 'co', 'org', 'net', 'io', 'co.uk', 'xyz', 'museum', 'local',
	'invalid', 'c', 'comm', 'みんな', 'рф', 'cat', 'eus', 'abc123', 'COM', 'Es'];
const hosts = ['example', 'seg-social', 'sede.seg-social', 'www.boe', 'test', 'a', 'foo-bar',
	'xn--bcher-kva', 'bücher', 'sub.domain.example', '-bad', 'bad-', 'a_b', 'muy.largo.nombre'];
const paths = ['', '/', '/a', '/path/to/page', '/a.html', '/wiki/Foo_(bar)', '/x(y)z', '/(a)',
	'/~user', '/a-b_c', '/%20', '/ñ', '/a,b', '/a!', '/a:b', '/@user', '/a#frag', '/a/', '/Ünï'];
const queries = ['', '?a=1', '?a=1&b=2', '?q=hola+mundo', '?x=(1)', '?', '?a=1.', '?a=b!'];
const punct = ['', '.', ',', '!', '?', ')', '(', ':', ';', '"', "'", '...', '!)', ').', ']', '}'];
const before = ['', ' ', 'a', '@', '#', '$', '.', '/', '(', '"', '¡', 'ñ', '\u200e', '\u200f',
	'\u202a', 'x:', '-', '_', '=', '~'];
const marks = ['\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066',
	'\u2069', '\u200b', '\u00a0', '\u3000', '\t', '\n'];
const bad = ['\ufeff', '\ufffe', '\uffff'];

// Hand-picked cases the random mix reaches rarely: length limits of t.co slugs, labels
// and URLs, punycode and Cyrillic domains, nested parentheses, IDNA separators, long
// texts of emoji, combining marks and Hangul jamo.
function edgeCases() {
	const L=(c,n)=>c.repeat(n);
	return ['http://t.co/'+L('a',41), 'http://t.co/'+L('a',40)+'?x=1!', 'https://'+L('a',63)+'.com', 'https://'+L('a',64)+'.com', 'https://ñ'+L('a',58)+'.com','https://ñ'+L('a',62)+'.com',
	 'http://example.com/'+L('a',4100), 'example.com/'+L('b',4090), 'xn--bcher-kva.com', 'xn--ñ.com', 'http://xn--.com', 'www.example.РФ', 'пример.рф', 'http://пример.рф/путь', 'a。b.com', 'http://a。b.com',
	 'http://a.com/a(b(c)d)e', 'http://a.com/a((b))', 'http://a.com/(a)(b)!', 'http://a.com/@user/', 'http://a.com/path@x', 'foo@bar.com', 'x#a.com', 'http://a.com:8080/?q=(a)', 'http://a.com?q=a!', 'a.com?q=a', 'a.com:80', 'a.com:80/x',
	 'http://a.b_c.com', 'http://a_b.c.com', 'http://-a.com', 'http://a-.b.com', 'www.a.co.uk.', 'HTTP://WWW.A.COM', 'http://a.com\u202eb', '\u200ehttp://a.com', '$a.com', '＄a.com', 'a.com.', 'a.comm', 'a.com1', 'a.co@', 'a.co+x',
	 'http://1.2.3.4.com', 'http://a.xn--p1ai', 'a.xn--p1ai', 'http://a.c', L('x',279)+' a.com', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}\u200d\u{1F466}'.repeat(150), '\u263a\ufe0e', '\u263a\ufe0f', '1\ufe0f\u20e3'.repeat(200), 'a\u0301'.repeat(300),
	 '\ud83c\udff3\ufe0f\u200d\ud83c\udf08', 'e\u0301\u0327', '\u1100\u1161\u11a8', '\uac00\u11a8', 'http://ex\u00e4mple.com', 'ex\u00e4mple.com', 'http://ex\u4e2dmple.com/x', 'ex\u4e2dmple.com/x', '\u4e2d.com', 'a.\u307f\u3093\u306a'];
}

function generate(n, seed = SEED) {
	const rnd = mulberry32(seed);
	const int = (k) => Math.floor(rnd() * k);
	const pick = (a) => a[int(a.length)];

	function url() {
		const scheme = pick(['', '', 'http://', 'https://', 'HTTP://', 'Https://', 'ftp://', 'www.', 'http://www.']);
		let host;
		switch (int(8)) {
		case 0: host = `${int(256)}.${int(256)}.${int(256)}.${int(300)}`; break;
		case 1: host = pick(['localhost', 'LOCALHOST', 't.co', 'T.CO', '[::1]']); break;
		default: host = pick(hosts) + '.' + pick(tlds);
		}
		const port = int(5) === 0 ? ':' + pick(['80', '8080', '443', '65536', 'abc', '']) : '';
		let p = int(2) ? pick(paths) : '';
		if (host.toLowerCase() === 't.co' && int(2)) p = '/' + 'abcDEF1234'.slice(0, 1 + int(10)) + (int(3) ? '' : 'x'.repeat(int(30)));
		return scheme + host + port + p + (int(3) ? '' : pick(queries)) + pick(punct);
	}
	function spanish(nfd) {
		const k = 1 + int(12);
		const out = [];
		for (let i = 0; i < k; i++) out.push(pick(words));
		const s = out.join(' ');
		return nfd ? s.normalize('NFD') : s;
	}
	function cjkText(k) {
		let s = '';
		for (let i = 0; i < k; i++) s += pick([...cjk]);
		return s;
	}
	function ascii(k) {
		let s = '';
		for (let i = 0; i < k; i++) s += String.fromCharCode(32 + int(95));
		return s;
	}
	function piece() {
		switch (int(12)) {
		case 0: return ascii(1 + int(20));
		case 1: return spanish(false);
		case 2: return spanish(true);
		case 3: return cjkText(1 + int(10));
		case 4: case 5: return pick(emoji);
		case 6: case 7: case 8: return pick(before) + url();
		case 9: return pick(marks);
		case 10: return int(20) ? pick(punct) : pick(bad);
		default: return String.fromCodePoint(pick([0x301, 0x303, 0x308, 0x10ff, 0x1100, 0x2000,
			0x200d, 0x200e, 0x2010, 0x201f, 0x2020, 0x2032, 0x2037, 0x2038, 0xe50a, 0x1f3fb,
			0x20e3, 0xfe0e, 0xfe0f, 0xe0067, 0xac00, 0x1f600 + int(80)]));
		}
	}
	function text() {
		const kind = int(10);
		if (kind === 0) { // around the limit
			const fill = pick([() => 'a', () => 'é', () => 'e\u0301', () => pick([...cjk]), () => pick(emoji), () => ' ' + url()]);
			const target = 270 + int(20);
			let s = '';
			while (s.length < target * (int(2) + 1) && s.length < 600) s += fill();
			return s.slice(0, s.length - int(3)).replace(/[\ud800-\udbff]$/, '');
		}
		if (kind === 1) return int(2) ? 'x'.repeat(250 + int(60)) : '的'.repeat(130 + int(30));
		const k = 1 + int(8);
		let s = '';
		for (let i = 0; i < k; i++) s += piece() + (int(3) ? ' ' : '');
		return s;
	}
	const out = edgeCases().slice(0, n);
	while (out.length < n) {
		let s = text();
		// NUL ends a C string inside cJSON; lone surrogates are not UTF-8
		s = s.replace(/\u0000/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g, '$1');
		out.push(s);
	}
	return out;
}

module.exports = {generate, mulberry32, words, cjk, emoji};

if (require.main === module) {
	const n = parseInt(process.argv[2] || '100000', 10);
	const lines = generate(n).map((s) => JSON.stringify(s));
	process.stdout.write(lines.join('\n') + '\n');
}
