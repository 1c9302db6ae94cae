import type { ModelId } from '@loupe/shared';
import type { OrtEp, OrtSession } from './ort';

/**
 * Where a `SessionRunner` gets its sessions: `ModelResidency` (the server's child: verified
 * files, offload and reload) or `SessionCache` (one process's run: the bench, the model tests).
 */
export interface SessionPool {
  readonly executionProvider: OrtEp;
  /** The model's session, opened if needed and held in use until `release`. */
  acquire(model: ModelId): Promise<OrtSession>;
  release(model: ModelId): void;
}
