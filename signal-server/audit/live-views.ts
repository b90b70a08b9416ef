import type { PresenceChange } from '../presence/presence-tracker.js';
import { parsePeerId } from '../signaling/peer-ids.js';
import type { AuditLog, SeenFrom } from './audit-log.js';

/** A live view the server saw start: who, from where, since when (server clock, ms). */
interface OpenView {
  userId: string;
  householdId: string;
  deviceId: string;
  from: SeenFrom;
  startedAtMs: number;
}

/** Why a live view ended, as the row's `details.endedBy` says. */
export type ViewEnd = 'hang-up' | 'leave' | 'viewer-gone' | 'camera-gone';

/**
 * Live views as signaling shows them, for the audit log. A view of a camera
 * by one viewer page (its peer id) starts when the signaling server relays
 * the page's first media OFFER to the camera while the camera is connected
 * (PeerJS protocol: OFFER with `payload.type` `media`; one to a camera that
 * is not connected waits in the PeerServer's queue and expires); later OFFERs while it is open (the page redialling
 * after a drop) continue it. It ends, with its duration, at the first of:
 * the page's hang-up (`POST /api/live-views/hang-up`, only for a view seen
 * here, of the caller's own page), the page's LEAVE to the camera, the
 * page's signaling socket closing, or the camera going offline (its socket
 * closed, on this instance or the one that held it: `presenceChanged`). PeerJS
 * sends nothing through the server when a call closes (peerjs #636), so
 * those are the ends the server can see.
 */
export class LiveViews {
  /** Open views by `<viewer peer id> <device id>`. */
  private readonly open = new Map<string, OpenView>();

  constructor(private readonly audit: AuditLog) {}

  /** A message the signaling server relays from `senderPeerId` (after its checks); `dstOnline`: the camera is connected. */
  relayed(senderPeerId: string, from: SeenFrom, message: { type: string; dst?: string; payload?: unknown }, dstOnline: boolean): void {
    const sender = parsePeerId(senderPeerId);
    const camera = message.dst === undefined ? undefined : parsePeerId(message.dst);
    if (sender?.kind !== 'viewer' || camera?.kind !== 'camera') return;
    const key = `${senderPeerId} ${camera.deviceId}`;
    if (message.type === 'LEAVE') {
      this.end(key, 'leave');
      return;
    }
    const media = (message.payload as { type?: unknown } | undefined)?.type === 'media';
    if (message.type !== 'OFFER' || !media || !dstOnline || this.open.has(key)) return;
    const view = { userId: sender.userId, householdId: sender.householdId, deviceId: camera.deviceId, from, startedAtMs: Date.now() };
    this.open.set(key, view);
    void this.audit.record('live-view-started', this.personOf(view), from, { deviceId: view.deviceId });
  }

  /**
   * The hang-up of viewer page `peerId` on camera `deviceId`, told by user
   * `userId`: ends the view if it is open and the page is theirs.
   * @returns whether a view ended
   */
  async hungUp(userId: string, peerId: string, deviceId: string): Promise<boolean> {
    const page = parsePeerId(peerId);
    if (page?.kind !== 'viewer' || page.userId !== userId) return false;
    return this.end(`${peerId} ${deviceId}`, 'hang-up');
  }

  /** A signaling socket closed: if it was a viewer page's, every view of that page ends. */
  socketClosed(peerId: string): void {
    if (parsePeerId(peerId)?.kind !== 'viewer') return;
    for (const key of this.open.keys()) if (key.startsWith(`${peerId} `)) this.end(key, 'viewer-gone');
  }

  /**
   * A camera went online or offline (`PresenceTracker.onChange`, for all
   * instances together): offline ends every view of it, wherever its
   * viewers' sockets are.
   */
  presenceChanged(change: PresenceChange): void {
    if (change.online) return;
    for (const [key, view] of this.open) {
      if (view.deviceId === change.deviceId && view.householdId === change.householdId) this.end(key, 'camera-gone');
    }
  }

  private end(key: string, endedBy: ViewEnd): boolean {
    const view = this.open.get(key);
    if (!view) return false;
    this.open.delete(key);
    const details = { durationMs: Date.now() - view.startedAtMs, endedBy };
    void this.audit.record('live-view-ended', this.personOf(view), view.from, { deviceId: view.deviceId, details });
    return true;
  }

  private personOf(view: OpenView) {
    return { kind: 'person' as const, userId: view.userId, householdId: view.householdId };
  }
}
