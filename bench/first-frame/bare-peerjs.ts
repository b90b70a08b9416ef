import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import express from 'express';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { STOCK_KEY, StockPeerServer } from '../support/stock-peer.js';
import { defineNameHelper } from '../support/browser-functions.js';
import { installFirstFrameProbe } from './probe.js';
import { callSteps, type CallSample, type FirstFrameSubject } from './subject.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CAMERA_ID = 'benchcamera';
const VIEWER_ID = 'benchviewer';

/** Serves the bare PeerJS page and PeerJS's browser bundle on 127.0.0.1 (a secure context for getUserMedia). */
async function serveBarePage(): Promise<Server> {
  const app = express();
  app.get('/', (_req, res) => res.sendFile(path.join(ROOT, 'bench/first-frame/bare-peerjs.html')));
  app.get('/peerjs.min.js', (_req, res) => res.sendFile(path.join(ROOT, 'node_modules/peerjs/dist/peerjs.min.js')));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return server;
}

/**
 * The baseline: two pages with nothing but PeerJS and a stock PeerServer.
 * The camera answers with getUserMedia's stream; the viewer calls with an
 * empty MediaStream and `offerToReceiveVideo`.
 */
export class BarePeerJsSubject implements FirstFrameSubject {
  readonly name = 'bare PeerJS';
  private peerServer?: StockPeerServer;
  private site?: Server;
  private context?: BrowserContext;
  private viewer?: Page;
  private camera?: Page;

  async setUp(browser: Browser): Promise<void> {
    this.peerServer = await StockPeerServer.start();
    this.site = await serveBarePage();
    const pageUrl = `http://127.0.0.1:${(this.site.address() as AddressInfo).port}/`;
    const server = { host: '127.0.0.1', port: this.peerServer.port, path: '/', key: STOCK_KEY, secure: false };
    this.context = await browser.newContext();
    await this.context.addInitScript(defineNameHelper);
    await this.context.addInitScript(installFirstFrameProbe);
    const camera = await this.context.newPage();
    this.camera = camera;
    await camera.goto(pageUrl);
    await camera.evaluate(([s, id]) => window.startCamera(s, id), [server, CAMERA_ID] as const);
    this.viewer = await this.context.newPage();
    await this.viewer.goto(pageUrl);
    await this.viewer.evaluate(([s, id]) => window.startViewer(s, id), [server, VIEWER_ID] as const);
  }

  async measureCall(): Promise<CallSample> {
    const firstFrameMs = await this.viewer!.evaluate((id) => window.callOnce(id), CAMERA_ID);
    return { firstFrameMs, steps: await callSteps(this.viewer!, this.camera!) };
  }

  async tearDown(): Promise<void> {
    await this.context?.close();
    await new Promise((resolve) => (this.site ? this.site.close(resolve) : resolve(undefined)));
    await this.peerServer?.stop();
  }
}

/** Peer server settings the bare page's `new Peer(id, options)` takes (PeerJS `PeerOptions`). */
interface PeerServerOptions {
  host: string;
  port: number;
  path: string;
  key: string;
  secure: boolean;
}

declare global {
  interface Window {
    startCamera(server: PeerServerOptions, id: string): Promise<void>;
    startViewer(server: PeerServerOptions, id: string): Promise<void>;
    callOnce(cameraId: string): Promise<number>;
  }
}
