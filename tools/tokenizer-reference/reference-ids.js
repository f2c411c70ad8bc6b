#!/usr/bin/env node
// Writes the reference token ids of a corpus, computed by Hugging Face's tokenizers library
// (its Rust core through the Node bindings), for tests/data/tokenizer/.
//
//   npm install --prefix tools/tokenizer-reference
//   node tools/tokenizer-reference/reference-ids.js TOKENIZER_JSON CORPUS_JSONL > EXPECTED_JSONL
//
// CORPUS_JSONL holds one JSON string per line. Each output line is an object:
//   {"ids": encode(text) with special tokens, "plain": encode(text) without them,
//    "decoded": decode(plain) keeping special tokens}
'use strict';

const fs = require('fs');
const path = require('path');
const { Tokenizer } = require(path.join(__dirname, 'node_modules', 'tokenizers'));

async function main() {
  const [tokenizerPath, corpusPath] = process.argv.slice(2);
  if (!tokenizerPath || !corpusPath) {
    console.error('usage: reference-ids.js TOKENIZER_JSON CORPUS_JSONL');
    process.exit(2);
  }
  const tokenizer = Tokenizer.fromFile(tokenizerPath);
  const lines = fs.readFileSync(corpusPath, 'utf8').split('\n').filter((l) => l.length > 0);
  const out = [];
  for (const line of lines) {
    const text = JSON.parse(line);
    const withSpecial = await tokenizer.encode(text);
    const plain = await tokenizer.encode(text, null, { addSpecialTokens: false });
    const decoded = await tokenizer.decode(plain.getIds(), false);
    out.push(JSON.stringify({ ids: withSpecial.getIds(), plain: plain.getIds(), decoded }));
  }
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
