import { Controller, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { LeaveSwarm } from './leave-swarm.js';
import { lenientQueryBool } from '#engine-http';

/** `POST /swarm/leave[?force=1]`: 200 with an empty body; the CLI prints `Node left the swarm.`. */
@Controller('swarm')
export class LeaveController {
  constructor(@Inject(LeaveSwarm) private readonly leaveSwarm: LeaveSwarm) {}

  @Post('leave')
  @HttpCode(200)
  async leave(@Query('force') force: string | undefined): Promise<void> {
    await this.leaveSwarm.leave(lenientQueryBool(force));
  }
}
