import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

interface LayerSpec {
  pattern: string;
  mode?: string;
  /** null: exempt (bench, tests). */
  allow: string[] | null;
}
// eslint.config.js is plain JavaScript (no types to import); its LAYERS table has this shape.
const CONFIG: string = '../eslint.config.js';
const { LAYERS } = (await import(CONFIG)) as { LAYERS: Record<string, LayerSpec> };

/*
 * The import boundaries are rules only if they can fail. For every folder with an allow-list, lint (with the
 * project's own config) one of its real files rewritten to import one file of every other folder: each import
 * its allow-list names must pass, every other one must be reported by the boundary rule.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
type Layer = string;

/** A real, non-test source file of a layer, or undefined when the layer has none yet (web/ before the dashboard). */
function sampleOf(layer: Layer): string | undefined {
  const spec = LAYERS[layer] as LayerSpec;
  // A glob names files, not a folder: the composition root's sample is src/main.ts.
  if (spec.pattern.includes('*')) return path.join(ROOT, 'src/main.ts');
  const dir = path.join(ROOT, spec.pattern);
  if (!existsSync(dir)) return undefined;
  const walk = (d: string): string | undefined => {
    for (const f of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, f.name);
      if (f.isFile() && /\.tsx?$/.test(f.name) && !/\.test\.tsx?$/.test(f.name)) return full;
    }
    for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.isDirectory() && f.name !== 'node_modules' && f.name !== 'fixtures') {
        const found = walk(path.join(d, f.name));
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(dir);
}

// The project's config without its type-aware rules: the boundary rules read import paths, not types, and a
// type-checked lint of every sample would take minutes.
const eslint = new ESLint({ cwd: ROOT, overrideConfig: tseslint.configs.disableTypeChecked });

async function boundaryErrors(file: string, importPath: string): Promise<string[]> {
  let spec = path.relative(path.dirname(file), importPath).split(path.sep).join('/');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  const [result] = await eslint.lintText(`import type {} from '${spec}';\nexport {};\n`, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('boundaries/')).map((m) => m.message);
}

const layers = Object.keys(LAYERS);
const targets = layers
  .map((l) => [l, sampleOf(l)] as const)
  .filter((e): e is readonly [Layer, string] => e[1] !== undefined);

describe('import boundaries', () => {
  for (const from of layers) {
    const allow = LAYERS[from]?.allow ?? null;
    const file = sampleOf(from);
    if (allow === null || file === undefined) continue;
    it(`${from}/ may import ${allow.length ? allow.join(', ') : 'nothing of ours'}, and nothing else`, async () => {
      const outcome: Record<string, 'allowed' | 'refused'> = {};
      for (const [to, target] of targets) {
        if (to === from || target === file) continue;
        outcome[to] = (await boundaryErrors(file, target)).length === 0 ? 'allowed' : 'refused';
      }
      const expected = Object.fromEntries(
        Object.keys(outcome).map((to) => [to, allow.includes(to) ? 'allowed' : 'refused']),
      );
      expect(outcome).toEqual(expected);
    }, 60_000);
  }

  it('reports the forbidden import with the rule that holds the boundary', async () => {
    const errors = await boundaryErrors(
      path.join(ROOT, 'src/metrics/calculator.ts'),
      path.join(ROOT, 'src/db/client.ts'),
    );
    expect(errors).toEqual(['metrics/ may import only metrics/ itself and what its allow-list names']);
  });
});
