// Node-only helpers for the run service's tests: the real Loupe server and sharp to read its PNGs.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RgbaImage } from '@loupe/shared';

/** The slice of sharp's API these tests read PNGs with (sharp's types live with the server). */
type Sharp = (
  input: Uint8Array,
  options?: { raw: { width: number; height: number; channels: 4 } },
) => {
  ensureAlpha(): {
    raw(): {
      toBuffer(options: { resolveWithObject: true }): Promise<{
        data: Uint8Array;
        info: { width: number; height: number };
      }>;
    };
  };
  jpeg(options: { quality: number }): { toBuffer(): Promise<Uint8Array> };
};

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../server');
// sharp is the server's dependency: resolve it from there instead of adding it to the web app.
const sharp = createRequire(join(serverDir, 'package.json'))('sharp') as Sharp;

/** Decodes a PNG (or any image sharp reads) to straight RGBA. */
export async function decodeImage(image: Blob | Uint8Array): Promise<RgbaImage> {
  const bytes = image instanceof Blob ? new Uint8Array(await image.arrayBuffer()) : image;
  const { data, info } = await sharp(bytes)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** A JPEG of `image`, as a camera would hand one over: what the app may send as it is. */
export async function jpegOf(image: RgbaImage): Promise<Uint8Array<ArrayBuffer>> {
  const raw = { width: image.width, height: image.height, channels: 4 as const };
  return Uint8Array.from(await sharp(image.data, { raw }).jpeg({ quality: 90 }).toBuffer());
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as { port: number };
  s.close();
  await once(s, 'close');
  return port;
}

export interface RealServer {
  readonly url: string;
  /** A counter from the server's own GET /metrics, summed over its labels. */
  metric(name: string): Promise<number>;
  stop(): Promise<void>;
}

/** The server as `pnpm start` runs it (its esbuild bundle, built here), on a free port, CPU EP. */
export async function startServer(): Promise<RealServer> {
  execFileSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'pipe' });
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: serverDir,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOUPE_EP: 'cpu',
      LOUPE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log}`);
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async metric(name) {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text
        .split('\n')
        .filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
        .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
