/**
 * A measured hot spot in @nats-io/nats-core 3.x: every request that gets its reply ends in
 * `RequestOne.cancel()`, which builds `new RequestError("cancelled")` only to reject a promise that
 * is already resolved (a no-op). Capturing that error's stack was ~40-120 µs per RPC in the join
 * profiles, on every process. Here `cancel()` without a reason gets one error made once; a caller
 * that really cancels a pending request still sees a RequestError("cancelled").
 */
import { RequestError } from '@nats-io/nats-core';
import { RequestOne } from '@nats-io/nats-core/internal';

const CANCELLED = new RequestError('cancelled');
const patched = Symbol.for('swarmplane.settledRequestPatch');

type Cancel = (this: unknown, err?: Error) => void;
const prototype = RequestOne.prototype as unknown as { cancel: Cancel; [patched]?: true };

if (!prototype[patched]) {
  const cancel = prototype.cancel;
  prototype.cancel = function cancelWithSharedReason(this: unknown, err?: Error): void {
    cancel.call(this, err ?? CANCELLED);
  };
  prototype[patched] = true;
}
