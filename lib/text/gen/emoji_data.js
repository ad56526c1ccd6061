#!/usr/bin/env node
// Generates lib/emoji_data.c from twemoji-parser's regular expression (the one
// twitter-text@3.1.0's parseTweet uses to find emoji), so that lib/tweet.c matches exactly
// the sequences the reference matches. Run from the repository root:
//   node lib/text/gen/emoji_data.js > lib/emoji_data.c
// The regex is finite (alternation, groups, classes, '?', a negative lookahead for U+FE0E
// at the end of some alternatives): it matches 3,000-odd unit sequences, which are
// written out as a trie over UTF-16 code units. Each sequence gets the rank in which the
// regex's backtracking tries it, so that lib/tweet.c, walking the trie, returns the match
// JavaScript returns: the lowest-ranked sequence that matches, not the longest.
'use strict';
const path = require('path');
const modules = path.join(__dirname, '..', '..', '..', 'tests', 'node_modules');
const re = require(path.join(modules, 'twemoji-parser', 'dist', 'lib', 'regex')).default;
const version = require(path.join(modules, 'twemoji-parser', 'package.json')).version;
const ttVersion = require(path.join(modules, 'twitter-text', 'package.json')).version;

const src = re.source;
let i = 0;
const nodes = []; // {t, lo, hi, kids}
function add(n) { nodes.push(n); return nodes.length - 1; }

function unit() { // one UTF-16 unit, escaped or literal
	if (src[i] === '\\') {
		if (src[i + 1] === 'u') { const v = parseInt(src.substr(i + 2, 4), 16); i += 6; return v; }
		const c = src.charCodeAt(i + 1); i += 2; return c;
	}
	return src.charCodeAt(i++);
}
function alt() {
	const kids = [seq()];
	while (src[i] === '|') { i++; kids.push(seq()); }
	return kids.length === 1 ? kids[0] : add({t: 'ALT', kids});
}
function seq() {
	const kids = [];
	while (i < src.length && src[i] !== '|' && src[i] !== ')') {
		let n = atom();
		if (src[i] === '?') { i++; n = add({t: 'OPT', kids: [n]}); }
		kids.push(n);
	}
	return kids.length === 1 ? kids[0] : add({t: 'SEQ', kids});
}
function atom() {
	if (src[i] === '(') {
		let t = 'GROUP';
		if (src.startsWith('(?:', i)) i += 3;
		else if (src.startsWith('(?!', i)) { i += 3; t = 'NOT'; }
		else i += 1;
		const inner = alt();
		if (src[i++] !== ')') throw new Error('expected ) at ' + i);
		return t === 'NOT' ? add({t: 'NOT', kids: [inner]}) : inner;
	}
	if (src[i] === '[') {
		i++;
		const ranges = [];
		while (src[i] !== ']') {
			const lo = unit();
			let hi = lo;
			if (src[i] === '-' && src[i + 1] !== ']') { i++; hi = unit(); }
			ranges.push([lo, hi]);
		}
		i++;
		const kids = ranges.map(([lo, hi]) => add({t: 'UNIT', lo, hi}));
		return kids.length === 1 ? kids[0] : add({t: 'ALT', kids});
	}
	if ('*+{}.^$'.includes(src[i])) throw new Error('unsupported ' + src[i] + ' at ' + i);
	const u = unit();
	return add({t: 'UNIT', lo: u, hi: u});
}
const root = alt();
if (i !== src.length) throw new Error('trailing input at ' + i);

// Every sequence the regex matches, in the order backtracking tries them: alternatives
// left to right, an optional part first taken then skipped, a class's units in any order
// (they exclude each other). A lookahead becomes a condition on the unit at an offset.
function* paths(k, prefix) {
	const n = nodes[k];
	if (n.t === 'UNIT') {
		for (let c = n.lo; c <= n.hi; c++) yield {units: [...prefix.units, c], conds: prefix.conds};
	} else if (n.t === 'ALT') {
		for (const c of n.kids) yield* paths(c, prefix);
	} else if (n.t === 'OPT') {
		yield* paths(n.kids[0], prefix);
		yield prefix;
	} else if (n.t === 'NOT') {
		const inner = nodes[n.kids[0]];
		if (inner.t !== 'UNIT' || inner.lo !== inner.hi) throw new Error('lookahead of more than one unit');
		yield {units: prefix.units, conds: [...prefix.conds, {at: prefix.units.length, unit: inner.lo}]};
	} else { // SEQ
		yield* (function* rest(j, p) {
			if (j === n.kids.length) { yield p; return; }
			for (const q of paths(n.kids[j], p)) yield* rest(j + 1, q);
		})(0, prefix);
	}
}

