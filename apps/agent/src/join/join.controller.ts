import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { JoinSwarm } from './join-swarm.js';

/** `POST /swarm/join`: 200 with an empty body; the CLI then reads `GET /info` to print the role. */
@Controller('swarm')
export class JoinController {
  constructor(@Inject(JoinSwarm) private readonly joinSwarm: JoinSwarm) {}

  @Post('join')
  @HttpCode(200)
  async join(@Body() body: unknown): Promise<void> {
    await this.joinSwarm.join(body);
  }
}
