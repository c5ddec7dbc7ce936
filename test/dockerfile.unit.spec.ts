import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ValidationSeverity, validate, type ValidatorSettings } from 'dockerfile-utils';
import { repoRoot } from './support/compose-file.js';

/** The Dockerfile linted by dockerfile-utils (every rule an error) and held to the project's own rules. */
const text = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');

interface Instruction {
  readonly line: number;
  readonly keyword: string;
  readonly args: string;
}
interface Stage {
  readonly name: string | undefined;
  readonly image: string;
  readonly instructions: Instruction[];
}

/** Instructions with continuation lines joined; comments and blank lines dropped. */
function instructions(source: string): Instruction[] {
  const result: Instruction[] = [];
  let pending: { line: number; text: string } | undefined;
  source.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (pending === undefined && (line === '' || line.startsWith('#'))) return;
    const text = `${pending?.text ?? ''} ${line.replace(/\\$/, '')}`.trim();
    if (line.endsWith('\\')) pending = { line: pending?.line ?? index + 1, text };
    else {
      const [keyword = '', ...rest] = text.split(/\s+/);
      result.push({ line: pending?.line ?? index + 1, keyword: keyword.toUpperCase(), args: rest.join(' ') });
      pending = undefined;
    }
  });
  return result;
}

function stages(all: readonly Instruction[]): Stage[] {
  const result: Stage[] = [];
  for (const instruction of all) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/).filter((word) => !word.startsWith('--platform'));
      result.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else result.at(-1)?.instructions.push(instruction);
  }
  return result;
}

const all = instructions(text);
const built = stages(all);
const final = built.at(-1)!;
const of = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((instruction) => instruction.keyword === keyword);

describe('Dockerfile: lint (dockerfile-utils)', () => {
  it('has no error or warning, every rule raised to an error', () => {
    const strict: ValidatorSettings = {
      deprecatedMaintainer: ValidationSeverity.ERROR,
      directiveCasing: ValidationSeverity.ERROR,
      emptyContinuationLine: ValidationSeverity.ERROR,
      instructionCasing: ValidationSeverity.ERROR,
      instructionCmdMultiple: ValidationSeverity.ERROR,
      instructionEntrypointMultiple: ValidationSeverity.ERROR,
      instructionHealthcheckMultiple: ValidationSeverity.ERROR,
      instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
      instructionWorkdirRelative: ValidationSeverity.ERROR,
    };
    const problems = validate(text, strict).map((problem) => `line ${problem.range.start.line + 1}: ${problem.message}`);
    assert.deepEqual(problems, []);
  });
});

describe('Dockerfile: project rules', () => {
  it('is multi-stage, every stage named', () => {
    assert.ok(built.length >= 2, `${built.length} stage(s)`);
    for (const stage of built) assert.ok(stage.name, `FROM ${stage.image} has AS <name>`);
  });

  it('pins every base image to a version tag or digest, never latest', () => {
    const names = new Set(built.map((stage) => stage.name));
    for (const stage of built.filter((candidate) => !names.has(candidate.image))) {
      const tag = /:([^/:@]+)$/.exec(stage.image.replace(/@sha256:[0-9a-f]{64}$/, ''))?.[1];
      assert.ok(/@sha256:[0-9a-f]{64}$/.test(stage.image) || (tag !== undefined && tag !== 'latest' && /\d/.test(tag)), stage.image);
    }
  });

  it('installs with npm ci from the lock file: all deps to build, production ones to run', () => {
    assert.ok(all.every((instruction) => !/\bnpm (install|i)\b/.test(instruction.args)), 'no npm install');
    const [build] = built;
    assert.ok(of(build!, 'RUN').some((run) => /\bnpm ci\b/.test(run.args)), 'the build stage runs npm ci');
    assert.ok(of(final, 'RUN').some((run) => /\bnpm ci\b.*--omit=dev/.test(run.args)), 'the final stage runs npm ci --omit=dev');
    for (const stage of built) {
      const copies = of(stage, 'COPY').map((copy) => copy.args);
      assert.ok(copies.some((args) => args.includes('package-lock.json')), `${stage.name} copies the lock file`);
    }
  });

  it('runs the final stage as a non-root user', () => {
    const user = of(final, 'USER').at(-1)?.args.split(':')[0];
    assert.ok(user, 'the final stage sets USER');
    assert.ok(!['root', '0'].includes(user), `USER ${user}`);
  });

  it('fetches nothing with ADD and copies the build output from a named stage', () => {
    assert.deepEqual(all.filter((instruction) => instruction.keyword === 'ADD' && /https?:\/\/|git@/.test(instruction.args)), []);
    const from = of(final, 'COPY').map((copy) => /--from=(\S+)/.exec(copy.args)?.[1]).filter((name) => name !== undefined);
    assert.ok(from.length > 0 && from.every((name) => built.some((stage) => stage.name === name)), from.join(','));
  });

  it('sets an absolute WORKDIR in every stage before it copies or runs', () => {
    for (const stage of built) {
      const workdir = stage.instructions.findIndex((instruction) => instruction.keyword === 'WORKDIR');
      const firstWork = stage.instructions.findIndex((instruction) => ['COPY', 'RUN', 'ADD'].includes(instruction.keyword));
      assert.ok(workdir >= 0 && workdir < firstWork && stage.instructions[workdir]!.args.startsWith('/'), `${stage.name}`);
    }
  });

  it('starts and health-checks an app of this repository in exec form', () => {
    const cmd = of(final, 'CMD').at(-1)?.args ?? '';
    assert.ok(cmd.startsWith('['), 'CMD in JSON form');
    assert.match(cmd, /dist\/apps\/\$\{APP\}\/src\/main\.js/);
    const healthcheck = of(final, 'HEALTHCHECK').at(-1)?.args ?? '';
    const script = /"(dist\/scripts\/[\w-]+)\.js"/.exec(healthcheck)?.[1];
    assert.ok(script && existsSync(path.join(repoRoot, `${script.replace(/^dist\//, '')}.ts`)), healthcheck);
  });

  it('copies only sources that exist, and the context leaves out what must not reach an image', () => {
    for (const copy of of(built[0]!, 'COPY')) {
      for (const source of copy.args.split(/\s+/).slice(0, -1)) assert.ok(existsSync(path.join(repoRoot, source)), `COPY ${source}`);
    }
    const ignored = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', 'dist', 'secrets', 'data', '.git']) assert.ok(ignored.includes(entry), `.dockerignore: ${entry}`);
  });
});
