import type { CameraReportRequest, VideoSource } from '../../protocol/index.js';
import type { ApiClient } from '../api/api-client.js';
import { Emitter } from '../shared/emitter.js';
import { log } from '../shared/logger.js';
import type { CameraCapture } from './camera-capture.js';

/** A report is sent at least this often, ms (viewers see fresh frames per second, and a restarted server learns it soon). */
export const REPORT_INTERVAL_MS = 10_000;
/** Changes within this long go out in one report, ms. */
const REPORT_DELAY_MS = 250;
/** Most capture devices listed (the report schema's limit). */
const MAX_SOURCES = 16;
/** Longest device label sent (the report schema's limit), UTF-16 code units. */
const MAX_LABEL = 120;

/** W3C Battery Status API `BatteryManager` (not in TypeScript's DOM library). */
interface BatteryManager extends EventTarget {
  readonly level: number;
  readonly charging: boolean;
}

/** WICG Network Information API `NetworkInformation` (not in TypeScript's DOM library). */
interface NetworkInformation extends EventTarget {
  readonly type?: string;
  readonly effectiveType?: string;
}

/** W3C mediacapture-extensions `MediaStreamTrackVideoStats` (Chromium 121+; not in TypeScript's DOM library). */
interface VideoTrackStats {
  readonly totalFrames: number;
  readonly discardedFrames: number;
}

/** A frame count at a moment, to measure frames per second between two reports. */
interface FrameSample {
  track: MediaStreamTrack;
  atMs: number;
  totalFrames: number;
  discardedFrames: number;
}

/**
 * The camera's health as it reports it (`PUT /api/devices/me/report`), for
 * viewers to look after an old phone: battery level and charging (W3C
 * Battery Status API, where the browser has it), network type (WICG Network
 * Information API, where known), frames captured and discarded per second
 * (measured from the video track's `stats`, W3C mediacapture-extensions),
 * capture size, the height of the video sent to a viewer, the capture devices it offers and what its track can do
 * (torch, zoom). Sent on each change (battery, network, devices, tracks)
 * and every `REPORT_INTERVAL_MS`; a report that fails is logged, and the next
 * one carries the news. Runs from `start()` until `stop()`; `last` is the
 * latest report made (also when it could not be sent), and `report` is
 * dispatched with each.
 */
export class CameraHealth extends Emitter<{ report: void }> {
  /** The latest report made, or null before the first. */
  last: CameraReportRequest | null = null;
  private readonly lifetime = new AbortController();
  private battery: BatteryManager | null = null;
  /** When the battery was first seen not charging (`performance.now()`, ms), or null while charging. */
  private notChargingSinceMs: number | null = null;
  private sample: FrameSample | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private interval: ReturnType<typeof setInterval> | undefined;
  private sending = false;
  private again = false;

  constructor(
    private readonly api: ApiClient,
    private readonly deviceToken: string,
    private readonly capture: CameraCapture,
    /** The height of the video sent to a viewer now, px, or null. */
    private readonly sentHeight: () => Promise<number | null>,
  ) {
    super();
  }

  /** Reports now and on each change from then on (the battery once the browser gave it). */
  async start(): Promise<void> {
    const { signal } = this.lifetime;
    const soon = () => this.soon();
    this.capture.on('tracks', soon, signal);
    this.capture.on('quality', soon, signal);
    navigator.mediaDevices.addEventListener('devicechange', soon, { signal });
    connection()?.addEventListener('change', soon, { signal });
    this.interval = setInterval(soon, REPORT_INTERVAL_MS);
    signal.addEventListener('abort', () => clearInterval(this.interval));
    const getBattery = (navigator as Navigator & { getBattery?: () => Promise<BatteryManager> }).getBattery;
    if (getBattery) {
      try {
        const battery = await getBattery.call(navigator);
        if (signal.aborted) return;
        this.battery = battery;
        battery.addEventListener('levelchange', soon, { signal });
        battery.addEventListener('chargingchange', soon, { signal });
      } catch (error) {
        log.info('camera: no battery status', error);
      }
    }
    this.soon();
  }

