import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, type ErrorPayload } from '#contracts';
import {
  resolveAdvertiseAddr,
  resolveDataPathAddr,
  resolveListenAddr,
  resolveSystemAddr,
  splitHostPort,
  type InterfaceTable,
} from './addresses.js';

function assertDomainError(action: () => unknown, expected: ErrorPayload): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof DomainError, `expected a DomainError, got ${String(error)}`);
    assert.deepEqual(error.toPayload(), expected);
    return true;
  });
}

const invalidParameter = (message: string): ErrorPayload => ({ code: 'InvalidParameter', kind: 'InvalidParameter', message });

const BAD_ADVERTISE = invalidParameter(
  'advertise address must be a non-zero IP address or network interface (with optional port number)',
);
const BAD_LISTEN = invalidParameter('listen address must be an IP address or network interface (with optional port number)');

const TABLE: InterfaceTable = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
  eth0: [
    { address: '192.0.2.2', family: 'IPv4', internal: false },
    { address: 'fe80::1', family: 'IPv6', internal: false },
  ],
};

describe('splitHostPort', () => {
  it('splits host:port and defaults the port', () => {
    assert.deepEqual(splitHostPort('127.0.0.1:2400', '2377'), { host: '127.0.0.1', port: '2400' });
    assert.deepEqual(splitHostPort('127.0.0.1', '2377'), { host: '127.0.0.1', port: '2377' });
    assert.deepEqual(splitHostPort('lo:2400', '2377'), { host: 'lo', port: '2400' });
  });

  it('reads IPv6 bare or in brackets', () => {
    assert.deepEqual(splitHostPort('2001:db8::1', '2377'), { host: '2001:db8::1', port: '2377' });
    assert.deepEqual(splitHostPort('[2001:db8::1]:2400', '2377'), { host: '2001:db8::1', port: '2400' });
  });
});

describe('resolveAdvertiseAddr', () => {
  it('takes an IP without a port, with the listen port', () => {
    assert.deepEqual(resolveAdvertiseAddr('127.0.0.1', '2377', TABLE), { host: '127.0.0.1', port: '2377' });
    assert.deepEqual(resolveAdvertiseAddr('127.0.0.1', '2400', TABLE), { host: '127.0.0.1', port: '2400' });
  });

  it('takes an IP with a port', () => {
    assert.deepEqual(resolveAdvertiseAddr('127.0.0.1:2400', '2377', TABLE), { host: '127.0.0.1', port: '2400' });
  });

  it('resolves an interface name, with or without a port', () => {
    assert.deepEqual(resolveAdvertiseAddr('lo', '2377', TABLE), { host: '127.0.0.1', port: '2377' });
    assert.deepEqual(resolveAdvertiseAddr('lo:2400', '2377', TABLE), { host: '127.0.0.1', port: '2400' });
  });

  it("prefers an interface's IPv4 address over its IPv6 one", () => {
    assert.deepEqual(resolveAdvertiseAddr('eth0', '2377', TABLE), { host: '192.0.2.2', port: '2377' });
  });

  it('keeps any port text, as Docker does', () => {
    assert.deepEqual(resolveAdvertiseAddr('127.0.0.1:99999', '2377', TABLE), { host: '127.0.0.1', port: '99999' });
  });

  it('takes IPv6 literals', () => {
    assert.deepEqual(resolveAdvertiseAddr('2001:db8::1', '2377', TABLE), { host: '2001:db8::1', port: '2377' });
    assert.deepEqual(resolveAdvertiseAddr('[2001:db8::1]:2400', '2377', TABLE), { host: '2001:db8::1', port: '2400' });
  });

  for (const given of ['nosuch0', 'localhost', '0.0.0.0', '0.0.0.0:2377', '::', 'nosuch0:2400', 'example.com']) {
    it(`refuses ${given}`, () => {
      assertDomainError(() => resolveAdvertiseAddr(given, '2377', TABLE), BAD_ADVERTISE);
    });
  }

  // BUG: the interface table is a plain object (os.networkInterfaces() returns one too), so a name
  // that is an Object.prototype key is read as an interface and `addresses.filter` throws a TypeError.
  for (const given of ['constructor', 'toString', '__proto__', 'hasOwnProperty:2377']) {
    it(`refuses ${given} like any unknown name (not a TypeError)`, () => {
      assertDomainError(() => resolveAdvertiseAddr(given, '2377', TABLE), BAD_ADVERTISE);
    });
  }

  it('uses the daemon default address when none is given, with the listen port', () => {
    assert.deepEqual(resolveAdvertiseAddr('', '2377', TABLE, '127.0.0.1'), { host: '127.0.0.1', port: '2377' });
    assert.deepEqual(resolveAdvertiseAddr('', '2400', TABLE, 'lo'), { host: '127.0.0.1', port: '2400' });
  });

  it('prefers the given address over the daemon default', () => {
    assert.deepEqual(resolveAdvertiseAddr('eth0', '2377', TABLE, 'lo'), { host: '192.0.2.2', port: '2377' });
  });

  it("falls back to the system's address, with the listen port", () => {
    assert.deepEqual(resolveAdvertiseAddr('', '2400', TABLE), { host: '192.0.2.2', port: '2400' });
  });

  it('refuses an interface with two IPv4 addresses', () => {
    const table: InterfaceTable = {
      eth1: [
        { address: '192.0.2.3', family: 'IPv4', internal: false },
        { address: '192.0.2.4', family: 'IPv4', internal: false },
      ],
    };
    assertDomainError(
      () => resolveAdvertiseAddr('eth1', '2377', table),
      invalidParameter('interface eth1 has more than one IPv4 address (192.0.2.3 and 192.0.2.4)'),
    );
  });

  it('takes the IPv6 address of an interface that has only one', () => {
    const table: InterfaceTable = { eth2: [{ address: '2001:db8::2', family: 'IPv6', internal: false }] };
    assert.deepEqual(resolveAdvertiseAddr('eth2', '2377', table), { host: '2001:db8::2', port: '2377' });
  });

  it('refuses an interface without addresses', () => {
    assertDomainError(
      () => resolveAdvertiseAddr('eth3', '2377', { eth3: [] }),
      invalidParameter('interface eth3 has no usable IPv4 or IPv6 address'),
    );
  });
});

