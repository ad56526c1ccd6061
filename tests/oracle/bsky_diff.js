#!/usr/bin/env node
// Differential test of lib/text/bsky.c against @atproto/api's RichText: on every string of
// the fixed-seed corpus (bsky_corpus.js), graphemeLength and the facets of
// detectFacetsWithoutResolution() (the synchronous detection: no network, mentions keep
// their handle) must agree exactly: byte ranges, feature types and values. Prints each
// disagreement (the first 20 in full) and last "N passed, N failed", N counting strings.
// Usage: node tests/oracle/bsky_diff.js [DRIVER [N]]
'use strict';
const path = require('path');
const {spawnSync} = require('child_process');
const {RichText} = require(path.join(__dirname, '..', 'node_modules', '@atproto', 'api'));
const {generate} = require('./bsky_corpus');

const bin = process.argv[2] || path.join(__dirname, '..', '..', 'build', 'oracle', 'bsky_driver');
const n = parseInt(process.argv[3] || '20000', 10);

function expected(text) {
	const rt = new RichText({text});
	rt.detectFacetsWithoutResolution();
	const facets = (rt.facets || []).map((f) => {
		const feature = f.features[0];
		const value = feature.uri ?? feature.tag ?? feature.did;
		return {byteStart: f.index.byteStart, byteEnd: f.index.byteEnd, type: feature.$type, value};
	});
	return {graphemes: rt.graphemeLength, facets};
}

const texts = generate(n);
const input = texts.map((s) => JSON.stringify(s)).join('\n') + '\n';
const run = spawnSync(bin, [], {input, maxBuffer: 1 << 30, encoding: 'utf8'});
if (run.error || run.status !== 0) {
	console.log(`error: ${bin}: ${run.error || 'exit ' + run.status} ${run.stderr || ''}`);
	console.log(`0 passed, ${n} failed`);
	process.exit(1);
}
const lines = run.stdout.split('\n');
let passed = 0, failed = 0;
for (let i = 0; i < n; i++) {
	const want = JSON.stringify(expected(texts[i]));
	let got;
	try { got = JSON.stringify(JSON.parse(lines[i])); } catch (e) { got = `unparsable output line '${lines[i]}'`; }
	if (got === want) { passed++; continue; }
	failed++;
	if (failed <= 20) {
		console.log(`disagreement on string ${i + 1}: ${JSON.stringify(texts[i])}`);
		console.log(`  @atproto/api: ${want}`);
		console.log(`  incluinfo:    ${got}`);
	} else {
		console.log(`disagreement on string ${i + 1}`);
	}
}
console.log(`compared ${n} strings with @atproto/api's RichText`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
