import { packageVersion } from '../startup/package-version.js';
import { z } from 'zod';
import {
  API_ERRORS,
  PERMISSIONS,
  notificationListSchema,
  notificationSchema,
  pushSubscriptionSchema,
  apiErrorBodySchema,
  authSessionSchema,
  cameraSettingsSchema,
  chunkReceiptSchema,
  deviceListSchema,
  deviceSchema,
  errorCodesOf,
  householdEventSchema,
  iceServersResponseSchema,
  openApiDocumentSchema,
  pairingClaimSchema,
  pairingSchema,
  recordingListSchema,
  recordingPlaybackSchema,
  recordingStateSchema,
  routes,
  signalingTicketSchema,
  splitRouteKey,
  userSchema,
  type ApiErrorCode,
  type OpenApiDocument,
  type Caller,
  type ResponseBody,
  type RouteSpec,
} from '../../protocol/index.js';

/** JSON Schema / OpenAPI objects, as plain JSON. */
type Json = Record<string, unknown>;

/** The models named in `components.schemas` (responses and events refer to them by `$ref`). */
const MODELS: Record<string, z.ZodType> = {
  User: userSchema,
  AuthSession: authSessionSchema,
  Device: deviceSchema,
  DeviceList: deviceListSchema,
  Pairing: pairingSchema,
  PairingClaim: pairingClaimSchema,
  SignalingTicket: signalingTicketSchema,
  IceServers: iceServersResponseSchema,
  ChunkReceipt: chunkReceiptSchema,
  RecordingList: recordingListSchema,
  RecordingPlayback: recordingPlaybackSchema,
  RecordingState: recordingStateSchema,
  CameraSettings: cameraSettingsSchema,
  HouseholdEvent: householdEventSchema,
  Notification: notificationSchema,
  NotificationList: notificationListSchema,
  PushSubscription: pushSubscriptionSchema,
  OpenApiDocument: openApiDocumentSchema,
};

/** OpenAPI security schemes (§4.8.27) of the three callers. */
const SECURITY_SCHEMES: Record<Caller, Json> = {
  user: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A signed-in user: the `accessToken` of `POST /api/auth/login` (about 15 min; refresh with `POST /api/auth/refresh`).',
  },
  device: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'A paired camera: `Device <deviceToken>`, the credential of `POST /api/pairings/claim` (enter it with the `Device ` prefix).',
  },
  playback: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: 'A recording’s playback token, carried by the URLs of `GET /api/recordings/{id}/playback` (about 30 min, this recording only).',
  },
};
const SCHEME_NAME: Record<Caller, string> = { user: 'userJwt', device: 'deviceCredential', playback: 'playbackToken' };

const TAGS = [
  { name: 'Accounts', description: 'Register, sign in, keep the session fresh, sign out.' },
  { name: 'Cameras', description: 'The household’s cameras (devices).' },
  { name: 'Pairing', description: 'One-time codes that turn a browser into one of the household’s cameras.' },
  { name: 'Live', description: 'The live event stream, signaling tickets and ICE servers for calls.' },
  { name: 'Recording control', description: 'The "Record" switch and what cameras report.' },
  { name: 'Camera settings', description: 'How each camera watches for motion and records (off, always, around events).' },
  { name: 'Recordings', description: 'Chunk uploads, listing, HLS playback and download.' },
  { name: 'Notifications', description: 'The in-app notification list and Web Push (RFC 8030, 8291, 8292) to the user’s browsers.' },
  { name: 'Members', description: 'The household’s people and their roles (owner, member, viewer), and invitations.' },
  { name: 'API tokens', description: 'Long-lived tokens (`pwt_…`) with scopes, for scripts and integrations.' },
  { name: 'Audit log', description: 'Who did what in the household, as the server saw it (owners only).' },
  { name: 'Reference', description: 'This reference itself.' },
];

/** A zod schema as a JSON Schema 2020-12 object for OpenAPI 3.1 (no `$schema`/`$id`). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _schema, $id: _id, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

/** The `components.schemas` of the models, with `$ref`s between them. */
function componentSchemas(): Json {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(MODELS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, io: 'output' });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Json;
      return [id, rest];
    }),
  );
}

/** A `$ref` to a named model, or the schema inline. */
function schemaRef(schema: z.ZodType): Json {
  const name = Object.entries(MODELS).find(([, model]) => model === schema)?.[0];
  return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(schema, 'output');
}

/** OpenAPI Parameter Objects (§4.8.12) of an object schema's properties. */
function parameters(schema: z.ZodObject | undefined, location: 'path' | 'query' | 'header'): Json[] {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchema(schema, 'input') as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.includes(name),
      ...(description ? { description } : {}),
      schema: propertySchema,
    };
  });
}

