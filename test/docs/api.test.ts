// docs/API.md stays the reference of the public API: every name exported by
// src/index.ts (values and types, and the members of namespace exports such
// as wc.layers.*) and by src/testing/index.ts must be mentioned there, and
// every example marked `<!-- run: node -->` must run against the sources.
// Names come from the TypeScript compiler (types have no run-time key).

import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const doc = readFileSync(join(repo, 'docs/API.md'), 'utf8');

/** The exported names of a module; a namespace export contributes `ns` and every `ns.member`. */
function exportedNames(entry: string): string[] {
  const file = join(repo, entry);
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022,
    types: ['@webgpu/types', 'node', 'vite/client'], skipLibCheck: true, noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`cannot read the exports of ${entry}`);
  const resolve = (s: ts.Symbol) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const names: string[] = [];
  for (const s of checker.getExportsOfModule(moduleSymbol)) {
    names.push(s.name);
    const target = resolve(s);
    if (target.flags & ts.SymbolFlags.ValueModule) {
      for (const m of checker.getExportsOfModule(target)) names.push(`${s.name}.${m.name}`);
    }
  }
  return names;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `ns.member` must appear as such (wc.layers.conv2d or layers.conv2d); a
 * top-level name in code, right after a backtick or `wc.`: prose words such
 * as "model" or "input" do not count.
 */
function mentioned(name: string): boolean {
  const pattern = name.includes('.') ? `(?<![\\w.])(?:wc\\.)?${escape(name)}(?!\\w)` : `(?:\`|\\bwc\\.)${escape(name)}(?!\\w)`;
  return new RegExp(pattern).test(doc);
}

describe('docs/API.md', () => {
  it('mentions every public name of webcnn and webcnn/testing', () => {
    const names = [...exportedNames('src/index.ts'), ...exportedNames('src/testing/index.ts')];
    expect(names.length).toBeGreaterThan(200);                   // the reading worked
    expect(names).toContain('layers.conv2d');
    const missing = names.filter((n) => !mentioned(n));
    expect(missing, `exported but not in docs/API.md: ${missing.join(', ')}`).toEqual([]);
  }, 120_000);

  // Each marked example, named by the section it sits in.
  const examples = [...doc.matchAll(/<!-- run: node -->\s*```ts\n([\s\S]*?)```/g)].map((m) => ({
    code: m[1],
    section: [...doc.slice(0, m.index).matchAll(/^## (.+)$/gm)].at(-1)?.[1] ?? 'top',
  }));
  const scratch = mkdtempSync(join(tmpdir(), 'webcnn-api-examples-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('has a runnable example for each area', () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
  });

  examples.forEach(({ code, section }, i) => {
    it(`the example of "${section}" runs`, async () => {
      // The example imports the sources in place of the package; vitest transforms the TypeScript.
      const file = join(scratch, `example${i + 1}.ts`);
      writeFileSync(file, code.replace(/from 'webcnn'/g, `from ${JSON.stringify(join(repo, 'src/index.ts'))}`));
      // Quiet unless WEBCNN_SHOW_EXAMPLES=1 (to check the comments' numbers against the output).
      const log = vi.spyOn(console, 'log');
      if (!process.env.WEBCNN_SHOW_EXAMPLES) log.mockImplementation(() => {});
      try {
        await import(/* @vite-ignore */ file);
        expect(log, 'the example prints its results').toHaveBeenCalled();
      } finally {
        log.mockRestore();
      }
    }, 60_000);
  });
});
