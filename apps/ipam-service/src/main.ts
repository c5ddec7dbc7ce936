import { QueueGroups } from '#contracts';
import { bootstrapService } from '#service-host';
import { IpamModule } from './ipam.module.js';

await bootstrapService(IpamModule, QueueGroups.ipamService);
