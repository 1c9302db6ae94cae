import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nvidiaSmiTarget,
  parseNvidiaSmiMemory,
  readDeviceMemory,
} from '../src/inference/device-memory';

const MIB = 1024 * 1024;

describe('parseNvidiaSmiMemory', () => {
  it('reads one GPU line of --format=csv,noheader,nounits (MiB) as bytes', () => {
    // H200 (141 GB) as nvidia-smi prints it: "total, used" and a newline.
    expect(parseNvidiaSmiMemory('143771, 1\n')).toEqual({
      totalBytes: 143771 * MIB,
      usedBytes: 1 * MIB,
    });
    expect(parseNvidiaSmiMemory('81559, 40960\r\n')).toEqual({
      totalBytes: 81559 * MIB,
      usedBytes: 40960 * MIB,
    });
  });

  it('gives null for anything that is not one GPU’s two numbers', () => {
    for (const text of [
      'No devices were found\n',
      '[N/A], [N/A]\n',
      '81559, 0\n81559, 0\n', // every GPU: -i was not applied
      '81559 MiB, 0 MiB\n', // units: asked without nounits
      '81559\n',
      '',
    ])
      expect(parseNvidiaSmiMemory(text)).toBeNull();
  });
});

describe('nvidiaSmiTarget', () => {
  it('names the child’s device, through CUDA_VISIBLE_DEVICES when it is set', () => {
    expect(nvidiaSmiTarget(0, {})).toBe('0');
    expect(nvidiaSmiTarget(1, {})).toBe('1');
    expect(nvidiaSmiTarget(1, { CUDA_VISIBLE_DEVICES: '2,3' })).toBe('3');
    expect(nvidiaSmiTarget(0, { CUDA_VISIBLE_DEVICES: ' GPU-8f2c, GPU-11aa ' })).toBe('GPU-8f2c');
    expect(nvidiaSmiTarget(2, { CUDA_VISIBLE_DEVICES: '2,3' })).toBeUndefined();
  });
});

describe('readDeviceMemory', () => {
  // No GPU here: a stand-in nvidia-smi on PATH answers per `-i` the way the real one does
  // (one line per GPU asked for; "No devices were found" and exit 6 for an unknown one).
  let bin: string;
  beforeAll(async () => {
    bin = await mkdtemp(join(tmpdir(), 'loupe-nvidia-smi-'));
    const script = join(bin, 'nvidia-smi');
    await writeFile(
      script,
      [
        '#!/bin/sh',
        'while [ $# -gt 0 ]; do [ "$1" = -i ] && target=$2; shift; done',
        'case "$target" in',
        '  0) echo "143771, 1" ;;',
        '  1) echo "143771, 70000" ;;',
        '  GPU-8f2c) echo "143771, 512" ;;',
        '  *) echo "No devices were found"; exit 6 ;;',
        'esac',
        '',
      ].join('\n'),
    );
    await chmod(script, 0o755);
  });
  afterAll(() => rm(bin, { recursive: true, force: true }));

  it('asks about the device the child uses, not GPU 0', async () => {
    const env = { PATH: `${bin}:${process.env.PATH}` };
    expect(await readDeviceMemory('cuda', 1, env)).toEqual({
      totalBytes: 143771 * MIB,
      usedBytes: 70000 * MIB,
    });
    expect(await readDeviceMemory('cuda', 0, { ...env, CUDA_VISIBLE_DEVICES: 'GPU-8f2c' })).toEqual(
      { totalBytes: 143771 * MIB, usedBytes: 512 * MIB },
    );
    expect(await readDeviceMemory('cuda', 1, { ...env, CUDA_VISIBLE_DEVICES: '5,7' })).toBeNull();
  });

  it('is null off CUDA, and when nvidia-smi is missing', async () => {
    const env = { PATH: `${bin}:${process.env.PATH}` };
    expect(await readDeviceMemory('webgpu', 0, env)).toBeNull();
    expect(await readDeviceMemory('cpu', 0, env)).toBeNull();
    expect(await readDeviceMemory('cuda', 3, { PATH: '/nonexistent' })).toBeNull();
  });
});
