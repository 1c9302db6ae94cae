import type { Command } from 'commander';
import { Option } from 'commander';
import { SERVER_EP_PREFERENCES, type ServerEpPreference } from '@loupe/shared';
import type { Engine } from '../engines/engine';
import { createLocalEngine } from '../engines/local-engine';
import { createRemoteEngine } from '../engines/remote-engine';
import { defaultModelsDir } from '../paths';

/** Flags every command that runs or lists something takes: where it runs. */
export interface EngineFlags {
  server?: string;
  token?: string;
  models?: string;
  diffusion?: string;
  ep: ServerEpPreference;
}

export function withEngineFlags(command: Command): Command {
  return command
    .option('--server <url>', 'run on this Loupe server (through its API) instead of in-process')
    .option('--token <token>', "the server's API token (default: $LOUPE_API_TOKEN)")
    .option(
      '--models <dir>',
      'in-process: the built models (default: $LOUPE_MODELS_DIR or public/models)',
    )
    .option(
      '--diffusion <dir>',
      'in-process: a folder of diffusion model folders (default: $LOUPE_DIFFUSION_DIR)',
    )
    .addOption(
      new Option('--ep <ep>', "in-process: execution provider, as the server's LOUPE_EP")
        .choices(SERVER_EP_PREFERENCES)
        .default('auto'),
    );
}

/** `--server` given: the server, through @loupe/client. Otherwise this machine, through runtime-node. */
export function openEngine(
  flags: EngineFlags,
  onWarning: (message: string) => void,
): Promise<Engine> {
  if (flags.server)
    return Promise.resolve(
      createRemoteEngine({
        server: flags.server,
        token: flags.token ?? process.env.LOUPE_API_TOKEN,
      }),
    );
  return createLocalEngine({
    modelsDir: flags.models ?? defaultModelsDir(),
    diffusionDir: flags.diffusion ?? (process.env.LOUPE_DIFFUSION_DIR || undefined),
    ep: flags.ep,
    onWarning,
  });
}