// lib/tweet.c checks one kind of condition: "the next unit is not LOOKAHEAD", at the end
// of a sequence.
const LOOKAHEAD = 0xfe0e; // EMOJI_LOOKAHEAD_UNIT in lib/text/emoji_data.h
const states = [{edges: new Map(), rank: null, rankUnless: null}];
let rank = 0;
for (const p of paths(root, {units: [], conds: []})) {
	if (p.units.length === 0) throw new Error('the regex matches the empty string');
	// a lookahead followed by more of the sequence is decided by the sequence itself
	if (p.conds.some((c) => c.at < p.units.length && p.units[c.at] === c.unit)) { rank++; continue; }
	p.conds = p.conds.filter((c) => c.at >= p.units.length);
	if (p.conds.length > 1 || p.conds.some((c) => c.at !== p.units.length || c.unit !== LOOKAHEAD))
		throw new Error('unsupported lookahead in ' + JSON.stringify(p));
	let s = states[0];
	for (const u of p.units) {
		if (!s.edges.has(u)) { states.push({edges: new Map(), rank: null, rankUnless: null}); s.edges.set(u, states.length - 1); }
		s = states[s.edges.get(u)];
	}
	// an earlier (lower) rank at the same state hides later ones
	if (p.conds.length === 0) { if (s.rank === null) s.rank = rank; }
	else if (s.rankUnless === null && s.rank === null) s.rankUnless = rank;
	rank++;
}
const NO_RANK = 0xffff;
if (rank >= NO_RANK || states.length >= 0x10000) throw new Error('too many sequences for 16-bit tables');

// Check the trie against the regex itself on every sequence, each followed by what could
// change the answer: nothing, U+FE0E, U+FE0F, U+200D, a skin tone, a tag, a letter.
function trieMatch(s, pos) {
	let st = 0, best = NO_RANK, end = 0;
	for (let i = pos; i < s.length; i++) {
		const next = states[st].edges.get(s.charCodeAt(i));
		if (next === undefined) break;
		st = next;
		const r = states[st].rank === null ? NO_RANK : states[st].rank;
		const ru = states[st].rankUnless === null ? NO_RANK : states[st].rankUnless;
		if (r < best) { best = r; end = i + 1; }
		if (ru < best && (i + 1 >= s.length || s.charCodeAt(i + 1) !== LOOKAHEAD)) { best = ru; end = i + 1; }
	}
	return end - pos;
}
const anchored = new RegExp(src, 'y');
const tails = ['', '\ufe0e', '\ufe0f', '\u200d', '\ud83c\udffd', '\udb40\udc67', 'a'];
let checked = 0;
for (const p of paths(root, {units: [], conds: []})) {
	for (const t of tails) {
		const s = String.fromCharCode(...p.units) + t;
		anchored.lastIndex = 0;
		const m = anchored.exec(s);
		const want = m ? m[0].length : 0;
		if (trieMatch(s, 0) !== want) throw new Error(`trie disagrees with the regex on ${JSON.stringify(s)}`);
		checked++;
	}
}

// The units an emoji can start with, as a bitmap over the BMP.
const startBits = new Array(1024).fill(0n);
for (const u of states[0].edges.keys()) startBits[u >> 6] |= 1n << BigInt(u & 63);
// lib/tweet.c skips the trie for ASCII text on this: the only emoji starting with an
// ASCII unit are keycaps, # * or a digit, then U+FE0F or U+20E3.
for (const u of states[0].edges.keys()) {
	if (u >= 0x80) continue;
	if (!/[#*0-9]/.test(String.fromCharCode(u))) throw new Error(`emoji may start with ASCII ${u}`);
	for (const v of states[states[0].edges.get(u)].edges.keys())
		if (v !== 0xfe0f && v !== 0x20e3) throw new Error(`keycap continues with ${v.toString(16)}`);
}

const hex = (v, w) => '0x' + v.toString(16).padStart(w, '0');
const edgeRows = [];
const stateRows = states.map((s) => {
	const first = edgeRows.length;
	for (const [u, to] of [...s.edges].sort((a, b) => a[0] - b[0])) edgeRows.push(`{${hex(u, 4)}, ${to}}`);
	const r = (v) => (v === null ? 'EMOJI_NO_RANK' : String(v));
	return `\t{${first}, ${s.edges.size}, ${r(s.rank)}, ${r(s.rankUnless)}},`;
});
const out = [];
out.push(`/* Generated by lib/text/gen/emoji_data.js from twemoji-parser@${version}'s regular expression`);
out.push(` * (the one twitter-text@${ttVersion} uses): ${rank} sequences, ${states.length} states, checked`);
out.push(` * against the regex on ${checked} strings. Do not edit. */`);
out.push('');
out.push('#include "emoji_data.h"');
out.push('');
out.push('const uint64_t emoji_start_bits[1024] = {');
for (let k = 0; k < 1024; k += 4)
	out.push('\t' + startBits.slice(k, k + 4).map((b) => hex(b, 16)).join(', ') + ',');
out.push('};');
out.push('');
out.push('const struct emoji_state emoji_states[] = {');
out.push(...stateRows);
out.push('};');
out.push('');
out.push('const struct emoji_edge emoji_edges[] = {');
for (let k = 0; k < edgeRows.length; k += 6) out.push('\t' + edgeRows.slice(k, k + 6).join(', ') + ',');
out.push('};');
process.stdout.write(out.join('\n') + '\n');
