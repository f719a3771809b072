#!/usr/bin/env node
// Licence audit of what entra-ingest ships: every production dependency (direct and transitive) of every workspace
// package, with name, version and licence. Exits 1 when a licence is missing or on the deny list, so CI can gate on
// it. Plain Node, no dependencies: it reads `pnpm list` and the installed package.json / LICENSE files, offline.
//
//   node scripts/licenses.js            table on stdout, problems on stderr
//   node scripts/licenses.js --json     the same as JSON
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Licences we cannot ship under (network copyleft and strong copyleft v3). Matched per SPDX id. */
const DENY = [/^GPL-3\.0/i, /^AGPL-/i, /^SSPL/i];

/** When package.json has no licence field: recognise the LICENSE file by its opening words. */
const LICENSE_TEXTS = [
  [/^\s*(the )?mit license|permission is hereby granted, free of charge/i, 'MIT'],
  [/apache license[\s,]+version 2\.0/i, 'Apache-2.0'],
  [/^\s*(the )?isc license|permission to use, copy, modify, and\/or distribute this software for any purpose/i, 'ISC'],
  [/this is free and unencumbered software released into the public domain/i, 'Unlicense'],
  [/^\s*blue oak model license/i, 'BlueOak-1.0.0'],
];

function pnpmList() {
  const r = spawnSync('pnpm', ['list', '--prod', '--depth', 'Infinity', '--json', '-r'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.stderr.write(`licenses: "pnpm list" failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.error?.message || '').trim()}\n`);
    process.exit(2);
  }
  return JSON.parse(r.stdout);
}

/** The licence a package declares: SPDX `license`, the legacy `{type}` object or `licenses` array, else its LICENSE file. */
function licenseOf(dir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const declared = typeof pkg.license === 'string' ? pkg.license
    : pkg.license && typeof pkg.license.type === 'string' ? pkg.license.type
      : Array.isArray(pkg.licenses) ? pkg.licenses.map((l) => (typeof l === 'string' ? l : l && l.type)).filter(Boolean).join(' OR ')
        : '';
  if (declared && !/^SEE LICEN[CS]E IN/i.test(declared)) return { license: declared, from: 'package.json' };
  const file = fs.readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  if (file) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8').slice(0, 4000);
    const known = LICENSE_TEXTS.find(([re]) => re.test(text));
    if (known) return { license: known[1], from: file };
  }
  return { license: '', from: declared ? `package.json says "${declared}"` : 'nothing' };
}

/**
 * Whether an SPDX expression allows us to ship: `A OR B` needs one acceptable side, `A AND B` both;
 * `X WITH exception` is judged by X. Returns the denied ids that decide it, or [] when acceptable.
 */
function deniedBy(expression) {
  const tokens = expression.replace(/[()]/g, ' $& ').split(/\s+/).filter(Boolean);
  let i = 0;
  const primary = () => {
    const t = tokens[i++];
    if (t === '(') {
      const inner = orExpr();
      i++; // ')'
      return inner;
    }
    if (tokens[i] && tokens[i].toUpperCase() === 'WITH') i += 2;
    return DENY.some((re) => re.test(t || '')) ? [t] : [];
  };
  const andExpr = () => {
    let denied = primary();
    while (tokens[i] && tokens[i].toUpperCase() === 'AND') {
      i++;
      denied = denied.concat(primary());
    }
    return denied;
  };
  function orExpr() {
    const options = [andExpr()];
    while (tokens[i] && tokens[i].toUpperCase() === 'OR') {
      i++;
      options.push(andExpr());
    }
    return options.some((d) => d.length === 0) ? [] : options.flat();
  }
  return orExpr();
}

function collect(listing) {
  const packages = new Map();
  const notInstalled = new Set();
  const visit = (deps, importer) => {
    for (const [name, dep] of Object.entries(deps || {})) {
      if (!dep.version.startsWith('link:')) {
        const key = `${name}@${dep.version}`;
        if (!dep.path || !fs.existsSync(path.join(dep.path, 'package.json'))) {
          // pnpm lists every platform's optional binary package; only this platform's is installed.
          notInstalled.add(key);
          continue;
        }
        if (!packages.has(key)) packages.set(key, { name, version: dep.version, ...licenseOf(dep.path), usedBy: new Set() });
        packages.get(key).usedBy.add(importer);
      }
      visit(dep.dependencies, importer);
      visit(dep.optionalDependencies, importer);
    }
  };
  for (const importer of listing) {
    visit(importer.dependencies, importer.name);
    visit(importer.optionalDependencies, importer.name);
  }
  return { packages: [...packages.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version)), notInstalled: [...notInstalled].sort() };
}

function main() {
  const { packages, notInstalled } = collect(pnpmList());
  const problems = [];
  for (const p of packages) {
    if (!p.license) problems.push(`${p.name}@${p.version}: no licence found (${p.from}); used by ${[...p.usedBy].join(', ')}`);
    else {
      const denied = deniedBy(p.license);
      if (denied.length) problems.push(`${p.name}@${p.version}: licence "${p.license}" is on the deny list (${denied.join(', ')}); used by ${[...p.usedBy].join(', ')}`);
    }
  }
  if (process.argv.includes('--json')) {
    const out = packages.map((p) => ({ name: p.name, version: p.version, license: p.license || null, licenseFrom: p.from, usedBy: [...p.usedBy].sort() }));
    process.stdout.write(`${JSON.stringify({ packages: out, notInstalled, problems }, null, 2)}\n`);
  } else {
    const width = Math.max(...packages.map((p) => `${p.name}@${p.version}`.length), 10);
    for (const p of packages) {
      const note = p.from === 'package.json' ? '' : `  (from ${p.from})`;
      process.stdout.write(`${`${p.name}@${p.version}`.padEnd(width)}  ${p.license || 'MISSING'}${note}\n`);
    }
    const counts = {};
    for (const p of packages) counts[p.license || 'MISSING'] = (counts[p.license || 'MISSING'] || 0) + 1;
    process.stdout.write(`\n${packages.length} production packages: ${Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([l, n]) => `${n} ${l}`).join(', ')}\n`);
    if (notInstalled.length) process.stdout.write(`not installed on this platform (optional binaries, not checked): ${notInstalled.join(', ')}\n`);
  }
  for (const p of problems) process.stderr.write(`licenses: ${p}\n`);
  process.exitCode = problems.length ? 1 : 0;
}

if (require.main === module) main();
module.exports = { deniedBy, licenseOf };
