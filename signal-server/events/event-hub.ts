import { EventEmitter } from 'node:events';
import type { HouseholdEvent } from '../../protocol/index.js';

/** Receives the events of one household. */
export type HouseholdListener = (event: HouseholdEvent) => void;

/**
 * Publish/subscribe of household events (presence, pairing, device changes)
 * to the household's open viewers. In-process now; with several server
 * instances the same interface would sit on a shared bus (e.g. Redis pub/sub).
 */
export interface EventHub {
  publish(householdId: string, event: HouseholdEvent): void;
  /** @returns a function that ends the subscription. */
  subscribe(householdId: string, listener: HouseholdListener): () => void;
}

/** The single-process EventHub. */
export class LocalEventHub implements EventHub {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  publish(householdId: string, event: HouseholdEvent): void {
    this.emitter.emit(householdId, event);
  }

  subscribe(householdId: string, listener: HouseholdListener): () => void {
    this.emitter.on(householdId, listener);
    return () => this.emitter.off(householdId, listener);
  }
}
