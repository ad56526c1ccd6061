#!/usr/bin/env node
// Differential test of `incluinfo count --batch` against twitter-text@3.1.0's parseTweet:
// every field of every string of the fixed-seed corpus must agree. Prints each
// disagreement (the first 20 in full) and last "N passed, N failed", N counting strings.
// Usage: node tests/oracle/diff.js [INCLUINFO [N]]
'use strict';
const path = require('path');
const {spawnSync} = require('child_process');
const twttr = require(path.join(__dirname, '..', 'node_modules', 'twitter-text'));
const {generate} = require('./corpus');

const bin = process.argv[2] || path.join(__dirname, '..', '..', 'build', 'incluinfo');
const n = parseInt(process.argv[3] || '100000', 10);
const fields = ['weightedLength', 'valid', 'permillage', 'validRangeStart', 'validRangeEnd',
	'displayRangeStart', 'displayRangeEnd'];

const texts = generate(n);
const input = texts.map((s) => JSON.stringify(s)).join('\n') + '\n';
const run = spawnSync(bin, ['count', '--batch'], {input, maxBuffer: 1 << 30, encoding: 'utf8'});
if (run.error || run.status !== 0) {
	console.log(`error: ${bin} count --batch: ${run.error || 'exit ' + run.status} ${run.stderr || ''}`);
	console.log(`0 passed, ${n} failed`);
	process.exit(1);
}
const lines = run.stdout.split('\n');
let passed = 0, failed = 0;
for (let i = 0; i < n; i++) {
	const want = twttr.parseTweet(texts[i]);
	let got;
	try { got = JSON.parse(lines[i]); } catch (e) { got = {error: `unparsable output line '${lines[i]}'`}; }
	const wrong = fields.filter((f) => got[f] !== want[f]);
	if (wrong.length === 0) { passed++; continue; }
	failed++;
	if (failed <= 20) {
		console.log(`disagreement on string ${i + 1}: ${JSON.stringify(texts[i])}`);
		console.log(`  twitter-text: ${JSON.stringify(want)}`);
		console.log(`  incluinfo:    ${JSON.stringify(got)}`);
	} else {
		console.log(`disagreement on string ${i + 1}: ${wrong.join(', ')}`);
	}
}
console.log(`compared ${n} strings with twitter-text's parseTweet`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
