import { closeSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { ExternalDataSink } from './graph-builder';

/** Large tensors start on allocation-granularity boundaries so a reader may map them in place. */
const ALIGN_FROM_BYTES = 1 << 20;
const ALIGNMENT = 1 << 16;

/**
 * An external-data file written as the graph is built: weights go to disk as each initializer
 * is made, so a multi-GB graph never sits in memory. `close()` once the graph is written.
 *
 * @example
 *   const weights = new ExternalDataFile(join(dir, 'model.onnx_data'));
 *   const g = new GraphBuilder('unet', { externalData: weights });
 *   … build …; writeFileSync(join(dir, 'model.onnx'), g.toBytes()); weights.close();
 */
export class ExternalDataFile implements ExternalDataSink {
  readonly location: string;
  private readonly fd: number;
  private size = 0;

  constructor(
    path: string,
    readonly threshold = 1024,
  ) {
    this.location = basename(path);
    this.fd = openSync(path, 'w');
  }

  get bytes(): number {
    return this.size;
  }

  append(bytes: Uint8Array): number {
    if (bytes.byteLength >= ALIGN_FROM_BYTES && this.size % ALIGNMENT !== 0) {
      const pad = ALIGNMENT - (this.size % ALIGNMENT);
      writeSync(this.fd, new Uint8Array(pad));
      this.size += pad;
    }
    const offset = this.size;
    let written = 0;
    while (written < bytes.byteLength)
      written += writeSync(this.fd, bytes, written, bytes.byteLength - written);
    this.size += bytes.byteLength;
    return offset;
  }

  close(): void {
    closeSync(this.fd);
  }
}
