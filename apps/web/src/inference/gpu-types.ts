/**
 * The slice of WebGPU the worker reads. TypeScript's libs have no WebGPU yet and the worker
 * compiles without DOM, so we declare only what we touch instead of pulling @webgpu/types.
 */
export interface GpuAdapterLike {
  readonly features: { has(name: string): boolean };
  readonly limits: { readonly maxBufferSize: number; readonly maxStorageBufferBindingSize: number };
  readonly info?: {
    readonly vendor?: string;
    readonly architecture?: string;
    readonly device?: string;
    readonly description?: string;
    readonly isFallbackAdapter?: boolean;
  };
  /** Deprecated in favour of `info.isFallbackAdapter` (Chrome 136); older Chromium has only this. */
  readonly isFallbackAdapter?: boolean;
}

export interface GpuLike {
  requestAdapter(options?: {
    powerPreference?: 'low-power' | 'high-performance';
  }): Promise<GpuAdapterLike | null>;
}

/** `navigator` in a worker as Chromium ships it: `gpu` and `deviceMemory` are not in the lib. */
export interface NavigatorLike {
  readonly gpu?: GpuLike;
  readonly deviceMemory?: number;
  readonly hardwareConcurrency?: number;
}

/** A WebGPU buffer, as far as the byte-copy concatenation touches it. */
export interface GpuBufferLike {
  readonly size: number;
  readonly mapState: 'unmapped' | 'pending' | 'mapped';
  destroy(): void;
}

/** The slice of `GPUDevice` `gpuConcat` uses. */
export interface GpuDeviceLike {
  createBuffer(descriptor: { size: number; usage: number }): GpuBufferLike;
  createCommandEncoder(): {
    copyBufferToBuffer(
      source: GpuBufferLike,
      sourceOffset: number,
      destination: GpuBufferLike,
      destinationOffset: number,
      size: number,
    ): void;
    finish(): unknown;
  };
  readonly queue: { submit(commands: unknown[]): void };
}
