import { Module, type DynamicModule } from '@nestjs/common';
import { AGENT_OPTIONS, type AgentOptions } from './agent-options.js';
import { EventsController } from './events/events.controller.js';
import { HeartbeatService } from './heartbeat/heartbeat.service.js';
import { IdentityStore } from './identity-store/identity-store.js';
import { JoinController } from './join/join.controller.js';
import { JoinSwarm } from './join/join-swarm.js';
import { LeaveController } from './leave/leave.controller.js';
import { LeaveSwarm } from './leave/leave-swarm.js';
import { ManagerApiController } from './manager-api/manager-api.controller.js';
import { ManagerForwarder } from './manager-api/manager-forwarder.js';
import { SwarmPortClient } from './swarm-port-client/swarm-port-client.js';
import { LocalEngine } from './system/local-engine.js';
import { SystemController } from './system/system.controller.js';

@Module({})
export class AgentModule {
  static forOptions(options: AgentOptions): DynamicModule {
    return {
      module: AgentModule,
      // ManagerApiController's catch-all route answers whatever the others do not.
      controllers: [SystemController, JoinController, LeaveController, EventsController, ManagerApiController],
      providers: [
        { provide: AGENT_OPTIONS, useValue: options },
        IdentityStore,
        LocalEngine,
        SwarmPortClient,
        HeartbeatService,
        ManagerForwarder,
        JoinSwarm,
        LeaveSwarm,
      ],
    };
  }
}
