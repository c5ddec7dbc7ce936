export { InMemoryEventStore } from './memory-event-store.js';
