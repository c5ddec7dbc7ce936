import { QueueGroups } from '#contracts';
import { bootstrapService } from '#service-host';
import { TokenModule } from './token.module.js';

await bootstrapService(TokenModule, QueueGroups.tokenService);
