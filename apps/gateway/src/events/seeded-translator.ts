import { DockerEventTranslator } from '#engine-http';
import type { ReadModelService } from '../read-model/read-model.service.js';

/**
 * A Docker events translator that already knows the nodes and networks the read model holds, so
 * that events from the model's position on are named and attributed as the Engine would.
 */
export function seededTranslator(readModel: ReadModelService): DockerEventTranslator {
  const model = readModel.model;
  return new DockerEventTranslator().seed({
    nodes: [...model.nodes.values()].map(({ data }) => ({
      id: data.nodeId,
      name: data.engine.hostname,
      role: data.role,
      availability: data.availability,
      state: data.state,
    })),
    networks: [...model.networks.values()].map(({ data }) => ({ id: data.networkId, name: data.name })),
  });
}
