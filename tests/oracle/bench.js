#!/usr/bin/env node
// `make bench`'s reference side: counts the corpus file (one JSON string per line) with
// twitter-text's parseTweet in this one process and writes one JSON object per line to
// the output file, like `incluinfo count --batch`. Prints the seconds the loop took:
// reading and parsing the lines, counting and formatting, not Node's start-up or
// loading the package.
// Usage: node tests/oracle/bench.js CORPUS OUTPUT
'use strict';
const fs = require('fs');
const path = require('path');
const twttr = require(path.join(__dirname, '..', 'node_modules', 'twitter-text'));

const [corpus, output] = process.argv.slice(2);
const start = process.hrtime.bigint();
const lines = fs.readFileSync(corpus, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const out = lines.map((line) => JSON.stringify(twttr.parseTweet(JSON.parse(line))));
fs.writeFileSync(output, out.join('\n') + '\n');
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(seconds.toFixed(3));
