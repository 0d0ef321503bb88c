#!/usr/bin/env node
// Regenerates server/src/runtime/kailash/kailashNodeNames.ts: the node type names that kailash 2.63
// and DataFlow 2.20 register with the core SDK's NodeRegistry (names only), read from the oracle
// source tree. Run after `npx tsc -p tsconfig.json`:
//   node scripts/generate-kailash-node-catalogue.mjs [KAILASH_PY_CHECKOUT]
// (default checkout: $DATAFLOW_ORACLE_HOME/src or ~/.cache/dataflow-oracle/src).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { scanRegisteredNodes, oracleSourceRoots, renderNodeCatalogue } = require(path.join(here, '..', 'out', 'server', 'src', 'runtime', 'kailash', 'scanRegisteredNodes.js'));
const checkout = process.argv[2] ?? path.join(process.env.DATAFLOW_ORACLE_HOME ?? path.join(os.homedir(), '.cache', 'dataflow-oracle'), 'src');
const names = scanRegisteredNodes(oracleSourceRoots(checkout));
const target = path.join(here, '..', 'server', 'src', 'runtime', 'kailash', 'kailashNodeNames.ts');
fs.writeFileSync(target, renderNodeCatalogue(names));
console.log(`${names.length} node type names -> ${path.relative(process.cwd(), target)}`);
