import { Module } from '@nestjs/common';
import { InfrastructureModule } from '#runtime';
import { InitProcess } from './init-swarm/init-process.js';
import { InitSwarmHandler } from './init-swarm/init-swarm.handler.js';
import { ResumeInitService } from './init-swarm/resume-init.service.js';
import { LeaveSwarmHandler } from './leave-swarm/leave-swarm.handler.js';
import { UpdateSwarmHandler } from './update-swarm/update-swarm.handler.js';

@Module({
  imports: [InfrastructureModule],
  controllers: [InitSwarmHandler, UpdateSwarmHandler, LeaveSwarmHandler],
  providers: [InitProcess, ResumeInitService],
})
export class NodeModule {}
