import type { EditMetadata, Step } from '@loupe/shared';
import { describe, expect, it } from 'vitest';
import { feather } from './feather';
import { maskOf, type MaskDocument } from './mask-document';
import { createMaskBrush } from './mask-brush';
import { maskSlot } from './mask-slot';
import { stepBrushRadius } from './brush-size';
import { paintStroke } from './strokes';

const size = { width: 8, height: 6 };
const at = (data: Uint8Array, x: number, y: number) => data[y * size.width + x];
const selected = (data: Uint8Array) => data.filter((v) => v > 0).length;

describe('paintStroke', () => {
  it('stamps a dot: the pixels whose centres lie within the radius', () => {
    const coverage = new Uint8Array(48);
    paintStroke(coverage, size, { tool: 'brush', radius: 1, points: [{ x: 4, y: 3 }] });
    // Centres (3.5, 2.5), (4.5, 2.5), (3.5, 3.5), (4.5, 3.5) are 0.71 px away; the next ones 1.58.
    expect([...coverage.keys()].filter((i) => coverage[i])).toEqual([19, 20, 27, 28]);
  });

  it('joins the points of a stroke into one band, and the eraser takes it away', () => {
    const coverage = new Uint8Array(48);
    const points = [
      { x: 1, y: 3 },
      { x: 7, y: 3 },
    ];
    paintStroke(coverage, size, { tool: 'brush', radius: 1, points });
    for (let x = 1; x < 7; x++)
      expect([at(coverage, x, 2), at(coverage, x, 3)]).toEqual([255, 255]);
    expect(at(coverage, 4, 1)).toBe(0);
    paintStroke(coverage, size, { tool: 'eraser', radius: 1, points: [{ x: 4, y: 3 }] });
    expect([at(coverage, 3, 2), at(coverage, 4, 3), at(coverage, 2, 3)]).toEqual([0, 0, 255]);
  });

  it("scales a pen's radius by its pressure", () => {
    const full = new Uint8Array(48);
    const light = new Uint8Array(48);
    paintStroke(full, size, { tool: 'brush', radius: 2, points: [{ x: 4, y: 3 }] });
    paintStroke(light, size, { tool: 'brush', radius: 2, points: [{ x: 4, y: 3, pressure: 0.5 }] });
    expect(selected(light)).toBe(4);
    expect(selected(full)).toBe(12);
  });
});

describe('feather', () => {
  it('softens by exactly its radius past the edge, and nothing farther', () => {
    const line = { width: 11, height: 1 };
    const data = new Uint8Array(11);
    data[5] = 255;
    const soft = feather(data, line, 2);
    // Two box passes of radius 1 (255 / 3 = 85, then a tent); one row, so the columns add nothing.
    expect([...soft]).toEqual([0, 0, 0, 28, 57, 85, 57, 28, 0, 0, 0]);
    expect(soft.findIndex((v) => v > 0)).toBe(3);
    expect([...feather(data, line, 0)]).toEqual([...data]);
  });
});

describe('maskOf', () => {
  it('applies the strokes over the base, then feather, then invert', () => {
    const doc: MaskDocument = {
      size,
      strokes: [{ tool: 'brush', radius: 1, points: [{ x: 4, y: 3 }] }],
      feather: 0,
      invert: true,
    };
    const mask = maskOf(doc);
    expect(mask).toMatchObject(size);
    expect(selected(mask.data)).toBe(44);
    expect(at(mask.data, 4, 3)).toBe(0);
  });
});

describe('the mask brush', () => {
  it('paints, undoes and redoes strokes on its own stack, and clears', () => {
    const brush = createMaskBrush();
    const s = () => brush.getState();
    s().follow('a', size);
    s().setRadius(1);
    s().begin({ x: 2, y: 2 });
    s().extend({ x: 5, y: 2 });
    expect(s().paintingCoverage()).not.toBeNull();
    s().end();
    const painted = selected(s().mask!.data);
    expect(painted).toBeGreaterThan(4);
    s().begin({ x: 6, y: 5 });
    s().end();
    expect(selected(s().mask!.data)).toBeGreaterThan(painted);
    expect(s().undoStroke()).toBe(true);
    expect(selected(s().mask!.data)).toBe(painted);
    expect(s().redoStroke()).toBe(true);
    expect(s().doc!.strokes).toHaveLength(2);
    s().clear();
    expect(selected(s().mask!.data)).toBe(0);
    expect(s().undoStroke()).toBe(false);
  });

  it('starts afresh on another picture and gives a restored mask its strokes back', () => {
    const brush = createMaskBrush();
    const s = () => brush.getState();
    s().follow('a', size);
    s().begin({ x: 2, y: 2 });
    s().end();
    const ran = s().mask!;
    s().follow('b', size);
    expect(selected(s().mask!.data)).toBe(0);
    s().follow('a again', size, ran);
    expect(s().mask).toBe(ran);
    expect(s().doc!.strokes).toHaveLength(1);
    // A mask of another size (the picture was resized since) is not restored onto it.
    s().follow('c', { width: 4, height: 4 }, ran);
    expect(selected(s().mask!.data)).toBe(0);
  });

  it('drops a stroke a second finger turned into a pinch', () => {
    const brush = createMaskBrush();
    brush.getState().follow('a', size);
    brush.getState().begin({ x: 2, y: 2 });
    brush.getState().abandon();
    brush.getState().end();
    expect(brush.getState().doc!.strokes).toHaveLength(0);
  });

  it('sizes the brush in steps of about a fifth, within its limits', () => {
    expect(stepBrushRadius(12, 1)).toBe(14);
    expect(stepBrushRadius(12, -1)).toBe(10);
    expect(stepBrushRadius(1, -1)).toBe(1);
    expect(stepBrushRadius(256, 1)).toBe(256);
  });
});

describe('maskSlot', () => {
  const image = { width: 8, height: 6, data: new Uint8Array(192) };
  const source = { image, name: 'a.png', bytes: 1, format: 'PNG' };
  const mask = { width: 8, height: 6, data: new Uint8Array(48).fill(255) };
  const entry = (id: number, op: 'erase' | 'invert', withMask?: boolean) => ({
    id,
    step: { op, params: {} } as Step,
    image,
    size: { width: 8, height: 6 },
    metadata: {} as EditMetadata,
    ...(withMask ? { mask } : {}),
  });
  const doc = { source, history: [entry(1, 'erase', true), entry(2, 'invert')], editingStep: null };

  it('paints on the shown picture, and an undo past a masked step gets its mask back', () => {
    const onSource = maskSlot({ ...doc, cursor: -1 });
    expect(onSource).toMatchObject({ size: image, restore: mask });
    const afterErase = maskSlot({ ...doc, cursor: 0 });
    expect(afterErase.key).not.toBe(onSource.key);
    expect(afterErase.restore).toBeUndefined();
    expect(maskSlot({ ...doc, cursor: 1 }).restore).toBeUndefined();
  });

  it('re-editing the masked step paints on the picture before it, from its mask', () => {
    expect(maskSlot({ ...doc, cursor: 1, editingStep: 0 })).toMatchObject({
      key: maskSlot({ ...doc, cursor: -1 }).key,
      restore: mask,
    });
  });
});
