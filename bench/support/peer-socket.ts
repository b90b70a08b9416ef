import { WebSocket } from 'ws';

/** A message from a PeerJS server (PeerJS server protocol, `MessageType`: OPEN, OFFER, ANSWER, ERROR, ID-TAKEN, ...). */
export interface ServerMessage {
  type: string;
  src?: string;
  dst?: string;
  payload?: unknown;
}

/** Interval of the HEARTBEAT a PeerJS client sends, ms (peerjs `pingInterval`, default 5 000). */
export const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * Opens a PeerJS signaling socket the way the PeerJS client does and resolves
 * once the server sends OPEN. Messages after OPEN go to `onMessage`.
 * @param url `ws://.../peerjs?key=&id=&token=`
 * @throws Error (and terminates the socket) when the upgrade is refused, the
 *   first message is not OPEN (e.g. ERROR, ID-TAKEN), the socket closes, or
 *   no OPEN arrives within `timeoutMs`
 */
export function openPeerSocket(
  url: string,
  options: { timeoutMs: number; onMessage?: (message: ServerMessage) => void },
): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    let opened = false;
    const fail = (reason: string) => {
      clearTimeout(timer);
      ws.terminate();
      reject(new Error(reason));
    };
    const timer = setTimeout(() => fail(`no OPEN within ${options.timeoutMs} ms`), options.timeoutMs);
    ws.on('error', (err) => {
      if (!opened) fail(err.message);
    });
    ws.on('close', (code) => {
      if (!opened) fail(`closed before OPEN (code ${code})`);
    });
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as ServerMessage;
      if (opened) {
        options.onMessage?.(message);
      } else if (message.type === 'OPEN') {
        opened = true;
        clearTimeout(timer);
        resolve(ws);
      } else {
        fail(`${message.type} instead of OPEN: ${JSON.stringify(message.payload)}`);
      }
    });
  });
}

/**
 * Sends `{"type":"HEARTBEAT"}` every `intervalMs`, the first one after a
 * random part of the interval (so many sockets do not beat in step).
 * @returns a function that stops the heartbeats
 */
export function startHeartbeat(ws: WebSocket, intervalMs = HEARTBEAT_INTERVAL_MS): () => void {
  const beat = () => {
    if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"HEARTBEAT"}');
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    beat();
    interval = setInterval(beat, intervalMs);
  }, Math.random() * intervalMs);
  return () => {
    clearTimeout(first);
    clearInterval(interval);
  };
}
