// What the fake servers of tests/fakes share: options, a seeded generator, the port file.
'use strict';

const fs = require('fs');
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

module.exports = { parseOptions, prng, writePortFile };
