import { Command } from 'commander';
import { createLoupeClient } from '@loupe/client';
import { readManifest } from '@loupe/runtime-node/model-files';
import { FileHashCache, scanDiffusionDirectory } from '@loupe/runtime-node/diffusion';
import {
  builtInRows,
  diffusionRows,
  localOpRows,
  serverOpRows,
  type ModelRow,
  type OpRow,
} from '../engines/catalog-rows';
import { defaultModelsDir } from '../paths';

interface ListFlags {
  server?: string;
  token?: string;
  models?: string;
  diffusion?: string;
  json?: boolean;
}

const clientOf = (flags: ListFlags & { server: string }) =>
  createLoupeClient({ baseUrl: flags.server, token: flags.token ?? process.env.LOUPE_API_TOKEN });

const paramsText = (params: OpRow['params']) =>
  Object.entries(params)
    .map(([k, v]) => (v === null ? k : `${k}=${JSON.stringify(v)}`))
    .join(' ');

const opText = (op: OpRow) =>
  `${op.id.padEnd(22)}${op.category.padEnd(12)}${op.description}\n${' '.repeat(34)}${paramsText(op.params)}`;

const mb = (bytes: number | null) => (bytes === null ? '' : `${(bytes / 1e6).toFixed(1)} MB`);
const modelText = (m: ModelRow) =>
  `${m.id.padEnd(28)}${m.kind.padEnd(10)}${m.license.padEnd(16)}${mb(m.bytes).padStart(10)}${m.problem ? `  unusable: ${m.problem}` : ''}`;

async function opRows(flags: ListFlags): Promise<OpRow[]> {
  if (flags.server)
    return serverOpRows((await clientOf({ ...flags, server: flags.server }).ops()).ops);
  return localOpRows();
}

/** In-process: the manifest and a scan of the diffusion folder, read from disk (no sessions). */
async function modelRowsOf(flags: ListFlags): Promise<ModelRow[]> {
  if (flags.server) {
    const { models, diffusion } = await clientOf({ ...flags, server: flags.server }).models();
    return [...builtInRows(models), ...diffusionRows(diffusion)];
  }
  const manifest = await readManifest(flags.models ?? defaultModelsDir());
  const dir = flags.diffusion ?? process.env.LOUPE_DIFFUSION_DIR;
  const diffusion = dir
    ? await scanDiffusionDirectory(dir, new FileHashCache())
    : { configured: false, scannedAt: null, models: [] };
  return [...builtInRows(manifest.models), ...diffusionRows(diffusion)];
}

function listing<Row>(
  name: string,
  description: string,
  rows: (flags: ListFlags) => Promise<Row[]>,
  text: (row: Row) => string,
): Command {
  return new Command(name)
    .description(description)
    .option('--server <url>', 'list what this Loupe server runs (default: this machine)')
    .option('--token <token>', "the server's API token (default: $LOUPE_API_TOKEN)")
    .option(
      '--models <dir>',
      'in-process: the built models (default: $LOUPE_MODELS_DIR or public/models)',
    )
    .option('--diffusion <dir>', 'in-process: a folder of diffusion model folders')
    .option('--json', 'print JSON on stdout')
    .action(async (flags: ListFlags) => {
      const list = await rows(flags);
      process.stdout.write(
        flags.json ? `${JSON.stringify(list)}\n` : `${list.map(text).join('\n')}\n`,
      );
    });
}

export const opsCommand = () =>
  listing('ops', 'list the operations and their params (defaults after =)', opRows, opText);

export const modelsCommand = () =>
  listing('models', 'list the built models and the diffusion folders', modelRowsOf, modelText);
