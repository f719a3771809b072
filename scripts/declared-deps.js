#!/usr/bin/env node
'use strict';
// Every module a package loads at run time must be a dependency in its own package.json: the workspace root's
// node_modules hides a missing one in development, and the production image (`pnpm deploy --prod`) then fails with
// "Cannot find module". The check reads the compiled output (dist/**/*.js), which is exactly what runs: TypeScript has
// already dropped type-only imports there.
const fs = require('node:fs');
const path = require('node:path');
const { builtinModules } = require('node:module');

const BUILTINS = new Set(builtinModules);
// require("x"), require.resolve("x"), import("x") as tsc emits them for CommonJS.
const LOADS = /\b(?:require(?:\.resolve)?|import)\(\s*(["'])([^"'\s]+)\1\s*\)/g;

/** "@scope/name/sub" → "@scope/name", "name/sub" → "name"; undefined for relative paths and Node built-ins. */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return BUILTINS.has(name) ? undefined : name;
}

function* jsFiles(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(full);
    else if (entry.name.endsWith('.js')) yield full;
  }
}

/**
 * The modules `packageDir`'s compiled code loads without declaring them in dependencies, peerDependencies or
 * optionalDependencies (a devDependency is not installed by `--prod`). Files in dist without a source in src are
 * leftovers of a deleted module and are skipped; bin/ scripts are checked too.
 */
function undeclaredImports(packageDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const declared = new Set([manifest.name, ...['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) => Object.keys(manifest[k] ?? {}))]);
  const files = [...jsFiles(path.join(packageDir, 'dist')), ...jsFiles(path.join(packageDir, 'bin'))].filter((file) => {
    const rel = path.relative(path.join(packageDir, 'dist'), file);
    if (rel.startsWith('..')) return true;
    const base = path.join(packageDir, 'src', rel.replace(/\.js$/, ''));
    return ['.ts', '.tsx', '.js'].some((ext) => fs.existsSync(base + ext));
  });
  const problems = [];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(LOADS)) {
      const name = packageOf(m[2]);
      if (name && !declared.has(name)) {
        const line = text.slice(0, m.index).split('\n').length;
        problems.push({ package: manifest.name, module: name, file: `${path.relative(packageDir, file)}:${line}` });
      }
    }
  }
  return problems;
}

/** The workspace's package folders, from pnpm-workspace.yaml's `packages:` list (plain `dir` and `dir/*` entries). */
function workspacePackages(root) {
  const text = fs.readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = text.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? '';
  const globs = [...block.matchAll(/^\s+-\s+['"]?([^'"\s#]+)/gm)].map((m) => m[1]);
  return globs.flatMap((g) =>
    g.endsWith('/*')
      ? fs.readdirSync(path.join(root, g.slice(0, -2)), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(root, g.slice(0, -2), d.name))
      : [path.join(root, g)],
  ).filter((dir) => fs.existsSync(path.join(dir, 'package.json')));
}

module.exports = { undeclaredImports, workspacePackages, packageOf };

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const problems = workspacePackages(root).flatMap((dir) => undeclaredImports(dir));
  for (const p of problems) process.stderr.write(`${p.package}: loads "${p.module}" (${p.file}) without declaring it in package.json dependencies\n`);
  process.exitCode = problems.length ? 1 : 0;
}
