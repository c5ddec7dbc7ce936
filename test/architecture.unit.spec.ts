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