  /** Stops reporting. */
  stop(): void {
    this.lifetime.abort();
    clearTimeout(this.timer);
  }

  private soon(): void {
    if (this.lifetime.signal.aborted) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, REPORT_DELAY_MS);
  }

  /** One report at a time; a change meanwhile sends another right after. */
  private async send(): Promise<void> {
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = true;
    try {
      const report = await this.report();
      this.last = report;
      this.emit('report');
      await this.api.reportCameraHealth(this.deviceToken, report);
    } catch (error) {
      log.debug('camera: the health report could not be sent', error);
    } finally {
      this.sending = false;
      if (this.again && !this.lifetime.signal.aborted) {
        this.again = false;
        void this.send();
      }
    }
  }

  private async report(): Promise<CameraReportRequest> {
    const capture = this.capture;
    const video = capture.paused ? undefined : capture.video;
    const settings = video?.getSettings();
    const rates = this.frameRates(video);
    const { torch, zoom, maxHeight } = capture.capabilities();
    const network = connection();
    return {
      battery: this.batteryReport(),
      network: (network?.type ?? network?.effectiveType ?? null)?.slice(0, 20) ?? null,
      framesPerSecond: rates?.captured ?? null,
      droppedFramesPerSecond: rates?.dropped ?? null,
      width: settings?.width ?? null,
      height: settings?.height ?? null,
      maxHeight,
      sentHeight: await this.sentHeight().catch((error: unknown) => {
        log.debug('camera: the sent video could not be read', error);
        return null;
      }),
      videoSources: await videoSources(),
      videoSourceId: capture.videoSourceId?.slice(0, 256) ?? null,
      torch,
      zoom,
    };
  }

  /** The battery's level and charging, and how long it has not been charging (monotonic clock, so a clock change does not count). */
  private batteryReport(): CameraReportRequest['battery'] {
    const battery = this.battery;
    if (!battery) return null;
    const nowMs = performance.now();
    if (battery.charging) this.notChargingSinceMs = null;
    else this.notChargingSinceMs ??= nowMs;
    const notChargingForMs = this.notChargingSinceMs === null ? 0 : Math.round(nowMs - this.notChargingSinceMs);
    return { level: clamp01(battery.level), charging: battery.charging, notChargingForMs };
  }

  /** Frames per second captured and discarded since the last report of the same track; null on its first. */
  private frameRates(video: MediaStreamTrack | undefined): { captured: number; dropped: number } | null {
    const stats = (video as (MediaStreamTrack & { stats?: VideoTrackStats }) | undefined)?.stats;
    if (!video || !stats) {
      this.sample = null;
      return null;
    }
    const now: FrameSample = { track: video, atMs: performance.now(), totalFrames: stats.totalFrames, discardedFrames: stats.discardedFrames };
    const before = this.sample;
    this.sample = now;
    const seconds = before && before.track === video ? (now.atMs - before.atMs) / 1000 : 0;
    if (!before || seconds < 0.5) return null;
    const round = (frames: number) => Math.max(0, Math.round((frames / seconds) * 10) / 10);
    return {
      captured: round(now.totalFrames - before.totalFrames - (now.discardedFrames - before.discardedFrames)),
      dropped: round(now.discardedFrames - before.discardedFrames),
    };
  }
}

function connection(): NetworkInformation | undefined {
  return (navigator as Navigator & { connection?: NetworkInformation }).connection;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** The page's capture devices (labels once camera permission was given, W3C mediacapture-main §9.2). */
async function videoSources(): Promise<VideoSource[]> {
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices
      .filter((d) => d.kind === 'videoinput' && d.deviceId !== '')
      .slice(0, MAX_SOURCES)
      .map((d) => ({ id: d.deviceId.slice(0, 256), label: d.label.slice(0, MAX_LABEL) }));
  } catch (error) {
    log.debug('camera: the capture devices could not be listed', error);
    return [];
  }
}
