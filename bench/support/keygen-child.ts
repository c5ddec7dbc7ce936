/**
 * `node keygen-child.js N`: writes N `{"keyPem","csrPem"}` lines (generateNodeKeyAndCsr), then a
 * last line `{"done":N,"ms":...}`. Run by keygen.ts in a child process: on Node 20.20 with
 * OpenSSL 3.0, exporting a fresh EC key as JWK (which generateNodeKeyAndCsr does, see
 * libs/pki/src/pki/keys.ts) now and then never returns, and a stuck process can only be killed.
 */
import { generateNodeKeyAndCsr } from '#pki';

const count = Number(process.argv[2] ?? 0);
const start = performance.now();
let buffered = '';
for (let i = 0; i < count; i++) {
  const { keyPem, csrPem } = generateNodeKeyAndCsr();
  buffered += `${JSON.stringify({ keyPem, csrPem })}\n`;
  if (buffered.length > 64 * 1024) {
    process.stdout.write(buffered);
    buffered = '';
  }
}
process.stdout.write(`${buffered}${JSON.stringify({ done: count, ms: performance.now() - start })}\n`);
