/* global URL, setTimeout, fetch */
// Starts the built Loupe server (apps/server/dist/server.js) on a free loopback port for
// scripts that need the real API and the built app together.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../server/dist/server.js');

export async function startRealServer() {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address();
  probe.close();
  const proc = spawn(process.execPath, [entry], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOUPE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    const ok = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      const stop = async () => {
        proc.kill('SIGTERM');
        await once(proc, 'exit');
      };
      return { url, server: { stop } };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  proc.kill('SIGKILL');
  throw new Error('server not ready after 60 s');
}
