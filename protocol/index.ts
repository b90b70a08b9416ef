/**
 * Peerwatch's API contract, shared by the server and the PWA: the zod schemas
 * of every request and response, the household events, the error codes and the
 * route table. Browser- and Node-safe (no DOM or Node imports). Wire types are
 * inferred from the schemas; times are ms since the Unix epoch (`...AtMs`).
 */
export * from './accounts.js';
export * from './account-settings.js';
export * from './audit.js';
export * from './calls.js';
export * from './dashboard.js';
export * from './camera-controls.js';
export * from './camera-settings.js';
export * from './device-name.js';
export * from './devices.js';
export * from './errors.js';
export * from './events.js';
export * from './motion-events.js';
export * from './members.js';
export * from './notifications.js';
export * from './permissions.js';
export * from './recordings.js';
export * from './route.js';
export * from './route-types.js';
export * from './routes.js';
