/** An answer on the swarm port. */
export interface PortReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string | Buffer;
}
