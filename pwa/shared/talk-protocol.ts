import type { MediaConnection } from 'peerjs';

/**
 * Talk-back between a viewer and a camera: what both sides agree on.
 *
 * Mechanism: a separate audio-only PeerJS call from the viewer to the camera,
 * dialled while the viewer holds "Talk" and hung up when it lets go. PeerJS
 * 1.5 cannot renegotiate an open call (a second OFFER on an existing
 * connection closes it: peerjs `lib/peer.ts`, peerjs #827), and the live call
 * is offered by a viewer that has no microphone track to offer, so the live
 * call's negotiation stays as it is (nothing added on the first frame's path).
 * The microphone is opened only while the person talks (the browser's
 * recording indicator is off otherwise), and no silent placeholder track is
 * sent for the whole of every live call. The price is the call's set-up time
 * (about 150–350 ms on a LAN) at each press; the viewer says "Talking…" only
 * once the camera plays the voice.
 *
 * The OFFER carries `TalkCallMetadata` (PeerJS `metadata`, relayed with the
 * OFFER) so the camera tells a talk call from a live one. The camera answers
 * without a stream (one-way: viewer → camera) and reports over a data channel
 * both sides create with the same id (`negotiated: true`, W3C webrtc §6.2
 * `RTCDataChannelInit`): no in-band DCEP open and no renegotiation, since
 * PeerJS's own data channel already put SCTP in the offer.
 */

/** PeerJS `metadata` of a talk call's OFFER. */
export interface TalkCallMetadata {
  purpose: 'talk';
  /** Who talks, shown on the camera and to a second viewer: the signed-in user's email. */
  talker: string;
}

/**
 * What the camera tells the talking viewer, as JSON text on the talk channel:
 * - `talking`: the camera plays the voice now
 * - `cannot-play`: the camera's browser will not play sound until someone taps the camera page
 * - `busy`: another viewer (`talker`) is talking; the viewer hangs up
 */
export type TalkMessage = { type: 'talking' } | { type: 'cannot-play' } | { type: 'busy'; talker: string };

/**
 * The id of the talk channel. PeerJS's own data channel gets its id from the
 * DTLS role (RFC 8832 §6: the lowest free even or odd id, 0 or 1), so a high
 * fixed id never meets it.
 */
const TALK_CHANNEL_ID = 100;

/** The longest talker label kept, in UTF-16 code units (an email is at most 254). */
const TALKER_MAX_LENGTH = 254;

/** Metadata for a talk call from `talker`. */
export function talkCallMetadata(talker: string): TalkCallMetadata {
  return { purpose: 'talk', talker };
}

/** The talker of an incoming talk call, or undefined when `call` is another kind of call. */
export function talkerOf(call: MediaConnection): string | undefined {
  const metadata: unknown = call.metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const { purpose, talker } = metadata as Partial<Record<keyof TalkCallMetadata, unknown>>;
  if (purpose !== 'talk') return undefined;
  return typeof talker === 'string' && talker.trim() !== '' ? talker.trim().slice(0, TALKER_MAX_LENGTH) : 'A viewer';
}

/**
 * Opens the talk channel on a call's connection (both sides call this, the
 * camera right after `answer()`, the viewer right after dialling).
 * @throws DOMException when the connection is closed
 */
export function openTalkChannel(pc: RTCPeerConnection): RTCDataChannel {
  return pc.createDataChannel('talk', { negotiated: true, id: TALK_CHANNEL_ID });
}

/** Reads a talk channel message; undefined for anything else. */
export function parseTalkMessage(data: unknown): TalkMessage | undefined {
  if (typeof data !== 'string') return undefined;
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, talker } = message as { type?: unknown; talker?: unknown };
  if (type === 'talking' || type === 'cannot-play') return { type };
  if (type === 'busy' && typeof talker === 'string') return { type, talker: talker.slice(0, TALKER_MAX_LENGTH) };
  return undefined;
}

/** Whether `remotePeerId` is a viewer of the household of the camera `cameraPeerId` (`<householdId>-c-<deviceId>`). */
export function isViewerOfHousehold(cameraPeerId: string | undefined, remotePeerId: string): boolean {
  const householdId = cameraPeerId?.split('-')[0];
  return householdId !== undefined && householdId !== '' && remotePeerId.startsWith(`${householdId}-v-`);
}

/** The user id in a viewer's peer id (`<householdId>-v-<userId>-<page>`, issued by the server), or undefined for another peer. */
export function viewerUserOf(remotePeerId: string): string | undefined {
  const [, kind, userId] = remotePeerId.split('-');
  return kind === 'v' && userId ? userId : undefined;
}
