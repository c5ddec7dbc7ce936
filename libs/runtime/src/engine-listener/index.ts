export { EngineListenError, engineListenPlan, engineUrl, isLoopback, plainTcpWarnings, type EngineListenInput, type EngineListenPlan, type EngineTlsFiles } from './listen-plan.js';
export { SOCKET_GROUP, SOCKET_MODE, claimSocketPath, groupId, secureSocket } from './unix-socket.js';
export { engineTlsServerOptions } from './engine-tls.js';
export { listenEngineApi, type ListenLogger, type ListeningApp } from './listen-engine-api.js';
