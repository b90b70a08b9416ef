import type { Request } from 'express';
import type { SessionClient } from '../store/store.js';

/** Longest `User-Agent` kept, characters (real ones are a few hundred). */
const USER_AGENT_MAX_CHARS = 512;

/** Where a request comes from: its client address (`req.ip`, honouring `TRUST_PROXY`) and `User-Agent`. */
export function sessionClientOf(req: Request): SessionClient {
  return { address: req.ip ?? null, userAgent: req.get('user-agent')?.slice(0, USER_AGENT_MAX_CHARS) ?? null };
}
