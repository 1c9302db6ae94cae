import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MODELS } from '../models/model-specs';
import { MODEL_IDS } from '../models/model-ids';
import { OPS, opDefaults } from './catalog';
import { OP_IDS } from './op-ids';
import { forbiddenKeyIssues } from '../api/forbidden-keys';
import { describePipeline, parsePipeline, pipelineModels, pipelineSizes } from './pipeline';

describe('parsePipeline', () => {
  it('fills defaults from each op schema', () => {
    const r = parsePipeline([{ op: 'upscale', params: { scale: 4 } }, { op: 'invert' }]);
    expect(r).toEqual({
      ok: true,
      value: [
        { op: 'upscale', params: { model: 'slim', scale: 4 } },
        { op: 'invert', params: {} },
      ],
    });
  });

  it('reports field-level paths for bad params and unknown keys', () => {
    const r = parsePipeline([
      { op: 'adjust', params: { exposure: 9 } },
      { op: 'upscale', params: { scale: 5, colour: 1 } },
    ]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toContain('steps.0.params.exposure');
    expect(paths).toContain('steps.1.params.scale');
    expect(paths.some((p) => p.startsWith('steps.1.params'))).toBe(true);
    expect(r.issues.length).toBeGreaterThanOrEqual(3);
  });

  it('rejects unknown ops and empty pipelines', () => {
    expect(parsePipeline([{ op: 'melt' }]).ok).toBe(false);
    expect(parsePipeline([]).ok).toBe(false);
  });

  it('computes sizes and models through the chain', () => {
    const r = parsePipeline([
      { op: 'upscale', params: { model: 'medium', scale: 3 } },
      { op: 'enhance-illustration', params: { mode: 'upscale-2x', size: 's', style: 'rl' } },
      { op: 'blur' },
    ]);
    if (!r.ok) throw new Error('parse failed');
    expect(pipelineSizes(r.value, { width: 10, height: 7 })).toEqual([
      { width: 30, height: 21 },
      { width: 60, height: 42 },
      { width: 60, height: 42 },
    ]);
    expect(pipelineModels(r.value)).toEqual(['esrgan-medium-x3', 'anime4k-2x-s-rl', 'filter-blur']);
    expect(describePipeline(r.value)).toBe('upscale-medium-x3_enhance-illustration_blur');
  });
});

describe('catalog', () => {
  it('has an entry for every op id and every model it names exists', () => {
    expect(Object.keys(OPS).sort()).toEqual([...OP_IDS].sort());
    for (const id of OP_IDS) {
      // Generative ops have no default prompt or diffusion folder: give them the two they require.
      const required = OPS[id].category === 'generative' ? { model: 'sd', prompt: 'a fox' } : {};
      const defaults = OPS[id].params.parse(required);
      expect(OPS[id].params.parse({ ...opDefaults(id), ...required })).toEqual(defaults);
      for (const m of (OPS[id].models as (p: unknown) => string[])(defaults)) {
        expect(MODEL_IDS).toContain(m);
        expect(MODELS[m as keyof typeof MODELS].id).toBe(m);
      }
    }
  });

  it('carries UI metadata through JSON Schema for the generated parameter panel', () => {
    const schema = z.toJSONSchema(OPS.adjust.params, { io: 'input' }) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(schema.properties.exposure).toMatchObject({
      type: 'number',
      minimum: -3,
      maximum: 3,
      default: 0,
      title: 'Exposure',
      'x-unit': 'EV',
    });
    const up = z.toJSONSchema(OPS.upscale.params, { io: 'input' }) as {
      properties: Record<string, Record<string, unknown>>;
    };
    expect(up.properties.model).toMatchObject({
      enum: ['slim', 'medium', 'thick'],
      default: 'slim',
    });
  });
});

describe('hostile keys (issue #10 item 8)', () => {
  it('refuses __proto__, constructor and prototype by path, at any depth', () => {
    const raw = JSON.parse(
      '[{"op":"blur","params":{"__proto__":{"radius":40}}},{"op":"adjust","params":{"nested":{"constructor":1}}}]',
    ) as unknown;
    expect(parsePipeline(raw)).toEqual({
      ok: false,
      issues: [
        { path: 'steps.1.params.nested.constructor', message: 'forbidden key `constructor`' },
        { path: 'steps.0.params.__proto__', message: 'forbidden key `__proto__`' },
      ],
    });
    expect(forbiddenKeyIssues(JSON.parse('{"a":[{"b":{"prototype":0}}]}'))).toEqual([
      { path: 'a.0.b.prototype', message: 'forbidden key `prototype`' },
    ]);
    // Deep nesting is walked without recursion, so it cannot overflow the stack.
    const deep = JSON.parse('['.repeat(50_000) + '{"__proto__":1}' + ']'.repeat(50_000)) as unknown;
    expect(forbiddenKeyIssues(deep)).toHaveLength(1);
  });

  it('names each unknown key of a step or its params instead of dropping it', () => {
    expect(parsePipeline([{ op: 'blur', params: { radius: 2, sigma: 1, size: 3 } }])).toEqual({
      ok: false,
      issues: [
        { path: 'steps.0.params.sigma', message: 'unknown field' },
        { path: 'steps.0.params.size', message: 'unknown field' },
      ],
    });
    expect(parsePipeline([{ op: 'blur', with: 1 }])).toEqual({
      ok: false,
      issues: [{ path: 'steps.0.with', message: 'unknown field' }],
    });
  });
});
