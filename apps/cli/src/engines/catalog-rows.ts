import {
  OPS,
  OP_IDS,
  opDefaults,
  type DiffusionCatalog,
  type OpCategory,
  type OpsResponse,
} from '@loupe/shared';

/** `loupe ops`: one op, its params with their defaults (null: none, the request must give it). */
export interface OpRow {
  id: string;
  category: OpCategory;
  title: string;
  description: string;
  params: Record<string, unknown>;
}

/** `loupe models`: a built-in model or a diffusion folder. */
export interface ModelRow {
  id: string;
  kind: 'built-in' | 'diffusion';
  license: string;
  bytes: number | null;
  status: 'ready' | 'unusable';
  problem?: string;
}

/** The catalog this CLI was built with (in-process: what will run is exactly this). */
export function localOpRows(): OpRow[] {
  return OP_IDS.map((id) => {
    const op = OPS[id];
    const defaults = opDefaults(id) as Record<string, unknown>;
    const keys = Object.keys(op.params.shape);
    return {
      id,
      category: op.category,
      title: op.title,
      description: op.description,
      params: Object.fromEntries(keys.map((k) => [k, defaults[k] ?? null])),
    };
  });
}

/** A server's catalog, whose params come as JSON Schema. */
export function serverOpRows(ops: OpsResponse['ops']): OpRow[] {
  return ops.map((op) => {
    const properties = (op.params.properties ?? {}) as Record<string, { default?: unknown }>;
    return {
      id: op.id,
      category: op.category,
      title: op.title,
      description: op.description,
      params: Object.fromEntries(
        Object.entries(properties).map(([k, v]) => [k, v.default ?? null]),
      ),
    };
  });
}

/** Built-in models, from the manifest or a server's listing (which says why a file is unusable). */
export function builtInRows(
  models: readonly { id: string; license: string; bytes: number; problem?: string | undefined }[],
): ModelRow[] {
  return models.map((m) => ({
    id: m.id,
    kind: 'built-in',
    license: m.license,
    bytes: m.bytes,
    status: m.problem ? 'unusable' : 'ready',
    ...(m.problem ? { problem: m.problem } : {}),
  }));
}

export function diffusionRows(catalog: DiffusionCatalog): ModelRow[] {
  return catalog.models.map((m) =>
    m.status === 'ready'
      ? { id: m.id, kind: 'diffusion', license: m.license.name, bytes: m.bytes, status: 'ready' }
      : {
          id: m.id,
          kind: 'diffusion',
          license: 'unknown',
          bytes: null,
          status: 'unusable',
          problem: m.problem,
        },
  );
}
