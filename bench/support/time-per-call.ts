/**
 * Microseconds per call of `fn`, after up to 20,000 unmeasured calls (V8 compiles it meanwhile).
 * A result that is not undefined is counted, so that V8 cannot drop the call as unused.
 */
export function timePerCall(fn: (i: number) => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) fn(i);
  const start = performance.now();
  let sink = 0;
  for (let i = 0; i < iterations; i++) if (fn(i) !== undefined) sink++;
  const micros = ((performance.now() - start) * 1000) / iterations;
  if (sink > iterations) throw new Error('unreachable');
  return micros;
}
