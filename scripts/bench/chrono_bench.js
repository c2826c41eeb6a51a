// Runs chrono-node over a JSON Lines corpus ({"text","published"|"ref"}) and prints
// "<megabytes> <seconds> <results>" for scripts/bench.sh. Usage: node chrono_bench.js FILE
"use strict";
const fs = require("fs");
const readline = require("readline");
const chrono = require("chrono-node");

async function main() {
  const input = readline.createInterface({ input: fs.createReadStream(process.argv[2]) });
  const records = [];
  for await (const line of input) {
    if (line.trim()) records.push(JSON.parse(line));
  }
  let bytes = 0;
  let results = 0;
  const started = process.hrtime.bigint();
  for (const r of records) {
    const ref = new Date(r.published || r.ref);
    results += chrono.parse(r.text, ref).length;
    bytes += Buffer.byteLength(r.text, "utf8");
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${(bytes / 1e6).toFixed(3)} ${seconds.toFixed(3)} ${results}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
