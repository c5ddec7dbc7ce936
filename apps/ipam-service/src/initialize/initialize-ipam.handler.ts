import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  Streams,
  Subjects,
  type EventData,
  type InitializeIpamRequest,
  type IpamEvent,
  type PositionReply,
} from '#contracts';
import { decideAddressSpace, defaultGateway, evolveAddressSpace, initialAddressSpace, parseIpv4Prefix } from '#domain';
import { handleCommand, type EventStore } from '#eventstore';
import { EVENT_STORE, deterministicEventId, serviceContext, toNewEvent } from '#runtime';

/**
 * A new swarm's address space: record its pools, give ingress the first subnet, create the
 * ingress network. Each step is idempotent, so a retry after a crash completes what is missing.
 */
@Controller()
export class InitializeIpamHandler {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @MessagePattern(Subjects.ipamInitialize)
  async initialize(@Payload() request: InitializeIpamRequest): Promise<PositionReply> {
    const stream = Streams.ipam(request.clusterId);
    const context = serviceContext('ipam-service', request.context);
    const evolve = (state: typeof initialAddressSpace, event: { type: string; data: unknown }) =>
      evolveAddressSpace(state, event as IpamEvent);
    await handleCommand({
      store: this.store,
      stream,
      initialState: initialAddressSpace,
      evolve,
      decide: (state) =>
        decideAddressSpace({ type: 'ConfigurePools', clusterId: request.clusterId, pools: request.pools, subnetSize: request.subnetSize }, state)
          .map((event) => toNewEvent(event, context, deterministicEventId(request.clusterId, 'pools'))),
    });
    const allocated = await handleCommand({
      store: this.store,
      stream,
      initialState: initialAddressSpace,
      evolve,
      decide: (state) =>
        decideAddressSpace({ type: 'AllocateSubnet', networkId: request.ingressNetworkId }, state)
          .map((event) => toNewEvent(event, context, deterministicEventId(request.ingressNetworkId, 'subnet'))),
    });
    const space = allocated.events.reduce((state, event) => evolve(state, event), allocated.state);
    const subnet = space.configured ? space.subnets.get(request.ingressNetworkId) : undefined;
    if (!subnet) throw new Error(`ingress ${request.ingressNetworkId} has no subnet`);
    return { position: await this.createIngress(request, subnet, context) };
  }

  private async createIngress(
    request: InitializeIpamRequest,
    allocation: { subnet: string; vxlanId: number },
    context: ReturnType<typeof serviceContext>,
  ): Promise<number> {
    const stream = Streams.network(request.ingressNetworkId);
    const existing = await this.store.readStream(stream);
    const last = existing.events.at(-1);
    if (last) return last.position;
    const prefix = parseIpv4Prefix(allocation.subnet)!;
    const data: EventData<'NetworkCreated'> = {
      networkId: request.ingressNetworkId,
      clusterId: request.clusterId,
      name: 'ingress',
      driver: 'overlay',
      ingress: true,
      internal: false,
      attachable: false,
      labels: {},
      options: {},
      subnet: allocation.subnet,
      gateway: defaultGateway(prefix),
      vxlanId: allocation.vxlanId,
      createdAt: request.createdAt,
    };
    const id = deterministicEventId(request.ingressNetworkId, 'created');
    const result = await this.store.append(stream, [toNewEvent({ type: 'NetworkCreated', data }, context, id)], 'no_stream');
    return result.position;
  }
}
