import { goBool, goDuration, goInt, goRequest, goSlice, goString, goStringMap, goStruct } from './go-schema.js';
import { engineRequest } from './engine-request.js';

/** The Engine's `swarm.Spec` fields (API 1.41), as `swarm init` and `swarm update` take them. */
const specFields = {
  Name: goString(),
  Labels: goStringMap(),
  Orchestration: goStruct('OrchestrationConfig', 'swarm.OrchestrationConfig', { TaskHistoryRetentionLimit: goInt('int64') }),
  Raft: goStruct('RaftConfig', 'swarm.RaftConfig', {
    SnapshotInterval: goInt('uint64'),
    KeepOldSnapshots: goInt('uint64'),
    LogEntriesForSlowFollowers: goInt('uint64'),
    ElectionTick: goInt('int'),
    HeartbeatTick: goInt('int'),
  }),
  Dispatcher: goStruct('DispatcherConfig', 'swarm.DispatcherConfig', { HeartbeatPeriod: goDuration() }),
  CAConfig: goStruct('CAConfig', 'swarm.CAConfig', {
    NodeCertExpiry: goDuration(),
    ExternalCAs: goSlice(
      goStruct('ExternalCA', 'swarm.ExternalCA', {
        Protocol: goString('swarm.ExternalCAProtocol'),
        URL: goString(),
        Options: goStringMap(),
        CACert: goString(),
      }),
      '[]*swarm.ExternalCA',
      16,
    ),
    SigningCACert: goString(),
    SigningCAKey: goString(),
    ForceRotate: goInt('uint64'),
  }),
  TaskDefaults: goStruct('TaskDefaults', 'swarm.TaskDefaults', {
    LogDriver: goStruct('Driver', 'swarm.Driver', { Name: goString(), Options: goStringMap() }),
  }),
  EncryptionConfig: goStruct('EncryptionConfig', 'swarm.EncryptionConfig', { AutoLockManagers: goBool() }),
};

/** `POST /swarm/init` (`swarm.InitRequest`). */
export const SwarmInitBody = engineRequest(
  goRequest('InitRequest', 'swarm.InitRequest', {
    ListenAddr: goString(),
    AdvertiseAddr: goString(),
    DataPathAddr: goString(),
    DataPathPort: goInt('uint32'),
    ForceNewCluster: goBool(),
    Spec: goStruct('Spec', 'swarm.Spec', specFields),
    AutoLockManagers: goBool(),
    Availability: goString('swarm.NodeAvailability'),
    DefaultAddrPool: goSlice(goString()),
    SubnetSize: goInt('uint32'),
  }),
);

/** `POST /swarm/update` (`swarm.Spec`). */
export const SwarmSpecBody = engineRequest(goRequest('Spec', 'swarm.Spec', specFields));

/** `POST /swarm/unlock` (`swarm.UnlockRequest`). */
export const SwarmUnlockBody = engineRequest(goRequest('UnlockRequest', 'swarm.UnlockRequest', { UnlockKey: goString() }));

/** `POST /swarm/join` (`swarm.JoinRequest`). */
export const SwarmJoinBody = engineRequest(
  goRequest('JoinRequest', 'swarm.JoinRequest', {
    ListenAddr: goString(),
    AdvertiseAddr: goString(),
    DataPathAddr: goString(),
    RemoteAddrs: goSlice(goString(), '[]string', 16),
    JoinToken: goString(),
    Availability: goString('swarm.NodeAvailability'),
  }),
);

/** `POST /nodes/{id}/update` (`swarm.NodeSpec`). */
export const NodeSpecBody = engineRequest(
  goRequest('NodeSpec', 'swarm.NodeSpec', {
    Name: goString(),
    Labels: goStringMap(),
    Role: goString('swarm.NodeRole'),
    Availability: goString('swarm.NodeAvailability'),
  }),
);

/** `POST /networks/create` (`types.NetworkCreateRequest`). */
export const NetworkCreateBody = engineRequest(
  goRequest('NetworkCreateRequest', 'types.NetworkCreateRequest', {
    Name: goString(),
    CheckDuplicate: goBool(),
    Driver: goString(),
    Scope: goString(),
    EnableIPv6: goBool(),
    IPAM: goStruct('IPAM', 'network.IPAM', {
      Driver: goString(),
      Options: goStringMap(),
      Config: goSlice(
        goStruct('IPAMConfig', 'network.IPAMConfig', {
          Subnet: goString(),
          IPRange: goString(),
          Gateway: goString(),
          AuxiliaryAddresses: goStringMap(),
        }),
        '[]network.IPAMConfig',
        16,
      ),
    }),
    Internal: goBool(),
    Attachable: goBool(),
    Ingress: goBool(),
    ConfigOnly: goBool(),
    ConfigFrom: goStruct('ConfigReference', 'network.ConfigReference', { Network: goString() }),
    Options: goStringMap(),
    Labels: goStringMap(),
  }),
);
