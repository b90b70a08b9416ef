import { log } from '../../shared/logger.js';
import type { LocalChunk } from '../../shared/recording-records.js';
import type { NewRecording } from './chunk-queue.js';
import { newRandomId } from './recording-ids.js';

/** Where a recorder's chunks go: the `ChunkQueue`, or an `EventFootage` in front of it. */
export interface ChunkSink {
  /** Starts a recording with its init segment (seq 0). */
  begin(recording: NewRecording, init: LocalChunk): Promise<void>;
  /** Adds the next chunk of a recording that is still being recorded. */
  append(chunk: LocalChunk): Promise<void>;
  /** Ends a recording whose last chunk came without data (or could not be stored). */
  end(recordingId: string): Promise<void>;
}

/**
 * How recordings are kept: every chunk (`always`), or only the footage around
 * events (`events`: from `preRollMs` before an event starts until
 * `postRollMs` after its last motion, ms).
 */
export type FootageMode = { kind: 'always' } | { kind: 'events'; preRollMs: number; postRollMs: number };

/** One recording written to the queue from a recorder's chunks in `events` mode. */
interface Output {
  id: string;
  nextSeq: number;
  /** The newest chunk, held back one chunk so that the last one can be marked final. */
  tail: LocalChunk | null;
}

/**
 * A recorder's recording in `events` mode: its init segment, the chunks kept
 * for the pre-roll (in memory), the recording being written for an event (or
 * none), and the chunks past the post-roll held while the event may go on.
 */
interface EventSource {
  mode: Extract<FootageMode, { kind: 'events' }>;
  recording: NewRecording;
  init: LocalChunk;
  preRoll: LocalChunk[];
  output: Output | null;
  held: LocalChunk[];
}

/**
 * What events say: whether one is open, and until when footage is kept
 * (the latest motion + post-roll; camera clock, ms since the epoch).
 */
type EventWindow = { open: false; keepUntilMs: number } | { open: true; startedAtMs: number; keepUntilMs: number };

const endOf = (chunk: LocalChunk) => chunk.startMs + chunk.durationMs;

/**
 * Sits between the recorder and the upload queue (`ChunkQueue`). In `always`
 * mode it passes every chunk on. In `events` mode (chosen for each recording
 * as its recorder begins) it keeps a rolling pre-roll of chunks in memory and
 * writes nothing until an event starts; then it writes a recording of its own
 * (new id, the recorder's init segment, the pre-roll chunks that end after
 * the event's start − pre-roll, renumbered from seq 1) and every chunk until
 * the post-roll after the event's last motion, the last one marked final.
 * Chunks past the post-roll wait while the event is open (motion may come
 * back), and are dropped into the pre-roll once it ended: the still parts
 * between events never leave the device. Chunks start with a keyframe (the
 * recorder's keyframe interval is its timeslice), so each such recording is
 * playable from its first chunk. Written recordings then go through the queue
 * like any other (IndexedDB first, uploaded later, idempotent).
 *
 * Event times and chunk times are on the camera's clock (ms since the epoch).
 */
