import { QueueGroups } from '#contracts';
import { bootstrapService } from '#runtime';
import { CaModule } from './ca.module.js';

await bootstrapService(CaModule, QueueGroups.caService);
