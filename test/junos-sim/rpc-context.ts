// What an RPC handler works with, and its shape.

import type { Element } from '@xmldom/xmldom';
import type { DeviceState, Owner } from './device-state.js';
import type { OpContext } from './op-types.js';

export interface RpcContext {
  state: DeviceState;
  /** For operational commands. */
  op: OpContext;
  owner: Owner;
  sessionId: number;
  /** close-session: the session ends once this reply is written. */
  endAfterReply(): void;
  /** kill-session: ends another session of this device; false when there is none with that id. */
  killSession(id: number): boolean;
}

/** Returns the inside of <rpc-reply> ('' for an empty reply); throws RpcFailure for an error reply. */
export type RpcHandler = (ctx: RpcContext, operation: Element) => string;
