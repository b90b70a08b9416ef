import type { AuthSession } from '../../protocol/index.js';
import { bearer, type TestServer } from './server.js';

/**
 * A new person who joins `owner`'s household with `role` (and, for a viewer,
 * `deviceIds`) through the real invitation API: register, `POST
 * /api/invites`, `POST /api/invites/accept`.
 * @throws Error when the invitation is not accepted (200)
 */
export async function joinHousehold(server: TestServer, owner: AuthSession, role: string, deviceIds?: string[]): Promise<AuthSession> {
  const person = await server.register();
  const invite = await server.request('POST', '/api/invites', { auth: bearer(owner), body: { role, deviceIds } });
  const joined = await server.request('POST', '/api/invites/accept', { auth: bearer(person), body: { token: invite.body.token } });
  if (joined.status !== 200) throw new Error(`joining failed: ${joined.status} ${JSON.stringify(joined.body)}`);
  return person;
}
