import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JwtIssuer, type AccessClaims } from '../../signal-server/auth/jwt.js';
import { SessionIssuer } from '../../signal-server/auth/sessions.js';
import { ApiError } from '../../signal-server/http/errors.js';
import { addUser, forEachStore, TEST_CLIENT, type OpenStore } from './support.js';

async function setup(open: OpenStore) {
  const store = await open();
  const jwt = new JwtIssuer('unit-test-secret');
  return { store, jwt, sessions: new SessionIssuer(store, jwt, 60_000, 3_600_000) };
}

forEachStore((open) => {
  test('an access token carries the user and household and expires about when promised', async () => {
    const { store, jwt, sessions } = await setup(open);
    const user = await addUser(store);
    const session = await sessions.start(user, TEST_CLIENT);
    const claims = jwt.verify(session.accessToken, 'access');
    assert.equal(claims?.sub, user.id);
    assert.equal(claims?.hid, user.householdId);
    assert.ok(Math.abs(session.accessTokenExpiresAtMs - (Date.now() + 60_000)) < 2_000);
    assert.equal(jwt.verify(session.accessToken, 'signaling'), undefined, 'an access token is not a signaling ticket');
    assert.equal(new JwtIssuer('another secret').verify(session.accessToken, 'access'), undefined);
  });

  test('refresh rotates the token; reusing a spent token revokes the whole family', async () => {
    const { store, sessions } = await setup(open);
    const user = await addUser(store);
    const first = await sessions.start(user, TEST_CLIENT);
    const second = await sessions.refresh(first.refreshToken, TEST_CLIENT);
    assert.notEqual(second.refreshToken, first.refreshToken);

    await assert.rejects(sessions.refresh(first.refreshToken, TEST_CLIENT), (e: unknown) => e instanceof ApiError && e.status === 401);
    // The family is revoked: the token issued by the legitimate rotation no longer works either.
    await assert.rejects(sessions.refresh(second.refreshToken, TEST_CLIENT), (e: unknown) => e instanceof ApiError && e.status === 401);

    const other = await sessions.start(user, TEST_CLIENT);
    assert.ok(await sessions.refresh(other.refreshToken, TEST_CLIENT), 'another login is a separate family');
  });

  test('logout ends the session', async () => {
    const { store, sessions } = await setup(open);
    const session = await sessions.start(await addUser(store), TEST_CLIENT);
    await sessions.end(session.refreshToken);
    await assert.rejects(sessions.refresh(session.refreshToken, TEST_CLIENT), (e: unknown) => e instanceof ApiError && e.status === 401);
  });

  test('an access token names its session, which is active until the session ends', async () => {
    const { store, jwt, sessions } = await setup(open);
    const user = await addUser(store);
    const session = await sessions.start(user, TEST_CLIENT);
    const sid = jwt.verify<AccessClaims>(session.accessToken, 'access')?.sid;
    assert.ok(sid);
    assert.equal(await sessions.isActive(sid, user.id), true);
    assert.equal(await sessions.isActive(sid, 'another user'), false);
    const refreshed = await sessions.refresh(session.refreshToken, TEST_CLIENT);
    assert.equal(jwt.verify<AccessClaims>(refreshed.accessToken, 'access')?.sid, sid, 'a refresh stays in the session');
    await sessions.end(refreshed.refreshToken);
    assert.equal(await sessions.isActive(sid, user.id), false);
  });
});
