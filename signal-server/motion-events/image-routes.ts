import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { MotionImage, MotionImageReceipt } from '../../protocol/index.js';
import type { Principal } from '../auth/principal.js';
import { seenFrom, type AuditLog } from '../audit/audit-log.js';
import { maySee, readerOf, type CameraReader } from '../auth/camera-access.js';
import type { ContractRouter } from '../http/contract-router.js';
import { ApiError, notFound, unauthorized } from '../http/errors.js';
import { ChunkTooLargeError, type ChunkStore } from '../recordings/chunk-store.js';
import type { KeyedMutex } from '../recordings/keyed-mutex.js';
import type { PlaybackTokens } from '../recordings/playback-tokens.js';
import { bodyOf } from '../recordings/upload-route.js';
import { checkSameImage } from '../store/same-bytes.js';
import { ImageConflictError, type MotionEventRow, type MotionImageRecord, type Store } from '../store/store.js';
import type { MotionEventActivityListener } from './activity.js';

/**
 * Where each image of an event lives in the image store: the event id names
 * the folder (as a recording id names a recording's), the image its "seq".
 */
export const IMAGE_SEQ: Record<MotionImage, number> = { snapshot: 0, thumbnail: 1 };

/** The media types an event image may have (as the route table declares them). */
const IMAGE_TYPES = ['image/jpeg', 'image/webp'] as const;

const tooLarge = (maxBytes: number) =>
  new ApiError(413, 'image_too_large', `An event image may be at most ${maxBytes} bytes.`);

/** The event, if it is the camera's. @throws ApiError 404 for none or another camera's */
async function camerasEvent(store: Store, deviceId: string, eventId: string): Promise<MotionEventRow> {
  const event = await store.motionEvents.findById(eventId);
  if (!event || event.deviceId !== deviceId) throw notFound('Event');
  return event;
}

/** The 409 of an image the event has with other bytes. */
const imageConflict = (image: MotionImage) =>
  new ApiError(409, 'image_conflict', `The ${image} of this event is stored with other bytes.`);

/**
 * The image routes of camera events:
 *
 * - `PUT /api/events/:eventId/snapshot` and `/thumbnail` (camera): the raw
 *   JPEG or WebP bytes, streamed into a staged file while they are hashed and
 *   counted (at most `imageMaxBytes`), committed with fsync + rename + folder
 *   fsync and only then recorded, under the event's lock (which retention
 *   takes too), then told to `onActivity`. Written once: the same bytes again → 200, other bytes → 409
 *   `image_conflict`.
 * - `GET` of the same paths (`?token=` of an image URL, or the household's
 *   `Authorization`): the image with its media type.
 *
 * Another household's (or camera's) event answers 404, like an unknown one.
 */
export function motionImageRoutes(
  api: ContractRouter,
  deps: {
    store: Store;
    images: ChunkStore;
    locks: KeyedMutex;
    tokens: PlaybackTokens;
    resolve: (authorization: string | undefined) => Promise<Principal | undefined>;
    imageMaxBytes: number;
    onActivity: MotionEventActivityListener;
    audit: AuditLog;
  },
): void {
  const { store, images, locks, tokens, imageMaxBytes } = deps;

  async function upload(
    owner: { deviceId: string },
    eventId: string,
    image: MotionImage,
    req: Request,
    res: Response,
  ): Promise<void> {
    if (Number(req.get('content-length') ?? 0) > imageMaxBytes) throw tooLarge(imageMaxBytes);
    await camerasEvent(store, owner.deviceId, eventId);
    const contentType = req.is([...IMAGE_TYPES]) as MotionImageRecord['contentType'];
    const staged = await images.stage(eventId, IMAGE_SEQ[image], bodyOf(req), imageMaxBytes).catch((error: unknown) => {
      if (error instanceof ChunkTooLargeError) throw tooLarge(error.maxBytes);
      if (!req.readableAborted) throw error;
      throw new ApiError(400, 'upload_aborted', 'The upload was interrupted; send the image again.');
    });
    try {
      if (staged.sizeBytes === 0) throw new ApiError(400, 'empty_image', 'The image is empty.');
      const record: MotionImageRecord = { eventId, image, contentType, sizeBytes: staged.sizeBytes, sha256: staged.sha256 };
      const receipt: MotionImageReceipt = record;
      await locks
        .run(eventId, async () => {
          await camerasEvent(store, owner.deviceId, eventId);
          const stored = await store.motionEvents.findImage(eventId, image);
          if (stored) {
            checkSameImage(stored, record);
            await staged.discard();
            res.status(200).json({ ...receipt });
            return;
          }
          await staged.commit();
          // Another server may have stored this image since `findImage` (the lock is this
          // process's only): `addImage` is idempotent for the same bytes and refuses other ones.
          await store.motionEvents.addImage(record);
          deps.onActivity({ type: 'image-stored', eventId, image });
          res.status(201).json({ ...receipt });
        })
        .catch((error: unknown) => {
          throw error instanceof ImageConflictError ? imageConflict(image) : error;
        });
    } catch (error) {
      await staged.discard();
      throw error;
    }
  }

  async function download(eventId: string, image: MotionImage, token: string | undefined, req: Request, res: Response) {
    let reader: CameraReader | undefined;
    if (token !== undefined) {
      reader = await tokens.verify(token, eventId);
    } else {
      const principal = await deps.resolve(req.get('authorization'));
      if (principal?.kind === 'device') throw new ApiError(403, 'forbidden', 'Only a signed-in user may do this.');
      reader = principal && readerOf(principal);
    }
    if (!reader) throw unauthorized('This image link is invalid or has expired; load the events again.');
    const event = await store.motionEvents.findById(eventId);
    const visible = event !== undefined && maySee(reader, event.householdId, event.deviceId);
    const stored = visible ? await store.motionEvents.findImage(eventId, image) : undefined;
    if (!stored) throw notFound('Image');
    const body = await images.read(eventId, IMAGE_SEQ[image]);
    // Opening an event shows its snapshot; thumbnails fill every list and tell nothing.
    if (image === 'snapshot') await deps.audit.recordRead('event-opened', reader, seenFrom(req), eventId, { deviceId: event!.deviceId, details: { eventId } });
    res.set({
      'Content-Type': stored.contentType,
      'Content-Length': String(stored.sizeBytes),
      'Cache-Control': 'private, max-age=3600',
    });
    await pipeline(body, res).catch((error: unknown) => {
      if (!res.destroyed) throw error;
    });
  }

  for (const image of ['snapshot', 'thumbnail'] as const) {
    api.handle(`PUT /api/events/:eventId/${image}`, ({ principal, params }, req, res) =>
      upload(principal, params.eventId, image, req, res),
    );
    api.handle(`GET /api/events/:eventId/${image}`, ({ params, query }, req, res) =>
      download(params.eventId, image, query.token, req, res),
    );
  }
}
