import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TEMP_SUFFIX } from './inputs';

/**
 * Writes outputs so that a file under its final name is always whole: bytes go to a hidden temp
 * file beside it, renamed into place once written (rename within a folder is atomic). An
 * interrupted run leaves no partial output, so a rerun may skip every output that exists.
 */
export class AtomicWriter {
  private readonly pending = new Set<string>();

  async write(path: string, bytes: Uint8Array): Promise<void> {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
    this.pending.add(temp);
    try {
      await writeFile(temp, bytes);
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    } finally {
      this.pending.delete(temp);
    }
  }

  /** For a signal handler about to exit: the temp files of writes still in flight go. */
  removePendingSync(): void {
    for (const temp of this.pending) rmSync(temp, { force: true });
    this.pending.clear();
  }
}
