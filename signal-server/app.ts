import http from 'node:http';
import https from 'node:https';
import express from 'express';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { Store } from './store/store.js';
import { JwtIssuer } from './auth/jwt.js';
import { SessionIssuer } from './auth/sessions.js';
import { resolveAuthorization } from './auth/principal.js';
import { scopesAllow } from '../protocol/permissions.js';
import { authRoutes } from './auth/routes.js';
import { AuditLog } from './audit/audit-log.js';
import { AuditRetention } from './audit/audit-retention.js';
import { LiveViews } from './audit/live-views.js';
import { auditRoutes } from './audit/routes.js';
import { accountRoutes } from './account/routes.js';
import { dashboardRoutes } from './dashboard/routes.js';
import { deviceRoutes } from './devices/routes.js';
import { pairingRoutes } from './devices/pairing-routes.js';
import { memberRoutes } from './members/routes.js';
import { createMetrics } from './metrics/metrics.js';
import { ServerCounters } from './metrics/server-counters.js';
import { tokenRoutes } from './tokens/routes.js';
import { LocalEventHub } from './events/event-hub.js';
import { streamRoutes } from './events/routes.js';
import { PresenceTracker } from './presence/presence-tracker.js';
import { SignalingServer } from './signaling/signaling-server.js';
import { TicketGate } from './signaling/ticket-gate.js';
import { signalingRoutes } from './signaling/routes.js';
import { ClusterSignaling } from './signaling/cluster-signaling.js';
import { SharedSpentTickets } from './signaling/shared-spent-tickets.js';
import { iceRoutes } from './ice/routes.js';
import { createNotifications } from './notifications/notifications.js';
import { createRecordings } from './recordings/recordings.js';
import { createCameraControls } from './camera-controls/camera-controls.js';
import { createCameraSettings } from './camera-settings/camera-settings.js';
import { createMotionEvents } from './motion-events/motion-events.js';
import { referenceRoutes } from './reference/routes.js';
import { ContractRouter } from './http/contract-router.js';
import { apiNotFound, errorHandler } from './http/errors.js';
import { guessLimiter } from './http/rate-limit.js';
import { requestLog } from './http/request-log.js';
import { securityHeaders } from './http/security-headers.js';
import { guardConnections, guardRequestStreams } from './http/socket-guards.js';
import { staticPwa } from './http/static-pwa.js';
import { packageVersion } from './startup/package-version.js';
import { serverRoutes } from './startup/server-routes.js';
import { healthRoute } from './startup/health-route.js';
import { joinCluster } from './cluster/cluster.js';
import type { TlsCertificate } from './tls/certificate.js';

/** Where PeerJS clients connect (their `path` option). */
export const SIGNALING_MOUNT_PATH = '/peerjs';
/** The PeerJS API key of this server. */
export const SIGNALING_KEY = 'peerwatch';
/** Longest wait for one Redis call on a signaling path (a socket opening, a message forwarded), ms. */
const SIGNALING_REDIS_WAIT_MS = 1_000;

/**
 * A composed server: an HTTP server and, when a certificate is given, an HTTPS
 * server with the same app and signaling (neither listening yet), and their shutdown.
 */
export interface PeerwatchServer {
  /** The Express app both servers run. */
  app: express.Express;
  httpServer: http.Server;
  httpsServer: https.Server | null;
  signaling: SignalingServer;
  /** Sets the HTTPS URL phones on the LAN can open (see `phoneUrls`), once the listeners are up. */
  setPhoneUrl(url: string | null): void;
  close(): Promise<void>;
}

/**
 * The composition root: wires the store, auth, device registry, pairing,
 * presence, events, signaling, ICE, recordings, camera controls, camera events, notifications, the API reference and the PWA
 * into one HTTP server, and into an HTTPS server too when `tls` is given. Every
 * API route implements an entry of the route table (`protocol/routes.ts`)
 * through one `ContractRouter`. With `config.redisUrl` the events, presence,
 * session endings, device removals and signaling go across every instance
 * on that Redis (`joinCluster`, `ClusterSignaling`); without it they stay in
 * this process.
 */
