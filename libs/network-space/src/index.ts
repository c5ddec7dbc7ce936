export { NetworkSpaceCommands, SHARED_NETWORK_SPACES, networkSpacesProjection } from './network-space.commands.js';
export { evolveNetworkSpaces, networkSpaceEventTypes, skipInNetworkSpaces, type FoldedSpace, type NetworkSpaces } from './network-spaces.projection.js';
