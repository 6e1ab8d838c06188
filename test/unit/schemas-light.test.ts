import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The schemas are imported by every page: whatever they import lands in the renderer's main chunk. The
// holiday calendar (France's rules and time zones, ~300 kB) must stay in its own chunk, loaded by the pages
// that plan slots. This walks the real import graph of shared/schemas/ and shared/contract/.
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*from\s+['"](\.[^'"]+)['"]/gm)]
    .filter((m) => !/^import type|^export type/.test(m[0]))
    .map((m) => resolve(dirname(file), m[1]!).replace(/(\.ts)?$/, '.ts'));
}

function reachable(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...roots];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    try {
      todo.push(...importsOf(f));
    } catch {
      // An import of a folder's index or a JSON file: not TypeScript we walk.
    }
  }
  return seen;
}

describe('the schemas and the contract stay light', () => {
  it('never reach the holiday calendar', () => {
    const roots = ['shared/schemas', 'shared/contract'].flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.ts')).map((f) => resolve(join(d, f))));
    const files = [...reachable(roots)].map((f) => f.slice(process.cwd().length + 1));
    expect(files).toContain('shared/domain/half-days.ts');
    expect(files.filter((f) => /holidays|timetable/.test(f))).toEqual([]);
  });
});
