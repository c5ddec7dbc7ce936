/**
 * The service side of the typed bus: `@HandlesRequest(Subjects.x)` in place of NestJS's bare
 * `@MessagePattern(Subjects.x)`. The method must take the subject's request (or something wider,
 * such as `unknown` for a handler that validates its payload itself) and resolve with its reply,
 * as `RequestContracts` in libs/contracts says; otherwise the decorator does not compile.
 */
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { EventContracts, EventSubject, ReplyOf, RequestOf, RequestSubject } from '#contracts';

type RequestMethod<S extends RequestSubject> = (request: RequestOf<S>) => Promise<ReplyOf<S>> | ReplyOf<S>;

/** Answers `subject` (in the service's queue group) with the method. */
export function HandlesRequest<S extends RequestSubject>(subject: S) {
  return <M extends RequestMethod<S>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    MessagePattern(subject)(target, key, descriptor);
  };
}

/** Hears every event published on `subject` (no queue group: every replica hears it, no reply). */
export function HearsEvent<S extends EventSubject>(subject: S) {
  return EventPattern<EventContracts>(subject, { queue: '' });
}
