export { NetworkSpaceCommands } from './network-space.commands.js';
export { evolveNetworkSpaces, networkSpaceEventTypes, skipInNetworkSpaces, type FoldedSpace, type NetworkSpaces } from './network-spaces.projection.js';
