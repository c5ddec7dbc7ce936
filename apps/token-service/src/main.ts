import { QueueGroups } from '#contracts';
import { bootstrapService } from '#runtime';
import { TokenModule } from './token.module.js';

await bootstrapService(TokenModule, QueueGroups.tokenService);
