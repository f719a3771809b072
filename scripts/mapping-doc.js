#!/usr/bin/env node
// `pnpm -s docs:mapping`: rewrites the generated part of docs/mapping.md (the directory-audit classification) from the
// tables in packages/ocsf/src. Needs the build (`pnpm -s build`). A unit test fails when the doc and tables differ.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { renderAuditClassificationDoc, spliceMappingDoc } = require('../packages/ocsf/dist/mapping-doc');

const file = path.join(__dirname, '..', 'docs', 'mapping.md');
const before = fs.readFileSync(file, 'utf8');
const after = spliceMappingDoc(before, renderAuditClassificationDoc());
if (after === before) process.stdout.write('docs/mapping.md is up to date\n');
else {
  fs.writeFileSync(file, after);
  process.stdout.write('docs/mapping.md: classification section regenerated\n');
}
