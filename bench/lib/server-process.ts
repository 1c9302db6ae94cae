// The real Loupe server (apps/server/dist/server.js) as a child of the bench, on 127.0.0.1 and a
// free port, with the process-tree RSS sampler the memory benchmark needs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './machine';

export const SERVER_ENTRY = path.join(REPO_ROOT, 'apps/server/dist/server.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** `pnpm --filter @loupe/server build` when dist/ is missing or older than the sources. */
export function ensureServerBuilt(): { built: boolean; error?: string } {
  const srcDir = path.join(REPO_ROOT, 'apps/server/src');
  if (!existsSync(srcDir)) return { built: false, error: 'apps/server/src does not exist' };
  const r = spawnSync('pnpm', ['--filter', '@loupe/server', 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0 || !existsSync(SERVER_ENTRY)) {
    return { built: false, error: (r.stderr || r.stdout || 'build failed').slice(-500) };
  }
  return { built: true };
}

/**
 * Builds the server for a benchmark; a failed build is reported, not fatal, when an older dist
 * exists: the note says which server was measured.
 */
export function serverBuildNotes(): string[] {
  const build = ensureServerBuilt();
  return build.built
    ? []
    : [`\`pnpm --filter @loupe/server build\` failed, used the existing dist: ${build.error}`];
}

export interface RunningServer {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last few kB of the server's stderr (warnings and errors at LOUPE_LOG_LEVEL=warn). */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOUPE_LOG_LEVEL: 'warn',
      LOUPE_EP: 'cpu',
      // The bench is the only client: no rate limit or queue refusals skewing latencies.
      LOUPE_RATE_LIMIT_MAX: '100000',
      LOUPE_QUEUE_MAX: '64',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    try {
      const r = await fetch(`${url}/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after 90 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid!,
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** VmRSS and VmHWM of one process in bytes; zeros when it has exited. */
export function procMemory(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kB = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kB('VmRSS'), hwm: kB('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** The pid and all its descendants (the server and its inference children). */
export function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

export interface RssPeak {
  /** Highest sum of RSS over the tree among the samples. */
  readonly sampledTreePeak: number;
  /** Sum of each process's own high-water mark (VmHWM): an upper bound on the tree's peak. */
  readonly hwmSum: number;
  readonly perProcessHwm: Record<number, number>;
}

/** Samples the tree's RSS every `everyMs` until `stop()`; VmHWM catches peaks between samples. */
export function sampleRss(root: number, everyMs = 50): { stop(): RssPeak } {
  let peak = 0;
  const hwm: Record<number, number> = {};
  const tick = () => {
    let sum = 0;
    for (const pid of processTree(root)) {
      const memory = procMemory(pid);
      sum += memory.rss;
      hwm[pid] = Math.max(hwm[pid] ?? 0, memory.hwm);
    }
    peak = Math.max(peak, sum);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  return {
    stop() {
      tick();
      clearInterval(timer);
      return {
        sampledTreePeak: peak,
        hwmSum: Object.values(hwm).reduce((a, b) => a + b, 0),
        perProcessHwm: hwm,
      };
    },
  };
}

/** POST /api/edit as multipart, as a client would; resolves with the response bytes. `fields` adds form fields (e.g. compression). */
export async function postEdit(
  url: string,
  image: Uint8Array,
  mime: string,
  op: string,
  params: object,
  format: 'png' | 'jpeg' | 'webp' = 'png',
  fields: Record<string, string> = {},
): Promise<{ status: number; bytes: number; body: Uint8Array; metadata?: string }> {
  const form = new FormData();
  form.set(
    'image',
    new Blob([new Uint8Array(image)], { type: mime }),
    mime === 'image/png' ? 'input.png' : 'input.jpg',
  );
  form.set('op', op);
  form.set('params', JSON.stringify(params));
  form.set('format', format);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const r = await fetch(`${url}/api/edit`, { method: 'POST', body: form });
  const body = new Uint8Array(await r.arrayBuffer());
  if (!r.ok)
    throw new Error(`POST /api/edit ${r.status}: ${new TextDecoder().decode(body).slice(0, 300)}`);
  const metadata = r.headers.get('x-loupe-metadata') ?? undefined;
  return { status: r.status, bytes: body.length, body, ...(metadata ? { metadata } : {}) };
}
