import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['core', 'store', 'replay'] as const;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The names a package's entry point exports, each with its documentation comment. */
function surface(name: string): { name: string; doc: string }[] {
  const entry = join(root, 'packages', name, 'src', 'index.ts');
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return { name: symbol.name, doc: ts.displayPartsToString(target.getDocumentationComment(checker)) };
  });
}

test('no package re-exports a module whole: every entry point names what it exports', () => {
  for (const name of PACKAGES) {
    for (const file of sources(join(root, 'packages', name, 'src'))) {
      assert.not.match(readFileSync(file, 'utf8'), /^export \* from/m, `${file}: export *`);
    }
  }
});

test('every name a package exports is documented', () => {
  for (const name of PACKAGES) {
    const undocumented = surface(name).filter((e) => e.doc.trim() === '').map((e) => e.name);
    assert.equal(undocumented, [], `@meshfold/${name}: exported without a doc comment`);
  }
});

test.run();
