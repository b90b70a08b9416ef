import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpentTickets } from '../../signal-server/signaling/spent-tickets.js';

test('a ticket id is spent once; it is forgotten once it has expired', () => {
  const spent = new SpentTickets(10);
  assert.equal(spent.spend('a', 1_000, 0), 'spent');
  assert.equal(spent.spend('a', 1_000, 500), 'reused');
  assert.equal(spent.spend('b', 2_000, 999), 'spent');
  assert.equal(spent.size, 2);
  assert.equal(spent.spend('c', 3_000, 1_000), 'spent');
  assert.equal(spent.size, 2, 'a, expired, was dropped');
});

test('memory is bounded: when full of unexpired ids, a new one is refused, and admitted once room is made', () => {
  const spent = new SpentTickets(3);
  for (const id of ['a', 'b', 'c']) assert.equal(spent.spend(id, 1_000, 0), 'spent');
  assert.equal(spent.spend('d', 1_000, 10), 'full');
  assert.equal(spent.size, 3);
  assert.equal(spent.spend('d', 2_000, 1_000), 'spent');
  assert.equal(spent.size, 1);
});
