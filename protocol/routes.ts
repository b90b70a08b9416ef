import { z } from 'zod';
import {
  authSessionSchema,
  loginRequestSchema,
  refreshRequestSchema,
  registerRequestSchema,
  serverInfoSchema,
} from './accounts.js';
import {
  claimPairingRequestSchema,
  createPairingRequestSchema,
  deviceListSchema,
  deviceParamsSchema,
  deviceSchema,
  pairingClaimSchema,
  pairingSchema,
  renameDeviceRequestSchema,
} from './devices.js';
import { iceServersResponseSchema, signalingTicketRequestSchema, signalingTicketSchema } from './calls.js';
import { householdEventSchema } from './events.js';
import {
  motionEventListQuerySchema,
  motionEventPageSchema,
  motionEventParamsSchema,
  motionEventRecordSchema,
  motionEventWriteSchema,
  motionImageQuerySchema,
  motionImageReceiptSchema,
} from './motion-events.js';
import {
  acceptInviteRequestSchema,
  acceptedInviteSchema,
  createInviteRequestSchema,
  inviteParamsSchema,
  inviteSchema,
  memberListSchema,
  memberParamsSchema,
  memberSchema,
  updateMemberRequestSchema,
} from './members.js';
import {
  createPushSubscriptionRequestSchema,
  notificationListSchema,
  notificationParamsSchema,
  pushKeySchema,
  pushSubscriptionListSchema,
  pushSubscriptionParamsSchema,
  pushSubscriptionSchema,
} from './notifications.js';
import {
  chunkParamsSchema,
  chunkReceiptSchema,
  chunkUploadHeadersSchema,
  mediaQuerySchema,
  recordingListQuerySchema,
  recordingListSchema,
  recordingParamsSchema,
  recordingPlaybackSchema,
  recordingReportRequestSchema,
  recordingStateSchema,
  recordingWishRequestSchema,
  segmentParamsSchema,
} from './recordings.js';
import { bytes, empty, eventStream, json, type RouteKey, type RouteSpec } from './route.js';

/** Files of the interactive API reference served under `/api/docs/`. */
export const docsAssetSchema = z.enum(['swagger-ui.css', 'swagger-ui-bundle.js', 'docs.js']);

/** The OpenAPI 3.1 document (a JSON object; its own specification describes it). */
export const openApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .describe('An OpenAPI 3.1 document.');
export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;

