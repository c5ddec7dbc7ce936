import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Cross-checks against the openssl CLI in tests; skipped where openssl is not on PATH. */
export const opensslAvailable = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

export function opensslText(kind: 'x509' | 'req', pem: string): string {
  return execFileSync('openssl', [kind, '-noout', '-text'], { input: pem, encoding: 'utf8' });
}

/** Runs `openssl verify -CAfile ca cert` (optionally at a fixed time) and returns its output. */
export function opensslVerify(caPem: string, certPem: string, atEpochSeconds?: number): { ok: boolean; output: string } {
  const directory = mkdtempSync(join(tmpdir(), 'pki-test-'));
  try {
    writeFileSync(join(directory, 'ca.pem'), caPem);
    writeFileSync(join(directory, 'cert.pem'), certPem);
    const timeArguments = atEpochSeconds === undefined ? [] : ['-attime', String(atEpochSeconds)];
    const result = spawnSync('openssl', ['verify', ...timeArguments, '-CAfile', join(directory, 'ca.pem'), join(directory, 'cert.pem')], {
      encoding: 'utf8',
    });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
