import { Module, type DynamicModule } from '@nestjs/common';
import { AGENT_OPTIONS, type AgentOptions } from './agent-options.js';
import { HeartbeatService } from './heartbeat/heartbeat.service.js';
import { IdentityStore } from './identity/identity-store.js';
import { JoinController } from './join/join.controller.js';
import { LeaveController } from './leave/leave.controller.js';
import { ManagerApiController } from './manager-api/manager-api.controller.js';
import { ManagerForwarder } from './manager-api/manager-forwarder.js';
import { SwarmPortClient } from './swarm-port-client/swarm-port-client.js';
import { SystemController } from './system/system.controller.js';

@Module({})
export class AgentModule {
  static forOptions(options: AgentOptions): DynamicModule {
    return {
      module: AgentModule,
      controllers: [SystemController, JoinController, LeaveController, ManagerApiController],
      providers: [{ provide: AGENT_OPTIONS, useValue: options }, IdentityStore, SwarmPortClient, HeartbeatService, ManagerForwarder],
    };
  }
}
