export { EngineListenError, engineListenPlan, engineUrl, isLoopback, plainTcpWarnings, type EngineListenInput, type EngineListenPlan, type EngineTlsFiles } from './listen-plan.js';
export { SOCKET_GROUP, SOCKET_MODE, claimSocketPath, groupId, secureSocket } from './unix-socket.js';
export { PLAIN_HTTP_TO_TLS_ANSWER, engineTlsServerOptions, watchTlsHandshakes } from './engine-tls.js';
export { listenEngineApi, type ListenLogger, type ListeningApp } from './listen-engine-api.js';
