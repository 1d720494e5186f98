// Builds the inspector page into dist/web, where `meshfold serve` finds it: type-checks web/
// (esbuild only strips types), bundles web/src/main.ts and what it imports into one ES module,
// and copies index.html and style.css beside it. Run by the root `prepare` and `test` scripts,
// after `tsc -b` (the page's types come from the built packages).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pkg = (path) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const out = pkg('dist/web');

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', pkg('web')], { stdio: 'inherit' });
} catch (err) {
  process.exit(err.status ?? 1); // tsc has printed the errors
}

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [pkg('web/src/main.ts')],
  outfile: `${out}/app.js`,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  legalComments: 'none',
  // The page imports only core's pure formatters; core's Node-only modules (hashing, the kubectl
  // reader) are dropped as unused (core declares no side effects). Left external, so that one
  // that was not dropped fails the check below rather than the build.
  external: ['node:*'],
  logLevel: 'warning',
});
if (/\bfrom\s*["']node:|import\(["']node:/.test(readFileSync(`${out}/app.js`, 'utf8'))) {
  console.error('bundle: the inspector page imports a Node module: it would not load in a browser');
  process.exit(1);
}
for (const file of ['index.html', 'style.css']) copyFileSync(pkg(`web/${file}`), `${out}/${file}`);
