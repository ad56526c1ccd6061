#!/usr/bin/env node
// Generates lib/emoji_data.c from twemoji-parser's regular expression (the one
// twitter-text@3.1.0's parseTweet uses to find emoji), so that lib/tweet.c matches exactly
// the sequences the reference matches. Run from the repository root:
//   node lib/gen/emoji_data.js > lib/emoji_data.c
// The regex is finite (alternation, groups, classes, '?', one negative lookahead), so it
// is written out as a node table that lib/tweet.c interprets over UTF-16 code units.
'use strict';
const path = require('path');
const modules = path.join(__dirname, '..', '..', 'tests', 'node_modules');
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

// What a node can start with, to skip it cheaply: the hull of its possible first units,
// and whether it can match the empty string (then it cannot be skipped).
function first(k) {
	const n = nodes[k];
	if (n.first) return n.first;
	let f;
	if (n.t === 'UNIT') f = {lo: n.lo, hi: n.hi, empty: false};
	else if (n.t === 'NOT') f = {lo: 0, hi: 0xffff, empty: true};
	else if (n.t === 'OPT') f = {...first(n.kids[0]), empty: true};
	else if (n.t === 'ALT') {
		f = {lo: 0xffff, hi: 0, empty: false};
		for (const c of n.kids) { const g = first(c); f = {lo: Math.min(f.lo, g.lo), hi: Math.max(f.hi, g.hi), empty: f.empty || g.empty}; }
	} else { // SEQ
		f = {lo: 0xffff, hi: 0, empty: true};
		for (const c of n.kids) {
			const g = first(c);
			f = {lo: Math.min(f.lo, g.lo), hi: Math.max(f.hi, g.hi), empty: true};
			if (!g.empty) { f.empty = false; break; }
		}
	}
	n.first = f;
	return f;
}
nodes.forEach((_, k) => first(k));

// The exact set of units an emoji can start with, to skip all others at once.
function firstSet(k) {
	const n = nodes[k];
	if (n.t === 'UNIT') return {ranges: [[n.lo, n.hi]], empty: false};
	if (n.t === 'NOT') return {ranges: [], empty: true};
	if (n.t === 'OPT') return {ranges: firstSet(n.kids[0]).ranges, empty: true};
	const ranges = [];
	if (n.t === 'ALT') {
		let empty = false;
		for (const c of n.kids) { const f = firstSet(c); ranges.push(...f.ranges); empty = empty || f.empty; }
		return {ranges, empty};
	}
	for (const c of n.kids) {
		const f = firstSet(c);
		ranges.push(...f.ranges);
		if (!f.empty) return {ranges, empty: false};
	}
	return {ranges, empty: true};
}
const starts = new Set();
for (const [lo, hi] of firstSet(root).ranges) for (let c = lo; c <= hi; c++) starts.add(c);
// lib/tweet.c relies on this: the only emoji starting with an ASCII unit are keycaps,
// # * or a digit, then U+FE0F or U+20E3.
for (const c of starts) {
	if (c < 0x80 && !/[#*0-9]/.test(String.fromCharCode(c))) throw new Error(`emoji may start with ASCII ${c}`);
}
for (const t of ['1', '#', '*', '1x', '1\u20e2']) if (re.test(t) && (re.lastIndex = 0, true) && re.exec(t).index === 0) throw new Error(`unexpected ASCII emoji in ${JSON.stringify(t)}`);
re.lastIndex = 0;
const startRanges = [];
for (const c of [...starts].sort((a, b) => a - b)) {
	const last = startRanges[startRanges.length - 1];
	if (last && last[1] === c - 1) last[1] = c; else startRanges.push([c, c]);
}

const kidList = [];
const out = [];
out.push(`/* Generated by lib/gen/emoji_data.js from twemoji-parser@${version}'s regular expression`);
out.push(` * (the one twitter-text@${ttVersion} uses); do not edit. */`);
out.push('');
out.push('#include "emoji_data.h"');
out.push('');
const rows = nodes.map((n) => {
	const f = n.first;
	const tail = `0x${f.lo.toString(16)}, 0x${f.hi.toString(16)}, ${f.empty ? 1 : 0}},`;
	if (n.t === 'UNIT') return `\t{EMOJI_UNIT, 0x${n.lo.toString(16)}, 0x${n.hi.toString(16)}, ${tail}`;
	const at = kidList.length;
	kidList.push(...n.kids);
	return `\t{EMOJI_${n.t}, ${at}, ${n.kids.length}, ${tail}`;
});
out.push(`const struct emoji_node emoji_nodes[] = {`);
out.push(...rows);
out.push('};');
out.push('');
out.push(`const unsigned short emoji_kids[] = {`);
for (let k = 0; k < kidList.length; k += 12) out.push('\t' + kidList.slice(k, k + 12).join(', ') + ',');
out.push('};');
out.push('');
out.push(`const unsigned emoji_root = ${root};`);
out.push('');
out.push('const struct emoji_range emoji_starts[] = {');
for (let k = 0; k < startRanges.length; k += 6)
	out.push('\t' + startRanges.slice(k, k + 6).map(([a, b]) => `{0x${a.toString(16)}, 0x${b.toString(16)}}`).join(', ') + ',');
out.push('};');
out.push(`const unsigned emoji_starts_count = ${startRanges.length};`);
process.stdout.write(out.join('\n') + '\n');