describe('resolveListenAddr', () => {
  it('defaults the port to 2377', () => {
    assert.deepEqual(resolveListenAddr('127.0.0.1', TABLE), { host: '127.0.0.1', port: '2377' });
  });

  it('resolves an interface with a port', () => {
    assert.deepEqual(resolveListenAddr('lo:2400', TABLE), { host: '127.0.0.1', port: '2400' });
  });

  it('accepts the unspecified address', () => {
    assert.deepEqual(resolveListenAddr('0.0.0.0:2377', TABLE), { host: '0.0.0.0', port: '2377' });
    assert.deepEqual(resolveListenAddr('0.0.0.0', TABLE), { host: '0.0.0.0', port: '2377' });
  });

  it('accepts the port bounds', () => {
    assert.deepEqual(resolveListenAddr('127.0.0.1:65535', TABLE), { host: '127.0.0.1', port: '65535' });
  });

  it('refuses a port out of range, as the manager fails to listen', () => {
    assertDomainError(() => resolveListenAddr('127.0.0.1:99999', TABLE), {
      code: 'System',
      kind: 'System',
      message: 'manager stopped: failed to listen on remote API address: listen tcp: address 99999: invalid port',
    });
  });

  for (const given of ['localhost', 'localhost:2377', 'example.com', 'nosuch0']) {
    it(`refuses the hostname ${given}`, () => {
      assertDomainError(() => resolveListenAddr(given, TABLE), BAD_LISTEN);
    });
  }

  // BUG: same prototype-key lookup as for the advertise address.
  it('refuses toString:2377 like any unknown name (not a TypeError)', () => {
    assertDomainError(() => resolveListenAddr('toString:2377', TABLE), BAD_LISTEN);
  });
});

describe('resolveSystemAddr', () => {
  it('takes the one external IPv4 address, ignoring loopback and link-local', () => {
    assert.equal(resolveSystemAddr(TABLE), '192.0.2.2');
  });

  it('refuses addresses on two external interfaces', () => {
    const table: InterfaceTable = {
      ...TABLE,
      eth1: [{ address: '198.51.100.7', family: 'IPv4', internal: false }],
    };
    assertDomainError(
      () => resolveSystemAddr(table),
      invalidParameter(
        'could not choose an IP address to advertise since this system has multiple addresses on different interfaces (192.0.2.2 on eth0 and 198.51.100.7 on eth1)',
      ),
    );
  });

  it('refuses two IPv4 addresses on one interface', () => {
    const table: InterfaceTable = {
      eth0: [
        { address: '192.0.2.2', family: 'IPv4', internal: false },
        { address: '192.0.2.3', family: 'IPv4', internal: false },
      ],
    };
    assertDomainError(
      () => resolveSystemAddr(table),
      invalidParameter(
        'could not choose an IP address to advertise since this system has multiple addresses on interface eth0 (192.0.2.2 and 192.0.2.3)',
      ),
    );
  });

  it('refuses a system without an external address', () => {
    const table: InterfaceTable = { lo: TABLE.lo, eth0: [{ address: 'fe80::1', family: 'IPv6', internal: false }] };
    assertDomainError(() => resolveSystemAddr(table), invalidParameter("could not find the system's IP address"));
    assertDomainError(() => resolveSystemAddr({}), invalidParameter("could not find the system's IP address"));
  });

  it('takes a global IPv6 address when an interface has no IPv4 one', () => {
    assert.equal(resolveSystemAddr({ lo: TABLE.lo, eth0: [{ address: '2001:db8::2', family: 'IPv6', internal: false }] }), '2001:db8::2');
  });
});

describe('resolveDataPathAddr', () => {
  it('takes nothing, a non-zero IP or an interface, and refuses a port, 0.0.0.0 or a name with the Engine\'s 400', () => {
    assert.equal(resolveDataPathAddr('', TABLE), undefined);
    assert.equal(resolveDataPathAddr('127.0.0.1', TABLE), '127.0.0.1');
    assert.equal(resolveDataPathAddr('lo', TABLE), '127.0.0.1');
    const bad = invalidParameter('data path address must be a non-zero IP address or network interface (without a port number)');
    for (const text of ['bogus0', '1.2.3.4:5', '0.0.0.0']) assertDomainError(() => resolveDataPathAddr(text, TABLE), bad);
  });
});
