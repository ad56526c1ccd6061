// The keys of --json output, for tests/cli/t_json.sh:
//   node json_keys.js snake DIR...        every key of every DIR/LABEL file (one JSON
//                                         document a line) matches ^[a-z0-9_]+$, except
//                                         under the label count
//   node json_keys.js readme README DIR   the README's marked block of JSON shapes names
//                                         the labels of DIR and exactly the keys they print
// Prints one line per problem; exits 1 when there is any.
'use strict';
const fs = require('fs');
const path = require('path');

const problems = [];

// label -> array of parsed documents, from DIR/LABEL files
function outputs(dir) {
	const out = new Map();
	for (const label of fs.readdirSync(dir)) {
		const docs = [];
		const lines = fs.readFileSync(path.join(dir, label), 'utf8').split('\n').filter((l) => l);
		lines.forEach((line, i) => {
			try {
				docs.push(JSON.parse(line));
			} catch (e) {
				problems.push(`${label}: line ${i + 1} is not JSON (${e.message}): ${line.slice(0, 80)}`);
			}
		});
		if (!docs.length) problems.push(`${label}: printed no JSON`);
		out.set(label, docs);
	}
	return out;
}

// every path of v into paths: "a", "a.b", "list[]", "list[].c"; [] stands for any element
function walk(v, prefix, paths) {
	if (Array.isArray(v)) {
		for (const x of v) walk(x, `${prefix}[]`, paths);
	} else if (v && typeof v === 'object') {
		for (const [k, x] of Object.entries(v)) {
			const p = prefix ? `${prefix}.${k}` : k;
			paths.add(p);
			walk(x, p, paths);
		}
	}
}

function snake(dirs) {
	for (const dir of dirs) {
		for (const [label, docs] of outputs(dir)) {
			if (label === 'count') continue; // parseTweet's own names, the one exception
			const paths = new Set();
			for (const d of docs) walk(d, '', paths);
			for (const p of paths) {
				const key = p.slice(p.lastIndexOf('.') + 1).replace(/^\[\]/, '');
				if (!/^[a-z0-9_]+$/.test(key)) problems.push(`${label}: key '${key}' at ${p} is not snake_case`);
			}
		}
	}
}

// The README's block: between <!-- json-keys --> and <!-- /json-keys -->, inside a fenced
// block, entries "LABEL SHAPE" where LABEL starts a line and SHAPE (over one or more
// indented lines) is {key, key: SHAPE, ...} or [SHAPE]; "…" stands for the keys of the
// configuration table under the heading named after it, e.g. {… [general]}.
function documented(readme) {
	const text = fs.readFileSync(readme, 'utf8');
	const m = /<!-- json-keys -->\s*```[a-z]*\n([\s\S]*?)```\s*<!-- \/json-keys -->/.exec(text);
	if (!m) {
		problems.push(`${readme}: no <!-- json-keys --> block`);
		return new Map();
	}
	const entries = new Map();
	for (const chunk of m[1].split(/\n(?=\S)/)) {
		const at = chunk.search(/[{[]/);
		if (at < 0) continue;
		const label = chunk.slice(0, at).trim();
		const paths = new Set();
		const tokens = chunk.slice(at).match(/…\s*\[[^\]]+\]|[{}[\]:,]|[^\s{}[\]:,]+/g);
		let i = 0;
		const shape = (prefix) => {
			const t = tokens[i++];
			if (t === '[') {
				shape(`${prefix}[]`);
				if (tokens[i++] !== ']') problems.push(`README: '${label}': ']' expected`);
			} else if (t === '{') {
				while (tokens[i] !== '}' && i < tokens.length) {
					const key = tokens[i++];
					if (key.startsWith('…')) {
						for (const k of configKeys(text, key.slice(1).trim())) paths.add(prefix ? `${prefix}.${k}` : k);
					} else {
						const p = prefix ? `${prefix}.${key}` : key;
						paths.add(p);
						if (tokens[i] === ':') {
							i++;
							shape(p);
						}
					}
					if (tokens[i] === ',') i++;
				}
				i++;
			} else {
				problems.push(`README: '${label}': unexpected '${t}'`);
			}
		};
		shape('');
		entries.set(label, paths);
	}
	return entries;
}

// the first column of the table under "### `HEADING`"
function configKeys(text, heading) {
	const start = text.indexOf(`### \`${heading}\``);
	if (start < 0) {
		problems.push(`README: no section ### \`${heading}\``);
		return [];
	}
	const section = text.slice(start).split(/\n#/)[0];
	return [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((x) => x[1]);
}

function readme(file, dir) {
	const docs = documented(file);
	const got = outputs(dir);
	for (const label of got.keys())
		if (!docs.has(label)) problems.push(`README documents no '${label}' in its json-keys block`);
	for (const [label, want] of docs) {
		if (!got.has(label)) {
			problems.push(`README documents '${label}', which the test did not run`);
			continue;
		}
		const paths = new Set();
		for (const d of got.get(label)) walk(d, '', paths);
		for (const p of paths)
			if (!want.has(p)) problems.push(`${label}: prints ${p}, which README does not document`);
		for (const p of want) {
			// keys inside arrays that were empty in every run cannot be seen, only trusted
			const array = p.lastIndexOf('[]');
			const seen = array < 0 || [...paths].some((q) => q.startsWith(p.slice(0, array + 2)));
			if (seen && !paths.has(p)) problems.push(`${label}: README documents ${p}, which it does not print`);
		}
	}
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'snake') snake(args);
else if (mode === 'readme') readme(args[0], args[1]);
else problems.push('usage: json_keys.js snake DIR... | readme README DIR');
for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