const ID = 'R0cWmNvTq7d9W2yQ3fKa1g';
const DEVICE = {
  id: 'kq3Zf0GgQm6tY1vW8bNcJA',
  name: 'Front door',
  peerId: 'cam-7Hk2Lw9xRb0qUe4sZy1nDg-kq3Zf0GgQm6tY1vW8bNcJA',
  online: true,
  lastSeenAtMs: 1_764_579_600_000,
  createdAtMs: 1_764_400_000_000,
};
const SESSION = {
  user: { id: 'Ur5cX0mPq2s8Vt1wY4zA7b', email: 'sam@example.com', createdAtMs: 1_764_400_000_000 },
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJhY2Nlc3MifQ.c2lnbmF0dXJl',
  refreshToken: 'dGhpcyBpcyBhIHJlZnJlc2ggdG9rZW4gZXhhbXBsZQ',
  accessTokenExpiresAtMs: 1_764_580_500_000,
};
const RECORDING_STATE = {
  deviceId: DEVICE.id,
  enabled: true,
  recording: false,
  problem: 'storage-low',
  reportedAtMs: 1_764_579_600_000,
};
const PUSH_SUBSCRIPTION = { id: ID, name: 'Pixel 7 · Chrome', createdAtMs: 1_764_400_000_000, lastUsedAtMs: 1_764_579_600_000 };
const NOTIFICATION = {
  id: ID,
  kind: 'camera-offline',
  deviceId: DEVICE.id,
  deviceName: DEVICE.name,
  title: 'Front door is offline',
  body: 'Offline since 10:00.',
  createdAtMs: 1_764_579_720_000,
  offlineSinceMs: 1_764_579_600_000,
  readAtMs: null,
};
const MEDIA_WHO = ['user', 'device', 'playback'] as const;
const MEMBER = { userId: 'Vw2dY5nQr8s1Tu4xZa7cB0', email: 'alex@example.com', role: 'viewer', deviceIds: [DEVICE.id] } as const;
const EVENT_ID = 'Ev9kQ2mZr4tW7yB1nC3dFg';
const MOTION_EVENT = {
  kind: 'person',
  startedAtMs: 1_764_579_000_000,
  endedAtMs: 1_764_579_014_000,
  score: 0.82,
  box: { x: 0.31, y: 0.12, width: 0.22, height: 0.64 },
} as const;
const MOTION_EVENT_RECORD = { id: EVENT_ID, deviceId: DEVICE.id, ...MOTION_EVENT, seenAtMs: null };
const IMAGE_TYPES = ['image/jpeg', 'image/webp'] as const;
/** What both image uploads share: the camera's event image, written once. */
const IMAGE_UPLOAD = {
  tag: 'Events',
  description:
    'The body is the image’s raw bytes (JPEG or WebP), stored whole or not at all (temp file, fsync, rename). 201 once durable; 200 when the same bytes were stored already (a safe retry). An event’s images are written once: other bytes answer 409 `image_conflict`. The event must have been created first (404 otherwise).',
  who: ['device'],
  permission: 'camera',
  params: motionEventParamsSchema,
  paramErrors: { eventId: 'invalid_event_id' },
  body: bytes(...IMAGE_TYPES),
  responses: { 201: json(motionImageReceiptSchema), 200: json(motionImageReceiptSchema) },
  errors: ['not_found', 'empty_image', 'image_conflict', 'image_too_large', 'upload_aborted'],
} as const;
/** What both image downloads share: an `<img>` loads them by the image URL's token. */
const IMAGE_DOWNLOAD = {
  tag: 'Events',
  description: 'Opened by the `?token=` of the URL in `GET /api/events` (short-lived), or an `Authorization` header of the household.',
  who: ['user', 'playback'],
  permission: 'watch',
  params: motionEventParamsSchema,
  query: motionImageQuerySchema,
  responses: { 200: bytes(...IMAGE_TYPES) },
} as const;

/**
 * The Peerwatch HTTP API: every route, keyed `"<METHOD> <path>"`, with who may
 * call it, its request and response schemas and the error codes it answers.
 * The server mounts exactly these routes, in this order (so `/me` comes before
 * `/:id`); the PWA's API client and the OpenAPI document are made from it.
 */
