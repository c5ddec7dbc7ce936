/**
 * Shares one read among concurrent callers without answering anyone with a read that started
 * before their call: a caller that arrives while a read is in flight waits for the next one, which
 * starts when the one in flight ends and serves everyone who arrived in the meantime. So at most
 * one read is in flight, and each answer is as fresh as a read of its own would have been (it
 * started after the call). Used for the head of the log, read before answering "not found" or
 * checking a join token: under load, many such checks arrive within one round trip.
 */
export class FreshRead<T> {
  private inFlight: Promise<T> | undefined;
  private next: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  /** A read is in flight or queued. */
  get busy(): boolean {
    return this.inFlight !== undefined || this.next !== undefined;
  }

  get(): Promise<T> {
    if (!this.inFlight) return this.start();
    // The read in flight started before this call: wait for the one after it.
    this.next ??= this.inFlight.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.next;
  }

  private startQueued(): Promise<T> {
    this.next = undefined;
    return this.start();
  }

  private start(): Promise<T> {
    const read = this.read();
    this.inFlight = read;
    const clear = (): void => {
      if (this.inFlight === read) this.inFlight = undefined;
    };
    read.then(clear, clear);
    return read;
  }
}
