import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository root, from dist/test/support/. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The parts of a compose service the deployment checks read; the rest is left to `docker-compose config`. */
export interface ComposeService {
  readonly name: string;
  readonly image: string | undefined;
  readonly command: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
  readonly dependsOn: Readonly<Record<string, string | undefined>>;
  readonly healthcheck: readonly string[];
  readonly replicas: number;
  readonly ports: readonly string[];
  readonly volumes: readonly string[];
  readonly secrets: readonly string[];
  readonly profiles: readonly string[];
  /** The restart policy (`no` when the file sets none, as Compose defaults). */
  readonly restart: string;
}

export interface ComposeFile {
  readonly text: string;
  readonly services: readonly ComposeService[];
  readonly secrets: Readonly<Record<string, { readonly file?: string }>>;
  readonly volumes: readonly string[];
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown): Json => (isObject(value) ? value : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);

/** Parses docker-compose.yml, anchors and `<<` merge keys resolved as Compose resolves them. */
export function loadComposeFile(file = path.join(repoRoot, 'docker-compose.yml')): ComposeFile {
  const text = readFileSync(file, 'utf8');
  const document = objectAt(parse(text, { merge: true }));
  const services = Object.entries(objectAt(document.services)).map(([name, raw]) => toService(name, objectAt(raw)));
  return {
    text,
    services,
    secrets: objectAt(document.secrets) as ComposeFile['secrets'],
    volumes: Object.keys(objectAt(document.volumes)),
  };
}

function toService(name: string, raw: Json): ComposeService {
  const dependsOn = Array.isArray(raw.depends_on)
    ? Object.fromEntries(raw.depends_on.map((dependency) => [String(dependency), undefined]))
    : Object.fromEntries(Object.entries(objectAt(raw.depends_on)).map(([dependency, spec]) => [dependency, objectAt(spec).condition as string | undefined]));
  return {
    name,
    image: typeof raw.image === 'string' ? raw.image : undefined,
    command: strings(raw.command),
    environment: Object.fromEntries(Object.entries(objectAt(raw.environment)).map(([key, value]) => [key, String(value)])),
    dependsOn,
    healthcheck: strings(objectAt(raw.healthcheck).test),
    replicas: Number(objectAt(raw.deploy).replicas ?? 1),
    ports: strings(raw.ports),
    volumes: strings(raw.volumes),
    secrets: strings(raw.secrets),
    profiles: strings(raw.profiles),
    restart: typeof raw.restart === 'string' ? raw.restart : 'no',
  };
}

/** The value after `flag` in a command line, e.g. `--routes`. */
export function flagValue(command: readonly string[], flag: string): string | undefined {
  const at = command.indexOf(flag);
  return at < 0 ? undefined : command[at + 1];
}

/**
 * Every environment variable name the apps, libs and scripts read (`env.NAME`, `process.env.NAME`,
 * `env['NAME']`), from the TypeScript sources; specs and the test helpers are left out.
 */
export function envNamesReadBySources(): Set<string> {
  const names = new Set<string>();
  const pattern = /\benv(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g;
  for (const file of sourceFiles(['apps', 'libs', 'scripts'])) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const name = match[1] ?? match[2];
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

function sourceFiles(dirs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && full !== path.join(repoRoot, 'libs', 'testing')) walk(full);
      } else if (/\.(ts|mjs)$/.test(entry.name) && !entry.name.includes('.spec.')) files.push(full);
    }
  };
  for (const dir of dirs) walk(path.join(repoRoot, dir));
  return files;
}
