export * from './rpc.js';
export * from './rpc-handler.js';
export * from './mux-client-nats.js';
