import { QueueGroups } from '#contracts';
import { bootstrapService } from '#service-host';
import { NodeModule } from './node.module.js';

await bootstrapService(NodeModule, QueueGroups.nodeService);
