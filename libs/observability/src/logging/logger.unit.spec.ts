import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PinoLoggerService, createLogger, logLevelFrom } from './logger.js';
import { REDACTED, scrubSecrets } from './redaction.js';
import { payloadCorrelationId } from './rpc-logging.interceptor.js';

/** A logger writing into an array of parsed JSON lines. */
function capture(level = 'trace'): { lines: Record<string, unknown>[]; text: () => string; logger: ReturnType<typeof createLogger> } {
  const raw: string[] = [];
  const destination = { write: (chunk: string) => void raw.push(chunk) };
  const logger = createLogger('test-service', { level, destination });
  return {
    get lines() {
      return raw.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    text: () => raw.join(''),
    logger,
  };
}

const JOIN_TOKEN = 'SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx';
const KEK_HEX = 'a3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

describe('the JSON logger', () => {
  it('writes one JSON object per line with level, service, message and fields', () => {
    const out = capture();
    out.logger.info({ correlationId: 'c-1' }, 'hello');
    const [line] = out.lines;
    assert.equal(line?.msg, 'hello');
    assert.equal(line?.service, 'test-service');
    assert.equal(line?.correlationId, 'c-1');
    assert.equal(line?.level, 30);
  });

  it('redacts secret fields at the top level and nested', () => {
    const out = capture();
    out.logger.info(
      {
        token: JOIN_TOKEN,
        kek: KEK_HEX,
        privateKey: PEM,
        request: { joinToken: JOIN_TOKEN, spec: { secret: 's3cr3t-value', name: 'default' } },
        reply: { JoinTokens: { Worker: JOIN_TOKEN, Manager: JOIN_TOKEN } },
        headers: { authorization: 'Bearer abc.def', 'x-registry-auth': 'eyJhbGciOi' },
      },
      'a request with secrets',
    );
    const text = out.text();
    for (const secret of [JOIN_TOKEN, KEK_HEX, 'MIGHAgEAMBMGByqGSM49', 's3cr3t-value', 'Bearer abc.def', 'eyJhbGciOi']) {
      assert.ok(!text.includes(secret), `${secret} must not be logged: ${text}`);
    }
    const [line] = out.lines as [Record<string, any>];
    assert.equal(line.token, REDACTED);
    assert.equal(line.kek, REDACTED);
    assert.equal(line.privateKey, REDACTED);
    assert.equal(line.request.joinToken, REDACTED);
    assert.equal(line.request.spec.secret, REDACTED);
    assert.equal(line.request.spec.name, 'default', 'other fields stay');
    assert.equal(line.reply.JoinTokens, REDACTED);
    assert.equal(line.headers.authorization, REDACTED);
    assert.equal(line.headers['x-registry-auth'], REDACTED);
  });

  it('scrubs join tokens, PEM private keys and hex keys out of messages and errors', () => {
    const out = capture();
    out.logger.warn(`rejected ${JOIN_TOKEN} with key ${KEK_HEX}`);
    out.logger.error({ err: new Error(`bad key ${PEM}`) }, 'failed');
    const text = out.text();
    assert.ok(!text.includes(JOIN_TOKEN) && !text.includes(KEK_HEX) && !text.includes('MIGHAgEAMBMGByqGSM49'), text);
    assert.match(text, /SWMTKN-1-\[REDACTED\]/);
  });

  it('leaves text without secrets as it is', () => {
    assert.equal(scrubSecrets('node abc joined as worker'), 'node abc joined as worker');
  });

  it('takes its level from LOG_LEVEL, info by default or when unknown', () => {
    assert.equal(logLevelFrom({ LOG_LEVEL: 'DEBUG' }), 'debug');
    assert.equal(logLevelFrom({}), 'info');
    assert.equal(logLevelFrom({ LOG_LEVEL: 'loud' }), 'info');
    const out = capture('warn');
    out.logger.info('hidden');
    out.logger.warn('shown');
    assert.deepEqual(out.lines.map((l) => l.msg), ['shown']);
  });
});

describe('PinoLoggerService (NestJS)', () => {
  it('maps Nest calls to levels, with the context and the stack of errors', () => {
    const out = capture();
    const service = new PinoLoggerService(out.logger);
    service.log('started', 'NestApplication');
    service.error('boom', 'Error: boom\n    at x', 'DockerErrorFilter');
    service.verbose('details');
    service.warn({ msg: 'unhealthy', failures: ['bus'], token: JOIN_TOKEN }, 'health');
    const [log, error, verbose, warn] = out.lines as [Record<string, any>, Record<string, any>, Record<string, any>, Record<string, any>];
    assert.deepEqual([log.level, log.msg, log.context], [30, 'started', 'NestApplication']);
    assert.deepEqual([error.level, error.msg, error.context, error.stack], [50, 'boom', 'DockerErrorFilter', 'Error: boom\n    at x']);
    assert.equal(verbose.level, 10);
    assert.deepEqual([warn.level, warn.msg, warn.context, warn.failures, warn.token], [40, 'unhealthy', 'health', ['bus'], REDACTED]);
  });
});

describe('payloadCorrelationId', () => {
  it('reads the correlation id of a request payload, if it carries a context', () => {
    assert.equal(payloadCorrelationId({ context: { correlationId: 'c-9', actor: 'api:x' }, name: 'n' }), 'c-9');
    assert.equal(payloadCorrelationId({ name: 'n' }), undefined);
    assert.equal(payloadCorrelationId('text'), undefined);
    assert.equal(payloadCorrelationId({ context: { correlationId: 7 } }), undefined);
  });
});
