import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';

describe('wasm build', () => {
  it('the committed module.generated.ts is what src/backend/wasm/assembly compiles to', () => {
    // Throws (exit 1, with the file named) when someone edits the AssemblyScript without npm run build:wasm.
    const out = execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { encoding: 'utf8' });
    expect(out).toContain('is up to date');
  }, 120_000);
});
