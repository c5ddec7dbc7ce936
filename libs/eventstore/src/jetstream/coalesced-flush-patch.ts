/**
 * A measured hot spot in @nats-io/nats-core 3.x: the client writes its outbound buffer to the
 * socket at the end of the microtask queue after a publish, so under load nearly every publish,
 * request and reply of a process (each arriving in its own I/O callback) became its own socket
 * write: `writeBuffer` was the largest native cost of node-service and the gateway in the join
 * profiles. Here the flush waits for `setImmediate`, after the current I/O phase: whatever the
 * process publishes while handling one batch of socket reads leaves in one write. A full buffer
 * (the client's `pendingLimit`) is still written at once, and `flush()` (PING) still writes now.
 */
import { ProtocolHandler } from '@nats-io/nats-core/internal';

const encoder = new TextEncoder();
const patched = Symbol.for('swarmplane.coalescedFlushPatch');

interface Outbound {
  length(): number;
  size(): number;
  fill(data: Uint8Array, ...payloads: Uint8Array[]): void;
}
interface Handler {
  outbound: Outbound;
  pendingLimit: number;
  flushPending(): void;
}
type SendCommand = (this: Handler, cmd: string | Uint8Array, ...payloads: Uint8Array[]) => void;
const prototype = ProtocolHandler.prototype as unknown as { sendCommand: SendCommand; [patched]?: true };

if (!prototype[patched]) {
  prototype.sendCommand = function sendCommandCoalesced(this: Handler, cmd: string | Uint8Array, ...payloads: Uint8Array[]): void {
    const empty = this.outbound.length() === 0;
    this.outbound.fill(typeof cmd === 'string' ? encoder.encode(cmd) : cmd, ...payloads);
    if (empty) setImmediate(() => this.flushPending());
    else if (this.outbound.size() >= this.pendingLimit) this.flushPending();
  };
  prototype[patched] = true;
}