export function createPeerwatchServer(
  config: Config,
  store: Store,
  logger: Logger,
  tls: TlsCertificate | null = null,
): PeerwatchServer {
  const startedAtMs = Date.now();
  const jwt = new JwtIssuer(config.jwtSecret);
  const cluster = config.redisUrl ? joinCluster(config.redisUrl, logger) : null;
  const sessions = new SessionIssuer(store, jwt, config.accessTokenTtlMs, config.refreshTokenTtlMs, cluster?.endings);
  const hub = cluster?.hub ?? new LocalEventHub();
  const counters = new ServerCounters();
  let phoneUrl: string | null = null;
  const presence = new PresenceTracker(store, hub, logger);
  cluster?.sharePresence(presence);
  const audit = new AuditLog(store, logger);
  const liveViews = new LiveViews(audit);
  presence.onChange((change) => liveViews.presenceChanged(change));
  const auditRetention = new AuditRetention(store, config.auditRetentionMs, logger);
  const resolve = (authorization: string | undefined) =>
    resolveAuthorization(authorization, jwt, store, sessions, (principal, lastUsedAtMs) => audit.tokenUsed(principal, lastUsedAtMs));
  /** Media routes check their credential themselves (the router does not, for playback links): an API token needs `read`. */
  const resolveReader = async (authorization: string | undefined) => {
    const principal = await resolve(authorization);
    const refused = principal?.kind === 'user' && principal.grant.kind === 'token' && !scopesAllow(principal.grant.scopes, 'watch');
    return refused ? undefined : principal;
  };
  const sessionActive = (sessionId: string, userId: string) => sessions.activeUser(sessionId, userId);
  const notifications = createNotifications({
    config: config.notifications,
    store,
    hub,
    presence,
    jwt,
    imageTokenTtlMs: config.recordings.playbackTokenTtlMs,
    sessionActive,
    logger,
    onPushOutcome: (outcome) => counters.pushed(outcome.kind),
  });
  const motionEvents = createMotionEvents({
    config: config.motionEvents,
    tokenTtlMs: config.recordings.playbackTokenTtlMs,
    store,
    jwt,
    hub,
    resolve: resolveReader,
    sessionActive,
    onActivity: (activity) => {
      if (activity.type === 'started') counters.cameraEvent(activity.event.kind);
      notifications.onMotionEventActivity(activity);
    },
    audit,
  });
  const cameraSettings = createCameraSettings({ store, hub, audit });
  const recordings = createRecordings({
    config: config.recordings,
    store,
    jwt,
    hub,
    logger,
    events: motionEvents.storage,
    resolve: resolveReader,
    sessionActive,
    onReport: notifications.onRecordingReport,
    onChunkStored: (sizeBytes) => counters.chunkStored(sizeBytes),
    audit,
    onWish: (householdId, deviceId) => {
      cameraSettings
        .republish(householdId, deviceId)
        .catch((error: unknown) => logger.error({ err: error, deviceId }, 'camera settings could not be published'));
    },
  });
  const cameraControls = createCameraControls({ store, hub, onReport: notifications.onCameraReport, audit });
  const signaling = new SignalingServer({
    mountPath: SIGNALING_MOUNT_PATH,
    key: SIGNALING_KEY,
    aliveTimeoutMs: config.signalingAliveTimeoutMs,
    gate: new TicketGate({
      jwt,
      store,
      sessions,
      key: SIGNALING_KEY,
      shared: cluster
        ? { tickets: new SharedSpentTickets(cluster.link.publisher, cluster.link.processId, SIGNALING_REDIS_WAIT_MS), logger }
        : undefined,
    }),
    sessionEndings: sessions.endings,
    presence,
    relay: counters.countingCalls(liveViews),
    cluster: cluster
      ? new ClusterSignaling({ link: cluster.link, peerTtlMs: config.signalingAliveTimeoutMs, redisWaitMs: SIGNALING_REDIS_WAIT_MS, logger })
      : undefined,
    logger,
  });
  const peers = cluster ? cluster.closingPeersEverywhere(signaling) : signaling;

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(guardRequestStreams(logger));
  app.use(securityHeaders());
  app.get('/healthz', healthRoute(cluster?.link ?? null));
  const metrics = createMetrics({ signaling, presence, counters }, config.metricsToken);
  app.use(metrics.countRequests);
  app.get('/metrics', metrics.scrape);

  const api = express.Router();
  api.use(requestLog(logger));
  const contract = new ContractRouter(resolve, config.jsonBodyLimitBytes, {
    limit: config.apiTokenRateLimit,
    windowMs: config.apiTokenRateWindowMs,
  });
  authRoutes(contract, {
    store,
    sessions,
    rateLimit: config.authRateLimit,
    rateWindowMs: config.authRateWindowMs,
    audit,
  });
  pairingRoutes(contract, {
    store,
    hub,
    presence,
    ttlMs: config.pairingTtlMs,
    instanceId: config.instanceId,
    claimLimiter: guessLimiter(config.authRateLimit, config.authRateWindowMs),
    phoneUrl: () => phoneUrl,
    audit,
  });
  deviceRoutes(contract, { store, hub, presence, signaling: peers, audit });
  memberRoutes(contract, { store, sessions, hub, inviteTtlMs: config.inviteTtlMs, audit });
  accountRoutes(contract, {
    store,
    sessions,
    hub,
    presence,
    signaling: peers,
    sweeper: recordings.sweeper,
    logger,
    rateLimit: config.authRateLimit,
    rateWindowMs: config.authRateWindowMs,
  });
  tokenRoutes(contract, { store, sessions, audit });
  recordings.mount(contract);
  cameraControls.mount(contract);
  motionEvents.mount(contract);
  cameraSettings.mount(contract);
  notifications.mount(contract);
  const initialDeviceEvents = async (device: { deviceId: string }) => [
    ...(await recordings.initialDeviceEvents(device)),
    ...(await cameraControls.initialDeviceEvents(device)),
    await cameraSettings.event(device.deviceId),
  ];
  streamRoutes(contract, { hub, initialDeviceEvents, endings: sessions.endings });
  signalingRoutes(contract, {
    jwt,
    ttlMs: config.signalingTicketTtlMs,
    mountPath: SIGNALING_MOUNT_PATH,
    key: SIGNALING_KEY,
  });
  iceRoutes(contract, { stunUrls: config.stunUrls, turn: config.turn, iceTransportPolicy: config.iceTransportPolicy });
  serverRoutes(contract, config.instanceId, packageVersion());
  auditRoutes(contract, { store, liveViews, logger });
  dashboardRoutes(contract, { store, presence, recordings: config.recordings, version: packageVersion(), startedAtMs });
  referenceRoutes(contract);
  api.use(contract.router());
  api.use(apiNotFound);
  api.use(errorHandler(logger));
  app.use('/api', api);
  app.use(staticPwa(config.publicDir));
  app.use(errorHandler(logger));

  const httpServer = http.createServer(app);
  const httpsServer = tls ? https.createServer({ cert: tls.cert, key: tls.key }, app) : null;
  const servers = httpsServer ? [httpServer, httpsServer] : [httpServer];
  for (const server of servers) {
    guardConnections(server, logger);
    signaling.attach(server);
  }

  recordings.sweeper.start();
  auditRetention.start();

  return {
    app,
    httpServer,
    httpsServer,
    signaling,
    setPhoneUrl(url) {
      phoneUrl = url;
    },
    async close() {
      signaling.close();
      auditRetention.stop();
      await recordings.sweeper.stop();
      await notifications.close();
      await cluster?.close();
      await Promise.all(
        servers.map((server) => {
          server.closeAllConnections();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        }),
      );
      await store.close();
    },
  };
}
