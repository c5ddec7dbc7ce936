import { CaEventTypes, type CaEvent } from '#contracts';
import { evolveRootCa, initialRootCa, type RootCa } from '#domain';
import type { StreamFold } from '#eventstore';

/** A cluster's CA stream as every CA command and the roots projection read it. */
export const ROOT_CA: StreamFold<RootCa, CaEvent> = { types: CaEventTypes, initialState: initialRootCa, evolve: evolveRootCa };
