import { QueueGroups } from '#contracts';
import { bootstrapService } from '#runtime';
import { IpamModule } from './ipam.module.js';

await bootstrapService(IpamModule, QueueGroups.ipamService);
