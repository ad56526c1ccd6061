#!/usr/bin/env node
// The Bluesky differential test's corpus: N strings from a fixed seed (the PRNG and the
// words, CJK and emoji of corpus.js), built from what a notice holds and what
// @atproto/api's facet detection decides on: handles with and without a known TLD, links
// with and without a scheme, bare domains, hashtags (accents, digits, punctuation, 64-unit
// limit, fullwidth ＃, U+FE0F), cashtags, emoji sequences (ZWJ, flags, skin tones, keycaps),
// combining marks, CJK and the white space JavaScript's \s knows.
// Not in it: Indic conjuncts (Unicode 15.1's rule GB9c), which utf8proc 2.8 does not know
// and Node's ICU does: lib/text/bsky.h says how the count then differs.
// `node bsky_corpus.js [N]` prints one JSON string literal per line.
'use strict';
const {mulberry32, words, cjk, emoji} = require('./corpus');

const SEED = 20260207;

const tlds = ['com', 'es', 'social', 'test', 'org', 'eus', 'cat', 'gal', 'invalid', 'local', 'COM',
	'Es', 'x', 'c0m', 'みんな', 'рф', 'app', 'dev', 'io'];
const labels = ['alice', 'bsky', 'seg-social', 'sede', 'www', 'a', 'incluinfo', 'gob', 'x1', 'Moncloa',
	'ministerio', '1a', 'a_b', 'ñandu', 'sub'];
const paths = ['', '/', '/a', '/wps/portal/wss/internet/Inicio', '/a.html', '/wiki/Foo_(bar)', '/(a)',
	'/x?y=1', '/x?y=1&z=(2)', '/#frag', '/ñ', '/a,b', '/%20', '/?', '/a/b/c/d/e/f/g/h', '/a:b'];
const punct = ['', '', '.', ',', ';', ':', '!', '?', ')', '),', '.)', '!?', '"', '»', '…', "'"];
const spaces = [' ', ' ', ' ', '\n', '\n\n', '\t', '\u00a0', '\u3000', '\u2028', '\u200b', '\u2009', ''];
const before = ['', '', '(', '¡', '¿', '«', '"', 'x', '@', '#', '.', '-'];
const tagWords = ['Pensión', 'IMV', 'SeguridadSocial', 'bulo', '2026', '123abc', 'año', 'ñ', 'Ção',
	'日本', '한국어', 'e\u0301', 'a_b', 'a-b', 'a.b', 'tag\u200dx', '\ufe0f', '️⃣', '🐱', 'x'.repeat(63),
	'x'.repeat(64), 'x'.repeat(65), '🐱'.repeat(32), '🐱'.repeat(33), '¡Ojo!', '...', '_', '1', 'A1'];
const marks = ['\u0301', '\u0327', '\u0308', '\u20e3', '\u200d', '\ufe0f', '\ufe0e', '\u0303\u0301'];
const flags = ['🇪🇸', '🇪🇺', '🇺🇦', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🏳️‍🌈', '🇪', '🇪🇸🇪'];
const skin = ['👍🏻', '👍🏽', '👍🏿', '🧑🏾‍⚕️', '👩🏼‍💻', '🫱🏼‍🫲🏿', '✋🏾'];

function generate(n, seed = SEED) {
	const rnd = mulberry32(seed);
	const int = (k) => Math.floor(rnd() * k);
	const pick = (a) => a[int(a.length)];
	const domain = () => {
		let d = pick(labels);
		for (let i = int(3); i > 0; i--) d += '.' + pick(labels);
		return d + '.' + pick(tlds);
	};
	const pieces = [
		() => pick(words),
		() => pick(words).normalize('NFD'),
		() => [...cjk].slice(int(20), 20 + int(10)).join(''),
		() => pick(emoji),
		() => pick(flags),
		() => pick(skin),
		() => pick(words) + pick(marks),
		() => '@' + domain() + pick(punct),
		() => '@' + pick(labels) + pick(punct),
		() => '@' + pick(labels) + '@' + domain(),
		() => pick(['https://', 'http://', 'HTTPS://', 'Https://', 'ftp://', 'https:/', 'www.', '']) + domain() +
			(int(2) ? pick(paths) : '') + pick(punct),
		() => domain() + pick(paths),
		() => pick(['#', '#', '＃']) + pick(tagWords) + pick(punct),
		() => '#' + pick(tagWords) + pick(tagWords),
		() => '$' + pick(['AAPL', 'a', 'IBEX35', 'BTC', 'x1', 'TOOLONG', '1A', 'Ab']) + pick(punct),
		() => pick(before) + pick(['@', '#', 'https://', '$']) + pick(labels),
		() => '(' + pick(['https://', '']) + domain() + pick(paths) + ')' + pick(punct),
	];
	const out = [];
	while (out.length < n) {
		const k = 1 + int(10);
		let s = int(6) ? '' : pick(spaces);
		for (let i = 0; i < k; i++) s += pick(before.slice(0, 4)) + pick(pieces)() + pick(spaces);
		out.push(s);
	}
	return out;
}

module.exports = {generate};

if (require.main === module) {
	const n = parseInt(process.argv[2] || '20000', 10);
	process.stdout.write(generate(n).map((s) => JSON.stringify(s)).join('\n') + '\n');
}
