import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_EP_PREFERENCES, UPLOAD_LIMIT_DEFAULTS as LIMITS } from '@loupe/shared';
import { z } from 'zod';

// src/config.ts and dist/server.js both sit two levels below the repo root.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const seconds = (fallback: number) => z.coerce.number().nonnegative().default(fallback);
const count = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
/** A limit /api/limits reports; its default is the one clients assume (`UPLOAD_LIMIT_DEFAULTS`). */
const limit = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/**
 * Every setting, from the environment, with its default. `pnpm start` with no env at all
 * serves the built web app and the API on 127.0.0.1:8787 with the models from public/models.
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  LOUPE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  /** Execution provider: auto tries CUDA, then a hardware WebGPU adapter, then CPU. */
  LOUPE_EP: z.enum(SERVER_EP_PREFERENCES).default('auto'),
  /** Inference child processes; one per device. Each runs one job at a time (ORT run() is synchronous). */
  LOUPE_WORKERS: z.coerce.number().int().min(1).max(16).default(1),
  /** Jobs waiting beyond the running ones; more are refused with 503 + Retry-After. */
  LOUPE_QUEUE_MAX: count(16),
  /** A running job past this is killed with its child (INFERENCE_TIMEOUT); the child restarts. */
  LOUPE_JOB_TIMEOUT_S: seconds(300),
  /** How long a cancelled running job may take to stop between tiles before its child is killed. */
  LOUPE_CANCEL_GRACE_S: seconds(10),
  /** Idle models are offloaded (session released, bytes kept in RAM) after this; 0 disables. */
  LOUPE_IDLE_OFFLOAD_S: seconds(300),
  /**
   * 1: each child offloads its models right after every job (device sessions dropped, bytes
   * kept in RAM), trading a reload per job for a device that is free between jobs.
   */
  LOUPE_OFFLOAD_AFTER_JOB: z
    .enum(['0', '1', 'true', 'false'], { error: 'LOUPE_OFFLOAD_AFTER_JOB must be 0 or 1' })
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  /** Declared pixels (from the header, before decoding) above which an upload is refused with 413. */
  LOUPE_MAX_INPUT_PIXELS: limit(LIMITS.maxInputPixels),
  /** Pixels any step may produce; larger results are refused with 422 before any work starts. */
  LOUPE_MAX_OUTPUT_PIXELS: limit(LIMITS.maxOutputPixels),
  /** WebP results above this are refused (422): libwebp needs ~30 bytes per pixel to encode. */
  LOUPE_MAX_WEBP_OUTPUT_PIXELS: limit(LIMITS.maxWebpOutputPixels),
  LOUPE_MAX_UPLOAD_BYTES: limit(LIMITS.maxUploadBytes),
  /** Finished job results are kept this long and within this many bytes (oldest dropped first). */
  LOUPE_RESULT_TTL_S: seconds(900),
  LOUPE_RESULT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024 * 1024),
  /** When set, /api/* and /metrics require `Authorization: Bearer <token>`. */
  LOUPE_API_TOKEN: z.string().default(''),
  /** HMAC-SHA256 key for job callbacks; callbacks are unsigned (and say so in the log) without it. */
  LOUPE_CALLBACK_SECRET: z.string().default(''),
  /** Hosts, IPs or CIDRs callbacks may reach even though they are private/loopback. */
  LOUPE_CALLBACK_ALLOW: list,
  LOUPE_CALLBACK_RETRIES: count(4),
  /** Host header values /mcp accepts besides this server's own address and localhost (DNS-rebinding protection). */
  LOUPE_MCP_ALLOWED_HOSTS: list,
  /** Origins (`https://images.example.com`) whose image URLs the /mcp tools may fetch; empty: none. */
  LOUPE_MCP_URL_ALLOW: list,
  /** Origins allowed by CORS; empty = same-origin only, `*` = any. */
  LOUPE_CORS_ORIGINS: list,
  LOUPE_RATE_LIMIT_MAX: z.coerce.number().int().positive().default(300),
  LOUPE_RATE_LIMIT_WINDOW_S: z.coerce.number().positive().default(60),
  /** Failed token checks a client may make per rate-limit window before every protected route answers 429. */
  LOUPE_AUTH_FAIL_MAX: z.coerce.number().int().positive().default(10),
  /** Time allowed to receive a whole request, headers and body (408 after it). */
  LOUPE_REQUEST_TIMEOUT_S: z.coerce.number().positive().default(120),
  /**
   * Graceful shutdown: how long jobs in flight at SIGTERM get to finish and have their results
   * collected before the rest are cancelled and the process exits.
   */
  LOUPE_DRAIN_TIMEOUT_S: seconds(30),
  LOUPE_MODELS_DIR: z.string().default(resolve(repoRoot, 'public', 'models')),
  /**
   * A folder whose subfolders are diffusion models in the ONNX diffusers layout (id = folder
   * name), read at start and on POST /api/models/rescan; unset: none. Optional: a missing or
   * broken one is reported in GET /api/models, and the server starts all the same.
   */
  LOUPE_DIFFUSION_DIR: z.string().default(''),
  LOUPE_WEB_DIR: z.string().default(resolve(repoRoot, 'apps', 'web', 'dist')),
  /** Decoded images up to this size cross IPC inline; larger ones go through a temp file. */
  LOUPE_IPC_INLINE_MAX_BYTES: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(8 * 1024 * 1024),
});

export type Config = z.output<typeof ConfigSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${issues}`);
  }
  return parsed.data;
}

/** The effective configuration for the start-up log, with secrets masked. */
export function describeConfig(config: Config): Record<string, unknown> {
  const secret = (v: string) => (v ? '(set)' : '(unset)');
  return {
    ...config,
    LOUPE_API_TOKEN: secret(config.LOUPE_API_TOKEN),
    LOUPE_CALLBACK_SECRET: secret(config.LOUPE_CALLBACK_SECRET),
  };
}
