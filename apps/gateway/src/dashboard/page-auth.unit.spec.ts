import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { PageAuth } from './page-auth.js';

const TOKEN = 'f'.repeat(64);
const auth = new PageAuth(TOKEN, 2380);

function request(url: string, headers: Record<string, string> = {}): [IncomingMessage, URL] {
  return [{ headers } as unknown as IncomingMessage, new URL(url, 'http://dashboard')];
}

/** A response that records what was written. */
function response(): ServerResponse & { status?: number; headers?: Record<string, string>; body?: string } {
  const recorded: { status?: number; headers?: Record<string, string>; body?: string } = {};
  return Object.assign(recorded, {
    writeHead(status: number, headers: Record<string, string>) {
      recorded.status = status;
      recorded.headers = headers;
    },
    end(body?: string) {
      recorded.body = body;
    },
  }) as unknown as ServerResponse & typeof recorded;
}

describe("the dashboard's access token", () => {
  it('is accepted in the query, a bearer header or its cookie; anything else is refused', () => {
    assert.deepEqual(auth.check(...request(`/?token=${TOKEN}`)), { ok: true, viaQuery: true });
    assert.deepEqual(auth.check(...request('/?token=nope')), { ok: false, viaQuery: true });
    assert.deepEqual(auth.check(...request('/api/view', { authorization: `Bearer ${TOKEN}` })), { ok: true, viaQuery: false });
    assert.deepEqual(auth.check(...request('/api/view', { cookie: `other=1; swarmplane_dashboard_2380=${TOKEN}` })), { ok: true, viaQuery: false });
    assert.equal(auth.check(...request('/api/view', { cookie: `swarmplane_dashboard_2381=${TOKEN}` })).ok, false, "another port's cookie");
    assert.equal(auth.check(...request('/api/view')).ok, false);
    assert.equal(auth.check(...request(`/?token=nope`, { cookie: `swarmplane_dashboard_2380=${TOKEN}` })).ok, false, 'a wrong token in the URL is not saved by a cookie');
  });

  it('given in the URL, becomes an HttpOnly SameSite=Strict cookie and leaves the address bar', () => {
    const res = response();
    auth.redirectWithCookie(res, new URL(`http://dashboard/?token=${TOKEN}&x=1`));
    assert.equal(res.status, 303);
    assert.equal(res.headers?.Location, '/?x=1');
    assert.equal(res.headers?.['Set-Cookie'], `swarmplane_dashboard_2380=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`);
    assert.equal(res.headers?.['Referrer-Policy'], 'no-referrer');
  });

  it('refuses with 401 and says where the token is, without giving it', () => {
    const res = response();
    auth.refuse(res);
    assert.equal(res.status, 401);
    assert.match(res.body ?? '', /data\/dashboard-token/);
    assert.ok(!(res.body ?? '').includes(TOKEN));
  });
});