/** The Media Type Objects (§4.8.14) of a body. */
function content(body: ResponseBody, example: unknown): Json {
  const exampleField = example === undefined ? {} : { example };
  switch (body.kind) {
    case 'json':
      return { 'application/json': { schema: schemaRef(body.schema), ...exampleField } };
    case 'event-stream':
      return {
        'text/event-stream': {
          schema: schemaRef(body.schema),
          ...exampleField,
        },
      };
    case 'bytes':
      return Object.fromEntries(body.contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]));
    case 'empty':
      return {};
  }
}

/** `ApiErrorBody` narrowed to some codes. */
function errorBodyWith(codes: ApiErrorCode[]): z.ZodType {
  const { error } = apiErrorBodySchema.shape;
  return apiErrorBodySchema.extend({ error: error.extend({ code: z.enum(codes as [ApiErrorCode, ...ApiErrorCode[]]) }) });
}

/** The error responses of a route, one per status, each listing its codes with an example of each. */
function errorResponses(spec: RouteSpec): Json {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of errorCodesOf(spec)) {
    const { status } = API_ERRORS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: codes.map((code) => `\`${code}\`: ${API_ERRORS[code].description}`).join('\n\n'),
        content: {
          'application/json': {
            schema: jsonSchema(errorBodyWith(codes), 'output'),
            examples: Object.fromEntries(
              codes.map((code) => [
                code,
                { summary: code, value: { error: { code, message: API_ERRORS[code].description } } },
              ]),
            ),
          },
        },
      },
    ]),
  );
}

const SUCCESS_DESCRIPTION: Record<ResponseBody['kind'], string> = {
  json: 'OK',
  'event-stream':
    'Server-Sent Events, open until the client leaves: first `event: ready`, then each event as `event: <type>` and `data: <JSON of this schema>`.',
  bytes: 'The file',
  empty: 'Done; no body',
};

/** The Operation Object (§4.8.10) of one route. */
function operation(spec: RouteSpec): Json {
  const security = spec.who === 'anyone' ? [] : spec.who.map((caller) => ({ [SCHEME_NAME[caller]]: [] }));
  const requestBody =
    spec.body?.kind === 'json'
      ? {
          required: true,
          content: {
            'application/json': {
              schema: jsonSchema(spec.body.schema, 'input'),
              ...(spec.examples?.request === undefined ? {} : { example: spec.examples.request }),
            },
          },
        }
      : spec.body?.kind === 'bytes'
        ? { required: true, content: content(spec.body, undefined) }
        : undefined;
  const successes = Object.entries(spec.responses).map(([status, body]) => [
    status,
    {
      description: SUCCESS_DESCRIPTION[body.kind],
      ...(body.kind === 'empty' ? {} : { content: content(body, spec.examples?.response) }),
    },
  ]);
  return {
    operationId: spec.name,
    tags: [spec.tag],
    summary: spec.summary,
    description: [spec.description, permissionNote(spec)].filter(Boolean).join('\n\n'),
    'x-permission': spec.permission,
    security,
    parameters: [
      ...parameters(spec.params, 'path'),
      ...parameters(spec.query, 'query'),
      ...parameters(spec.headers, 'header'),
    ],
    ...(requestBody ? { requestBody } : {}),
    responses: { ...Object.fromEntries(successes), ...errorResponses(spec) },
  };
}

/** The line of a route's description that says which roles may call it (the permission table). */
function permissionNote(spec: RouteSpec): string | undefined {
  if (spec.permission === 'public' || spec.permission === 'camera') return undefined;
  const { roles, scope, description } = PERMISSIONS[spec.permission];
  return `**Permission** \`${spec.permission}\` (${roles.join(', ')}; API token scope \`${scope}\`): ${description}`;
}

/** An Express path (`/api/devices/:id`) as an OpenAPI path template (`/api/devices/{id}`). */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

/**
 * The OpenAPI 3.1 document of the route table (OpenAPI Specification 3.1.1):
 * every route with its callers (security requirements), parameters, bodies,
 * successful responses and error responses with their codes, and examples.
 */
export function openApiDocument(): OpenApiDocument {
  const version = packageVersion();
  const paths: Record<string, Record<string, Json>> = {};
  for (const [key, spec] of Object.entries(routes) as [string, RouteSpec][]) {
    const { method, path } = splitRouteKey(key);
    (paths[openApiPath(path)] ??= {})[method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Peerwatch API',
      version,
      description:
        'The HTTP API of a Peerwatch server: accounts, cameras, pairing, the live event stream, signaling tickets, ICE servers and recordings. Times are ms since the Unix epoch (`...AtMs`), sizes in bytes. Every error is `{error: {code, message}}` with the status its code has.',
    },
    servers: [{ url: '/', description: 'The Peerwatch server that serves this document' }],
    tags: TAGS,
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: Object.fromEntries(
        (Object.keys(SECURITY_SCHEMES) as Caller[]).map((caller) => [SCHEME_NAME[caller], SECURITY_SCHEMES[caller]]),
      ),
    },
  };
}
