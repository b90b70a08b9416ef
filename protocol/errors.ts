import { z } from 'zod';

/**
 * Every error code the Peerwatch API answers, with its HTTP status and what it
 * means. Error responses are `{error: {code, message}}` (`ApiErrorBody`); the
 * message is for people, the code is for programs.
 */
export const API_ERRORS = {
  malformed_json: { status: 400, description: 'The request body is not valid JSON.' },
  bad_request: { status: 400, description: 'The request could not be read (e.g. it was cut off).' },
  invalid_body: { status: 400, description: 'The JSON body does not match the route’s request schema; the message names the field.' },
  invalid_query: { status: 400, description: 'A query parameter does not match the route’s query schema.' },
  invalid_header: { status: 400, description: 'A request header does not match the route’s header schema.' },
  invalid_recording_id: { status: 400, description: 'A recording id is 16–64 characters of A–Z, a–z, 0–9, _ and -.' },
  invalid_event_id: { status: 400, description: 'An event id is 16–64 characters of A–Z, a–z, 0–9, _ and -.' },
  invalid_seq: { status: 400, description: 'A chunk seq is a whole number from 0 to 1 000 000.' },
  empty_chunk: { status: 400, description: 'The chunk body is empty.' },
  hash_mismatch: { status: 400, description: 'The body’s SHA-256 differs from `X-Chunk-Sha256`; send the chunk again.' },
  empty_image: { status: 400, description: 'The image body is empty.' },
  push_endpoint_refused: {
    status: 400,
    description: 'The push subscription’s endpoint is on a loopback, private or link-local address, which the server does not send to.',
  },
  unknown_camera: { status: 400, description: 'A camera in `deviceIds` is not one of the household’s.' },
  upload_aborted: { status: 400, description: 'The upload was interrupted; send the chunk again.' },
  unauthorized: { status: 401, description: 'No credential, or one that is invalid, expired or revoked.' },
  forbidden: { status: 403, description: 'The credential is valid but of the wrong kind (user vs camera) or scope.' },
  wrong_password: { status: 403, description: 'The password given to confirm an account change is not the account’s password.' },
  not_found: { status: 404, description: 'No such route or resource in the caller’s household (another household’s answers the same).' },
  email_taken: { status: 409, description: 'An account with this email exists already.' },
  last_owner: { status: 409, description: 'The household would be left without an owner; make someone else owner first.' },
  already_member: { status: 409, description: 'The account belongs to this household already.' },
  chunk_conflict: { status: 409, description: 'Other bytes are stored under this seq; do not retry.' },
  image_conflict: { status: 409, description: 'Other bytes are stored for this image of the event (images are written once); do not retry.' },
  recording_closed: { status: 409, description: 'The chunk lies past the recording’s final chunk, or the final mark contradicts a stored chunk.' },
  pairing_used: { status: 410, description: 'The pairing code was used already.' },
  pairing_expired: { status: 410, description: 'The pairing code has expired.' },
  invite_used: { status: 410, description: 'The invitation was used already, or revoked.' },
  invite_expired: { status: 410, description: 'The invitation has expired.' },
  recording_expired: { status: 410, description: 'The chunk is older than the retention period; drop it.' },
  payload_too_large: { status: 413, description: 'The JSON body is over the server’s limit.' },
  chunk_too_large: { status: 413, description: 'The chunk is over the server’s chunk limit.' },
  image_too_large: { status: 413, description: 'The image is over the server’s image limit.' },
  unsupported_media_type: { status: 415, description: 'The body’s Content-Type (or charset) is not the one the route takes.' },
  rate_limited: { status: 429, description: 'Too many attempts from this address; wait and try again.' },
  internal: { status: 500, description: 'Something went wrong on the server (logged there; no details are sent).' },
} as const satisfies Record<string, { status: number; description: string }>;

/** A machine-readable API error code: one of `API_ERRORS`. */
export type ApiErrorCode = keyof typeof API_ERRORS;

/** Every `ApiErrorCode`, in `API_ERRORS` order. */
export const API_ERROR_CODES = Object.keys(API_ERRORS) as [ApiErrorCode, ...ApiErrorCode[]];

/** The HTTP status an error code is sent with. */
export const statusOfError = (code: ApiErrorCode): number => API_ERRORS[code].status;

/** Body of every error response (status ≥ 400): `{error: {code, message}}`. */
export const apiErrorBodySchema = z
  .strictObject({
    error: z.strictObject({
      code: z.enum(API_ERROR_CODES),
      message: z.string().describe('Safe to show to people.'),
    }),
  })
  .describe('Body of every error response: a stable code for programs and a message for people.');
export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
