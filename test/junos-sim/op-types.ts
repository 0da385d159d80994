// What an operational command sees and returns.

import type { DeviceState } from './device-state.js';

export interface OpContext {
  state: DeviceState;
  /** The device's name in the simulator (the host name when the configuration sets none). */
  deviceName: string;
  bootedAt: Date;
  /** When the BGP session to `address` (in `instance`) came up. */
  peerUpSince(instance: string, address: string): Date;
}

export interface OpOutput {
  /** What the CLI prints (format text), without a trailing blank line. */
  text: string;
  /** The Junos XML element (format xml), e.g. `<bgp-information xmlns=…>…</bgp-information>`. */
  xml: string;
  /** `show configuration` text comes in <configuration-information><configuration-output>, the rest in <output>. */
  textWrapper?: 'configuration-output';
}
