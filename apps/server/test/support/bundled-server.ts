import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './server';

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface BundledServer {
  base: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  log(): string;
  exited: Promise<number | null>;
}

/**
 * `pnpm start` as users run it: the esbuild bundle (built here) in its own process, so
 * signals and exit codes are the real ones. Resolves once /ready answers 200.
 */
export async function startBundledServer(env: Record<string, string>): Promise<BundledServer> {
  execFileSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'pipe' });
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: serverDir,
    env: { ...process.env, PORT: String(port), LOUPE_EP: 'cpu', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (c) => (log += c));
  child.stderr!.on('data', (c) => (log += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}`;
  let ready = false;
  await waitFor(
    () => {
      void fetch(`${base}/ready`).then(
        (r) => (ready = r.status === 200),
        () => {},
      );
      return ready;
    },
    60_000,
    'the bundled server to be ready',
  );
  return { base, child, log: () => log, exited };
}
