import { QueueGroups } from '#contracts';
import { bootstrapService } from '#runtime';
import { NodeModule } from './node.module.js';

await bootstrapService(NodeModule, QueueGroups.nodeService);
