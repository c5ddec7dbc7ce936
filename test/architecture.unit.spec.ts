import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

it('the dependency rules of the design hold (dependency-cruiser)', () => {
  const bin = path.join(root, 'node_modules', '.bin', 'depcruise');
  const output = execFileSync(bin, ['apps', 'libs', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.match(output, /no dependency violations found/);
});

it('nest-cli.json and the import map name every app and library, and nothing else', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const folders = ['apps', 'libs'].flatMap((top) => readdirSync(path.join(root, top)).map((name) => `${top}/${name}`)).sort();
  const nest = JSON.parse(readFileSync(path.join(root, 'nest-cli.json'), 'utf8')) as { projects: Record<string, { root: string; type: string }> };
  assert.deepEqual(Object.values(nest.projects).map((p) => p.root).sort(), folders);
  const imports = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { imports: Record<string, { types: string }> }).imports;
  const libs = folders.filter((f) => f.startsWith('libs/'));
  assert.deepEqual(Object.values(imports).map((entry) => entry.types.replace(/^\.\//, '').replace(/\/src\/index\.ts$/, '')).sort(), libs);
});

it("the README's list of streams is the list of stream categories", async () => {
  const { readFileSync } = await import('node:fs');
  const { StreamCategories } = await import('#contracts');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const sentence = /Each aggregate has its stream: ([\s\S]*?), built from generated IDs only\./.exec(readme);
  assert.ok(sentence, 'the README names the streams');
  const listed = [...(sentence[1] ?? '').matchAll(/`([a-z]+)(?:-<id>)?`/g)].map((m) => m[1]).sort();
  assert.deepEqual(listed, Object.values(StreamCategories).sort());
});
