import https from 'node:https';
import { SwarmPortPaths, SWARM_PORT_SERVER_NAME, type JoinReply } from '#contracts';
import { generateNodeKeyAndCsr } from '#pki';

export interface PortResponse {
  readonly status: number;
  readonly body: string;
}

/** A bare client of the manager's swarm port, standing in for an agent where a test needs the protocol itself. */
export class SwarmPortClient {
  constructor(
    readonly host: string,
    readonly port: number,
    /** Source address (another loopback address gives a client its own failed-join count). */
    readonly localAddress?: string,
  ) {}

  rootCa(): Promise<PortResponse> {
    return this.call('GET', SwarmPortPaths.rootCa, undefined, { rejectUnauthorized: false });
  }

  async join(token: string, ca: string, hostname = 'worker-1'): Promise<{ response: PortResponse; keyPem: string; reply?: JoinReply }> {
    const { keyPem, csrPem } = generateNodeKeyAndCsr();
    const description = { hostname, engineVersion: 'test', architecture: 'x86_64', os: 'linux', nanoCpus: 1e9, memoryBytes: 1 << 30 };
    const response = await this.call('POST', SwarmPortPaths.join, { token, csrPem, availability: 'active', description }, { ca });
    return { response, keyPem, ...(response.status === 200 ? { reply: JSON.parse(response.body) as JoinReply } : {}) };
  }

  /** A call authenticated by a node certificate (mTLS). */
  asNode(path: string, identity: { keyPem: string; certPem: string; ca: string }, body: unknown = {}, method = 'POST'): Promise<PortResponse> {
    return this.call(method, path, method === 'GET' ? undefined : body, { ca: identity.ca, key: identity.keyPem, cert: identity.certPem });
  }

  /** A join whose body is sent as given, byte for byte (malformed bodies). */
  joinRaw(body: string, ca: string): Promise<PortResponse> {
    return this.call('POST', SwarmPortPaths.join, new RawBody(body), { ca });
  }

  private call(method: string, path: string, body: unknown, tls: https.RequestOptions): Promise<PortResponse> {
    return new Promise((resolve, reject) => {
      const request = https.request(
        { host: this.host, port: this.port, path, method, servername: SWARM_PORT_SERVER_NAME, agent: false, ...(this.localAddress ? { localAddress: this.localAddress } : {}), ...tls, headers: { 'content-type': 'application/json' } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.end(body === undefined ? undefined : body instanceof RawBody ? body.text : JSON.stringify(body));
    });
  }
}

class RawBody {
  constructor(readonly text: string) {}
}