export class EventFootage implements ChunkSink {
  private mode: FootageMode = { kind: 'always' };
  private readonly sources = new Map<string, EventSource>();
  private window: EventWindow = { open: false, keepUntilMs: -Infinity };
  /** One change at a time, in call order. */
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly queue: ChunkSink) {}

  /** The mode for recordings that begin from now on (a running one keeps its own). */
  setMode(mode: FootageMode): void {
    this.mode = mode;
  }

  /** The mode recordings begin with now. */
  get currentMode(): FootageMode {
    return this.mode;
  }

  async begin(recording: NewRecording, init: LocalChunk): Promise<void> {
    if (this.mode.kind === 'always') return this.queue.begin(recording, init);
    this.sources.set(recording.id, { mode: this.mode, recording, init, preRoll: [], output: null, held: [] });
  }

  async append(chunk: LocalChunk): Promise<void> {
    const source = this.sources.get(chunk.recordingId);
    if (!source) return this.queue.append(chunk);
    await this.run(async () => {
      source.preRoll.push(chunk);
      await this.settle(source);
      if (chunk.final) await this.close(source);
    });
  }

  async end(recordingId: string): Promise<void> {
    const source = this.sources.get(recordingId);
    if (!source) return this.queue.end(recordingId);
    await this.run(() => this.close(source));
  }

  /** An event began at `startedAtMs` with motion until `lastMotionAtMs`: footage is written from the pre-roll on. */
  eventStarted(startedAtMs: number, lastMotionAtMs: number): Promise<void> {
    return this.run(async () => {
      const keepUntilMs = Math.max(this.window.keepUntilMs, lastMotionAtMs + this.postRollMs());
      const startedAt = this.window.open ? this.window.startedAtMs : startedAtMs;
      this.window = { open: true, startedAtMs: startedAt, keepUntilMs };
      for (const source of this.sources.values()) await this.settle(source);
    });
  }

  /** Motion went on at `atMs` in the open event: footage is kept until the post-roll after it. */
  motionSeen(atMs: number): Promise<void> {
    return this.run(async () => {
      if (!this.window.open) return;
      this.window = { ...this.window, keepUntilMs: Math.max(this.window.keepUntilMs, atMs + this.postRollMs()) };
      for (const source of this.sources.values()) await this.settle(source);
    });
  }

  /** The event ended with its last motion at `endedAtMs`: footage is kept until the post-roll after it, then the recording ends. */
  eventEnded(endedAtMs: number): Promise<void> {
    return this.run(async () => {
      this.window = { open: false, keepUntilMs: Math.max(this.window.keepUntilMs, endedAtMs + this.postRollMs()) };
      for (const source of this.sources.values()) await this.settle(source);
    });
  }

  private postRollMs(): number {
    const modes = [this.mode, ...[...this.sources.values()].map((source) => source.mode)];
    return Math.max(0, ...modes.map((mode) => (mode.kind === 'events' ? mode.postRollMs : 0)));
  }

  private run(step: () => Promise<void>): Promise<void> {
    const next = this.work.then(step);
    this.work = next.catch((error: unknown) => log.warn('recording: event footage could not be written', error));
    return next;
  }

  /**
   * Brings one recorder's chunks in line with the event window: opens its
   * event recording from the pre-roll when an event is open, writes what lies
   * before the post-roll's end, holds what lies past it while the event is
   * open, and otherwise ends the event recording and trims the pre-roll.
   */
  private async settle(source: EventSource): Promise<void> {
    const { window } = this;
    const incoming = [...source.held, ...(source.output ? source.preRoll : [])];
    if (source.output) {
      source.held = [];
      source.preRoll = [];
    }
    if (!source.output && window.open) {
      const fromMs = window.startedAtMs - source.mode.preRollMs;
      const first = source.preRoll.findIndex((chunk) => endOf(chunk) > fromMs);
      if (first >= 0) {
        incoming.push(...source.preRoll.slice(first));
        source.preRoll = [];
        source.output = await this.open(source, incoming[0]!.startMs);
      }
    }
    /** Whether a chunk past the post-roll came: the event recording is complete. */
    let past = false;
    for (const chunk of incoming) {
      if (source.output && chunk.startMs < window.keepUntilMs) await this.write(source.output, chunk);
      else if (source.output && window.open) source.held.push(chunk);
      else {
        past ||= source.output !== null;
        source.preRoll.push(chunk);
      }
    }
    const tail = source.output?.tail;
    if (source.output && !window.open && (past || (tail && endOf(tail) >= window.keepUntilMs))) {
      await this.finish(source.output);
      source.output = null;
    }
    if (!source.output) this.trimPreRoll(source);
  }

  /** Keeps the newest chunks that cover the pre-roll (and one more, for an event starting inside the chunk being recorded). */
  private trimPreRoll(source: EventSource): void {
    const newest = source.preRoll.at(-1);
    if (!newest) return;
    const keepFromMs = endOf(newest) - source.mode.preRollMs - newest.durationMs;
    source.preRoll = source.preRoll.filter((chunk) => endOf(chunk) > keepFromMs);
  }

  private async open(source: EventSource, startedAtMs: number): Promise<Output> {
    const id = newRandomId();
    const init: LocalChunk = { ...source.init, recordingId: id, seq: 0, startMs: startedAtMs, final: false };
    await this.queue.begin({ ...source.recording, id, startedAtMs }, init);
    return { id, nextSeq: 1, tail: null };
  }

  private async write(output: Output, chunk: LocalChunk): Promise<void> {
    if (output.tail) await this.queue.append(output.tail);
    output.tail = { ...chunk, recordingId: output.id, seq: output.nextSeq++, final: false };
  }

  private async finish(output: Output): Promise<void> {
    if (output.tail) await this.queue.append({ ...output.tail, final: true });
    else await this.queue.end(output.id);
    output.tail = null;
  }

  /**
   * The recorder's recording ended: an event recording it feeds ends with it
   * (with the chunks held while the event is still open, as motion may go
   * on), and its pre-roll is forgotten.
   */
  private async close(source: EventSource): Promise<void> {
    this.sources.delete(source.recording.id);
    if (!source.output) return;
    if (this.window.open) for (const chunk of source.held) await this.write(source.output, chunk);
    await this.finish(source.output);
    source.output = null;
  }
}