export const routes = {
  'POST /api/auth/register': {
    name: 'register',
    tag: 'Accounts',
    summary: 'Create an account (a household) and sign in',
    description: 'Rate-limited per address and email.',
    who: 'anyone',
    permission: 'public',
    body: json(registerRequestSchema),
    responses: { 201: json(authSessionSchema) },
    errors: ['email_taken', 'rate_limited'],
    examples: { request: { email: 'sam@example.com', password: 'correct horse 1' }, response: SESSION },
  },
  'POST /api/auth/login': {
    name: 'login',
    tag: 'Accounts',
    summary: 'Sign in with email and password',
    description: 'Rate-limited per address and email. A wrong email or password answers 401 `unauthorized`.',
    who: 'anyone',
    permission: 'public',
    body: json(loginRequestSchema),
    responses: { 200: json(authSessionSchema) },
    errors: ['unauthorized', 'rate_limited'],
    examples: { request: { email: 'sam@example.com', password: 'correct horse 1' }, response: SESSION },
  },
  'POST /api/auth/refresh': {
    name: 'refreshSession',
    tag: 'Accounts',
    summary: 'Trade the refresh token for a new session',
    description: 'The refresh token works once; presenting a used one again revokes its whole family (401).',
    who: 'anyone',
    permission: 'public',
    body: json(refreshRequestSchema),
    responses: { 200: json(authSessionSchema) },
    errors: ['unauthorized'],
    examples: { request: { refreshToken: SESSION.refreshToken }, response: SESSION },
  },
  'POST /api/auth/logout': {
    name: 'logout',
    tag: 'Accounts',
    summary: 'End the session of a refresh token',
    who: 'anyone',
    permission: 'public',
    body: json(refreshRequestSchema),
    responses: { 204: empty() },
  },
  'GET /api/devices': {
    name: 'listDevices',
    tag: 'Cameras',
    summary: 'The household’s cameras, with presence',
    who: ['user'],
    permission: 'watch',
    responses: { 200: json(deviceListSchema) },
    examples: { response: [DEVICE] },
  },
  'GET /api/devices/me': {
    name: 'ownDevice',
    tag: 'Cameras',
    summary: 'The calling camera’s own record',
    who: ['device'],
    permission: 'camera',
    responses: { 200: json(deviceSchema) },
    errors: ['not_found'],
    examples: { response: DEVICE },
  },
  'PUT /api/devices/me/recording': {
    name: 'setOwnRecordingWish',
    tag: 'Recording control',
    summary: 'The "Record" switch on the camera itself',
    description: 'Published to the household’s viewers and the camera’s own stream as `recording-state`.',
    who: ['device'],
    permission: 'camera',
    body: json(recordingWishRequestSchema),
    responses: { 200: json(recordingStateSchema) },
    errors: ['not_found'],
    examples: { request: { enabled: true }, response: RECORDING_STATE },
  },
  'PUT /api/devices/me/recording-status': {
    name: 'reportRecordingStatus',
    tag: 'Recording control',
    summary: 'What the camera is doing, and why not when asked to record',
    who: ['device'],
    permission: 'camera',
    body: json(recordingReportRequestSchema),
    responses: { 200: json(recordingStateSchema) },
    errors: ['not_found'],
    examples: { request: { recording: false, problem: 'storage-low' }, response: RECORDING_STATE },
  },
  'PATCH /api/devices/:id': {
    name: 'renameDevice',
    tag: 'Cameras',
    summary: 'Rename a camera',
    who: ['user'],
    permission: 'control',
    params: deviceParamsSchema,
    body: json(renameDeviceRequestSchema),
    responses: { 200: json(deviceSchema) },
    examples: { request: { name: 'Front door' }, response: DEVICE },
  },
  'DELETE /api/devices/:id': {
    name: 'removeDevice',
    tag: 'Cameras',
    summary: 'Remove a camera: its credential stops working at once',
    who: ['user'],
    permission: 'cameras',
    params: deviceParamsSchema,
    responses: { 204: empty() },
  },
  'GET /api/devices/:id/recording': {
    name: 'recordingState',
    tag: 'Recording control',
    summary: 'A camera’s recording wish and what it last reported',
    who: ['user'],
    permission: 'watch',
    params: deviceParamsSchema,
    responses: { 200: json(recordingStateSchema) },
    examples: { response: RECORDING_STATE },
  },
  'PUT /api/devices/:id/recording': {
    name: 'setRecordingWish',
    tag: 'Recording control',
    summary: 'The "Record" switch of a camera: the household’s wish',
    who: ['user'],
    permission: 'control',
    params: deviceParamsSchema,
    body: json(recordingWishRequestSchema),
    responses: { 200: json(recordingStateSchema) },
    examples: { request: { enabled: true }, response: RECORDING_STATE },
  },
  'POST /api/pairings': {
    name: 'createPairing',
    tag: 'Pairing',
    summary: 'A one-time pairing code for a new camera',
    description:
      'The token has 256 random bits, is stored only as its SHA-256 and expires after `PAIRING_TTL_MS`. The link’s origin is the request’s, except that a viewer on plain HTTP gets the LAN HTTPS address (a phone needs HTTPS for its camera).',
    who: ['user'],
    permission: 'cameras',
    body: json(createPairingRequestSchema),
    responses: { 201: json(pairingSchema) },
    examples: {
      request: { name: 'Front door' },
      response: {
        id: ID,
        token: 'q8v1cJ3m0xKf7Rz2tB9yWn4hL6sD5gA0eU1iO3pQ2rM',
        url: 'https://192.168.1.20:8443/pair?server=b3Vy9nRk2mQ5sT8wXa1cZg#q8v1cJ3m0xKf7Rz2tB9yWn4hL6sD5gA0eU1iO3pQ2rM',
        expiresAtMs: 1_764_579_900_000,
      },
    },
  },
  'POST /api/pairings/claim': {
    name: 'claimPairing',
    tag: 'Pairing',
    summary: 'Trade a pairing code for a device credential (once)',
    description: 'Rate-limited per address. The household’s viewers are told at once (`pairing-claimed`).',
    who: 'anyone',
    permission: 'public',
    body: json(claimPairingRequestSchema),
    responses: { 201: json(pairingClaimSchema) },
    errors: ['not_found', 'pairing_used', 'pairing_expired', 'rate_limited'],
    examples: {
      request: { token: 'q8v1cJ3m0xKf7Rz2tB9yWn4hL6sD5gA0eU1iO3pQ2rM' },
      response: { device: DEVICE, deviceToken: 'ZGV2aWNlIHRva2VuIGV4YW1wbGUgMjU2IGJpdHM' },
    },
  },
  'GET /api/stream': {
    name: 'liveStream',
    tag: 'Live',
    summary: 'The live event stream (Server-Sent Events)',
    description:
      'With a user credential: the household’s events (`HouseholdEvent`). With a device credential: the camera’s own (`DeviceEvent`: at once its current `recording-state`, then each change of it and of its own record). Every stream starts with `event: ready`; a comment line every 15 s keeps it open. Read it with `fetch` (EventSource cannot send `Authorization`).',
    who: ['user', 'device'],
    permission: 'watch',
    responses: { 200: eventStream(householdEventSchema) },
    examples: { response: { type: 'presence', deviceId: DEVICE.id, online: true, lastSeenAtMs: 1_764_579_600_000 } },
  },
  'POST /api/signaling/tickets': {
    name: 'signalingTicket',
    tag: 'Live',
    summary: 'A short-lived ticket to open a PeerJS signaling socket',
    description:
      'A camera always gets its own peer id. A viewer gets a new viewer peer id, or keeps the one it sends back if that id is one of its own.',
    who: ['user', 'device'],
    permission: 'watch',
    body: json(signalingTicketRequestSchema),
    responses: { 201: json(signalingTicketSchema) },
    examples: {
      request: {},
      response: {
        peerId: 'view-7Hk2Lw9xRb0qUe4sZy1nDg-Ur5cX0mPq2s8Vt1wY4zA7b-Pq0Rs1Tu2Vw3Xy4Za5Bc6D',
        ticket: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJzaWduYWxpbmcifQ.c2lnbmF0dXJl',
        expiresAtMs: 1_764_579_660_000,
        path: '/peerjs',
        key: 'peerwatch',
      },
    },
  },
  'GET /api/ice-servers': {
    name: 'iceServers',
    tag: 'Live',
    summary: 'STUN/TURN servers (RFC 8445) for the next peer connection',
    description: 'With a TURN credential of the caller’s own when TURN is configured (TURN REST API form). Never cached.',
    who: ['user', 'device'],
    permission: 'watch',
    responses: { 200: json(iceServersResponseSchema) },
    examples: {
      response: {
        iceServers: [
          { urls: ['stun:stun.l.google.com:19302'] },
          { urls: ['turn:turn.example.com:3478?transport=udp'], username: '1764583200:user-Ur5c', credential: 'c2VjcmV0' },
        ],
        expiresAtMs: 1_764_583_200_000,
        iceTransportPolicy: 'all',
      },
    },
  },
  'PUT /api/recordings/:recordingId/chunks/:seq': {
    name: 'uploadChunk',
    tag: 'Recordings',
    summary: 'Upload one chunk of a recording (idempotent)',
    description:
      'The first chunk stored creates the recording for the calling camera; beginning a new recording closes the camera’s older open ones. The body is the chunk’s raw bytes, hashed while it is stored; 201 once it is durable on disk, 200 when the same bytes were stored already (a safe retry). Retry anything without a 2xx answer except 409 and 410.',
    who: ['device'],
    permission: 'camera',
    params: chunkParamsSchema,
    paramErrors: { recordingId: 'invalid_recording_id', seq: 'invalid_seq' },
    headers: chunkUploadHeadersSchema,
    body: bytes('application/octet-stream'),
    responses: { 201: json(chunkReceiptSchema), 200: json(chunkReceiptSchema) },
    errors: [
      'empty_chunk',
      'hash_mismatch',
      'upload_aborted',
      'not_found',
      'chunk_conflict',
      'recording_closed',
      'recording_expired',
      'chunk_too_large',
    ],
    examples: {
      response: {
        recordingId: ID,
        seq: 1,
        sizeBytes: 262_144,
        sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      },
    },
  },
  'GET /api/recordings': {
    name: 'listRecordings',
    tag: 'Recordings',
    summary: 'Recordings, newest first',
    description:
      'A user gets the household’s (optionally of one camera); a camera its own (another `deviceId` is 403). `from`/`to` keep the recordings whose span overlaps [from, to].',
    who: ['user', 'device'],
    permission: 'watch',
    query: recordingListQuerySchema,
    responses: { 200: json(recordingListSchema) },
    errors: ['forbidden'],
    examples: {
      response: [
        {
          id: ID,
          deviceId: DEVICE.id,
          startedAtMs: 1_764_579_000_000,
          durationMs: 600_000,
          sizeBytes: 48_000_000,
          chunkCount: 301,
          complete: true,
        },
      ],
    },
  },
  'GET /api/recordings/:id/playback': {
    name: 'recordingPlayback',
    tag: 'Recordings',
    summary: 'Playback and download links with a short-lived token',
    who: ['user'],
    permission: 'watch',
    params: recordingParamsSchema,
    responses: { 200: json(recordingPlaybackSchema) },
    examples: {
      response: {
        playlistUrl: `https://192.168.1.20:8443/api/recordings/${ID}/playlist.m3u8?token=eyJhbGciOiJIUzI1NiJ9.e30.c2ln`,
        downloadUrl: `https://192.168.1.20:8443/api/recordings/${ID}/recording.mp4?token=eyJhbGciOiJIUzI1NiJ9.e30.c2ln`,
        expiresAtMs: 1_764_581_400_000,
      },
    },
  },
  'GET /api/recordings/:id/playlist.m3u8': {
    name: 'recordingPlaylist',
    tag: 'Recordings',
    summary: 'The recording’s HLS media playlist (RFC 8216)',
    description: 'Its URIs carry the same `?token=` as the request. `EVENT` while the recording may grow, `VOD` once closed.',
    who: MEDIA_WHO,
    permission: 'watch',
    params: recordingParamsSchema,
    query: mediaQuerySchema,
    responses: { 200: bytes('application/vnd.apple.mpegurl') },
  },
  'GET /api/recordings/:id/init.mp4': {
    name: 'recordingInit',
    tag: 'Recordings',
    summary: 'The fMP4 init segment (chunk 0)',
    who: MEDIA_WHO,
    permission: 'watch',
    params: recordingParamsSchema,
    query: mediaQuerySchema,
    responses: { 200: bytes('video/mp4') },
  },
  'GET /api/recordings/:id/segments/:seq.m4s': {
    name: 'recordingSegment',
    tag: 'Recordings',
    summary: 'One media segment (chunk 1, 2, …)',
    who: MEDIA_WHO,
    permission: 'watch',
    params: segmentParamsSchema,
    query: mediaQuerySchema,
    responses: { 200: bytes('video/iso.segment') },
  },
  'GET /api/recordings/:id/recording.mp4': {
    name: 'recordingDownload',
    tag: 'Recordings',
    summary: 'The recording as one MP4 file to save',
    description: 'The init segment and every playable chunk joined in order, as an attachment named after the camera and start time.',
    who: MEDIA_WHO,
    permission: 'watch',
    params: recordingParamsSchema,
    query: mediaQuerySchema,
    responses: { 200: bytes('video/mp4') },
  },
  'GET /api/events': {
    name: 'listEvents',
    tag: 'Events',
    summary: 'The household’s camera events, newest first, a page at a time',
    description:
      '`from`/`to` keep events that started in [from, to]. Pages are cursor-paged: pass `nextCursor` as `cursor` for the next, older page; events added meanwhile never shift a page. Image URLs carry a short-lived token (like playback links), so an `<img>` loads them. `footage` names the recording that covers the event’s start.',
    who: ['user'],
    permission: 'watch',
    query: motionEventListQuerySchema,
    responses: { 200: json(motionEventPageSchema) },
    examples: {
      response: {
        events: [
          {
            ...MOTION_EVENT_RECORD,
            thumbnailUrl: `https://192.168.1.20:8443/api/events/${EVENT_ID}/thumbnail?token=eyJhbGciOiJIUzI1NiJ9.e30.c2ln`,
            snapshotUrl: `https://192.168.1.20:8443/api/events/${EVENT_ID}/snapshot?token=eyJhbGciOiJIUzI1NiJ9.e30.c2ln`,
            footage: { recordingId: ID, offsetMs: 42_000 },
          },
        ],
        nextCursor: 'eyJzIjoxNzY0NTc5MDAwMDAwLCJpIjoiRXY5In0',
      },
    },
  },
  'PUT /api/events/:eventId': {
    name: 'putEvent',
    tag: 'Events',
    summary: 'Create or update an event of the calling camera (idempotent by its id)',
    description:
      'The camera sends the whole event each time (when it starts, as it changes, when it ends). 201 when it is new, 200 when it was known (the same body again changes nothing). The household’s stream gets `motion-started` for a new event and `motion-ended` once it has an end. Another camera’s event id answers 404.',
    who: ['device'],
    permission: 'camera',
    params: motionEventParamsSchema,
    paramErrors: { eventId: 'invalid_event_id' },
    body: json(motionEventWriteSchema),
    responses: { 201: json(motionEventRecordSchema), 200: json(motionEventRecordSchema) },
    errors: ['not_found'],
    examples: { request: MOTION_EVENT, response: MOTION_EVENT_RECORD },
  },
  'PUT /api/events/:eventId/snapshot': { name: 'uploadEventSnapshot', summary: 'Upload the event’s snapshot (full size, at its peak)', ...IMAGE_UPLOAD },
  'PUT /api/events/:eventId/thumbnail': { name: 'uploadEventThumbnail', summary: 'Upload the event’s thumbnail (about 180 px high)', ...IMAGE_UPLOAD },
  'GET /api/events/:eventId/snapshot': { name: 'eventSnapshot', summary: 'The event’s snapshot', ...IMAGE_DOWNLOAD },
  'GET /api/events/:eventId/thumbnail': { name: 'eventThumbnail', summary: 'The event’s thumbnail', ...IMAGE_DOWNLOAD },
  'POST /api/events/:eventId/seen': {
    name: 'markEventSeen',
    tag: 'Events',
    summary: 'Mark an event seen by the household',
    description: 'Marking it again keeps the first time.',
    who: ['user'],
    permission: 'control',
    params: motionEventParamsSchema,
    responses: { 200: json(motionEventRecordSchema) },
    examples: { response: { ...MOTION_EVENT_RECORD, seenAtMs: 1_764_579_100_000 } },
  },
  'GET /api/push/key': {
    name: 'pushKey',
    tag: 'Notifications',
    summary: 'The server’s VAPID public key (RFC 8292), for subscribing a browser',
    who: ['user'],
    permission: 'self',
    responses: { 200: json(pushKeySchema) },
    examples: {
      response: { publicKey: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM' },
    },
  },
  'POST /api/push/subscriptions': {
    name: 'addPushSubscription',
    tag: 'Notifications',
    summary: 'Send this browser the user’s push notifications',
    description:
      'The body holds the browser’s `PushSubscription.toJSON()` and a name for the device. Posting an endpoint that is known already updates it (its keys, name and owner). A push service that answers 404 or 410 removes the subscription.',
    who: ['user'],
    permission: 'self',
    body: json(createPushSubscriptionRequestSchema),
    responses: { 201: json(pushSubscriptionSchema) },
    examples: {
      request: {
        subscription: {
          endpoint: 'https://fcm.googleapis.com/fcm/send/dGhpcyBpcyBhbiBlbmRwb2ludA',
          expirationTime: null,
          keys: {
            p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
            auth: 'tBHItJI5svbpez7KI4CCXg',
          },
        },
        name: 'Pixel 7 · Chrome',
      },
      response: PUSH_SUBSCRIPTION,
    },
  },
  'GET /api/push/subscriptions': {
    name: 'listPushSubscriptions',
    tag: 'Notifications',
    summary: 'The browsers that receive the user’s push notifications',
    who: ['user'],
    permission: 'self',
    responses: { 200: json(pushSubscriptionListSchema) },
    examples: { response: [PUSH_SUBSCRIPTION] },
  },
  'DELETE /api/push/subscriptions/:id': {
    name: 'removePushSubscription',
    tag: 'Notifications',
    summary: 'Stop sending push notifications to one of the user’s browsers',
    who: ['user'],
    permission: 'self',
    params: pushSubscriptionParamsSchema,
    responses: { 204: empty() },
  },
  'GET /api/notifications': {
    name: 'listNotifications',
    tag: 'Notifications',
    summary: 'The household’s notifications, newest first (at most 100), with the user’s unread count',
    description: 'New ones arrive live on `GET /api/stream` as `notification` events.',
    who: ['user'],
    permission: 'watch',
    responses: { 200: json(notificationListSchema) },
    examples: { response: { notifications: [NOTIFICATION], unreadCount: 1 } },
  },
  'POST /api/notifications/read': {
    name: 'markAllNotificationsRead',
    tag: 'Notifications',
    summary: 'Mark every notification read (for this user)',
    who: ['user'],
    permission: 'self',
    responses: { 204: empty() },
  },
  'POST /api/notifications/:id/read': {
    name: 'markNotificationRead',
    tag: 'Notifications',
    summary: 'Mark one notification read (for this user)',
    who: ['user'],
    permission: 'self',
    params: notificationParamsSchema,
    responses: { 204: empty() },
  },
  'POST /api/invites': {
    name: 'createInvite',
    tag: 'Members',
    summary: 'Invite a person into the household with a role (and, for a viewer, cameras)',
    description:
      'The token has 256 random bits, is stored only as its SHA-256, works once and expires after `INVITE_TTL_MS` (7 days). The link opens the app, where the person signs up or signs in and joins.',
    who: ['user'],
    permission: 'members',
    body: json(createInviteRequestSchema),
    responses: { 201: json(inviteSchema) },
    errors: ['unknown_camera'],
    examples: {
      request: { role: 'viewer', deviceIds: [DEVICE.id] },
      response: {
        id: ID,
        token: 'q8v1cJ3m0xKf7Rz2tB9yWn4hL6sD5gA0eU1iO3pQ2rM',
        url: 'https://192.168.1.20:8443/invite#q8v1cJ3m0xKf7Rz2tB9yWn4hL6sD5gA0eU1iO3pQ2rM',
        expiresAtMs: 1_765_184_400_000,
      },
    },
  },
  'POST /api/invites/accept': {
    name: 'acceptInvite',
    tag: 'Members',
    summary: 'Join the household of an invitation (once)',
    description:
      'The signed-in user leaves their household (refused with 409 `last_owner` while others there need them as owner) and joins the invitation’s with its role. Their open streams and signaling sockets close, to reopen in the new household.',
    who: ['user'],
    permission: 'self',
    body: json(acceptInviteRequestSchema),
    responses: { 200: json(acceptedInviteSchema) },
    errors: ['not_found', 'invite_used', 'invite_expired', 'last_owner', 'already_member'],
    examples: { request: { token: 'q8v1cJ3m0xKf7Rz2tB9yWn4hL6sD5gA0eU1iO3pQ2rM' }, response: { household: ID, role: 'viewer' } },
  },
  'DELETE /api/invites/:id': {
    name: 'revokeInvite',
    tag: 'Members',
    summary: 'Revoke an invitation that was not used yet',
    who: ['user'],
    permission: 'members',
    params: inviteParamsSchema,
    responses: { 204: empty() },
  },
  'GET /api/members': {
    name: 'listMembers',
    tag: 'Members',
    summary: 'The household’s people, their roles and cameras',
    who: ['user'],
    permission: 'members',
    responses: { 200: json(memberListSchema) },
    examples: { response: [{ ...MEMBER, userId: SESSION.user.id, email: SESSION.user.email, role: 'owner', deviceIds: null }, MEMBER] },
  },
  'PATCH /api/members/:userId': {
    name: 'updateMember',
    tag: 'Members',
    summary: 'Change a person’s role or a viewer’s cameras',
    description:
      'Takes effect at once: the person’s open streams and signaling sockets close (to reopen with what they may now see). Owners and members see all cameras; `deviceIds` applies to viewers. A household keeps at least one owner (409 `last_owner`).',
    who: ['user'],
    permission: 'members',
    params: memberParamsSchema,
    body: json(updateMemberRequestSchema),
    responses: { 200: json(memberSchema) },
    errors: ['unknown_camera', 'last_owner'],
    examples: { request: { role: 'viewer', deviceIds: [DEVICE.id] }, response: MEMBER },
  },
  'DELETE /api/members/:userId': {
    name: 'removeMember',
    tag: 'Members',
    summary: 'Remove a person from the household',
    description:
      'Takes effect at once: their sessions end (refresh tokens revoked), their streams are told `access-changed` and close, their signaling sockets close. They keep their account, as the owner of a household of their own. A household keeps at least one owner (409 `last_owner`).',
    who: ['user'],
    permission: 'members',
    params: memberParamsSchema,
    responses: { 204: empty() },
    errors: ['last_owner'],
  },
  'GET /api/server': {
    name: 'serverInfo',
    tag: 'Reference',
    summary: 'Which server this is: name, version and instance id',
    description: 'A camera asks before it pairs, to know whether a pairing code names this server at another address. Never cached.',
    who: 'anyone',
    permission: 'public',
    responses: { 200: json(serverInfoSchema) },
    examples: { response: { name: 'Peerwatch', version: '0.1.0', instanceId: 'b3Vy9nRk2mQ5sT8wXa1cZg' } },
  },
  'GET /api/openapi.json': {
    name: 'openApiDocument',
    tag: 'Reference',
    summary: 'This API as an OpenAPI 3.1 document',
    who: 'anyone',
    permission: 'public',
    responses: { 200: json(openApiDocumentSchema) },
  },
  'GET /api/docs': {
    name: 'apiReference',
    tag: 'Reference',
    summary: 'This API as an interactive reference (Swagger UI)',
    who: 'anyone',
    permission: 'public',
    responses: { 200: bytes('text/html') },
  },
  'GET /api/docs/:asset': {
    name: 'apiReferenceAsset',
    tag: 'Reference',
    summary: 'A script or style sheet of the interactive reference',
    who: 'anyone',
    permission: 'public',
    params: z.object({ asset: docsAssetSchema }),
    responses: { 200: bytes('text/css', 'text/javascript') },
  },
} as const satisfies Record<RouteKey, RouteSpec>;

/** The route table's type. */
export type Routes = typeof routes;
/** A route of the table. */
export type ApiRoute = keyof Routes;
