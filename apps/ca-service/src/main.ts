import { QueueGroups } from '#contracts';
import { bootstrapService } from '#service-host';
import { CaModule } from './ca.module.js';

await bootstrapService(CaModule, QueueGroups.caService);
