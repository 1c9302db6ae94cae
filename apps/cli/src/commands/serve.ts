import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { LoupeError } from '@loupe/shared';
import { positiveInt } from '../args/numbers';
import { SERVER_ENTRY } from '../paths';

interface ServeFlags {
  port?: number;
  host?: string;
  models?: string;
  diffusion?: string;
}

/**
 * `loupe serve`: the server's own `pnpm start` entry (apps/server/dist/server.js) in a child
 * process, with its configuration from the environment as always; the flags only set the
 * variables they name. Signals pass through, so Ctrl-C drains the server as it does there.
 */
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'start the Loupe server (web app + API); configured by LOUPE_* variables as `pnpm start`',
    )
    .option('--port <n>', 'sets PORT (default 8787)', positiveInt('--port'))
    .option('--host <host>', 'sets HOST (default 127.0.0.1)')
    .option('--models <dir>', 'sets LOUPE_MODELS_DIR')
    .option('--diffusion <dir>', 'sets LOUPE_DIFFUSION_DIR')
    .action(async (flags: ServeFlags) => {
      if (!existsSync(SERVER_ENTRY))
        throw new LoupeError(
          'NOT_READY',
          `The server is not built (${SERVER_ENTRY} is missing): run \`pnpm build\` first`,
        );
      const env = { ...process.env };
      if (flags.port !== undefined) env.PORT = String(flags.port);
      if (flags.host !== undefined) env.HOST = flags.host;
      if (flags.models !== undefined) env.LOUPE_MODELS_DIR = flags.models;
      if (flags.diffusion !== undefined) env.LOUPE_DIFFUSION_DIR = flags.diffusion;
      const child = spawn(process.execPath, [SERVER_ENTRY], { env, stdio: 'inherit' });
      const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
      process.on('SIGINT', forward('SIGINT'));
      process.on('SIGTERM', forward('SIGTERM'));
      process.exitCode = await new Promise<number>((resolve) =>
        child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
      );
    });
}
