import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { editorStore } from '../../stores/editor-store';
import { CropOverlay } from './CropOverlay';

const image = { width: 120, height: 80 };
const view = { zoom: 2, x: 10, y: 20 };
const params = () => editorStore.getState().params;

beforeEach(() => editorStore.getState().selectOp('crop'));
afterEach(cleanup);

describe('the crop overlay', () => {
  it('starts as the whole picture (the params’ defaults) and draws the box in view space', () => {
    render(<CropOverlay image={image} view={view} />);
    const area = screen.getByRole('group', { name: 'Crop area' });
    expect([area.style.left, area.style.top, area.style.width, area.style.height]).toEqual([
      '10px',
      '20px',
      '240px',
      '160px',
    ]);
    expect(params()).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });

  it('writes the params from a handle’s arrow keys (Shift: 10 px) and the box follows', () => {
    render(<CropOverlay image={image} view={view} />);
    fireEvent.keyDown(screen.getByRole('button', { name: 'Crop top-left corner' }), {
      key: 'ArrowRight',
      shiftKey: true,
    });
    expect(params()).toEqual({ x: 10, y: 0, width: 110, height: 80 });
    fireEvent.keyDown(screen.getByRole('button', { name: 'Crop bottom edge' }), { key: 'ArrowUp' });
    expect(params()).toEqual({ x: 10, y: 0, width: 110, height: 79 });
    // The box itself moves as a whole, inside the picture.
    fireEvent.keyDown(screen.getByRole('group', { name: 'Crop area' }), { key: 'ArrowDown' });
    expect(params()).toEqual({ x: 10, y: 1, width: 110, height: 79 });
    expect(screen.getByRole('group', { name: 'Crop area' }).style.left).toBe('30px');
  });

  it('fits the box to a chosen ratio and keeps it while a corner is dragged by keys', () => {
    render(<CropOverlay image={image} view={view} />);
    const ratios = screen.getByRole('radiogroup', { name: 'Crop aspect' });
    fireEvent.click(within(ratios).getByRole('radio', { name: '1:1' }));
    expect(params()).toEqual({ x: 20, y: 0, width: 80, height: 80 });
    fireEvent.keyDown(screen.getByRole('button', { name: 'Crop top-right corner' }), {
      key: 'ArrowLeft',
      shiftKey: true,
    });
    expect(params()).toEqual({ x: 20, y: 10, width: 70, height: 70 });
    expect(within(ratios).getByRole('radio', { name: '1:1' }).getAttribute('aria-checked')).toBe(
      'true',
    );
  });

  it('pulls params made for a bigger picture back inside this one', () => {
    editorStore.getState().setParams({ x: 100, y: 60, width: 50, height: 50 });
    render(<CropOverlay image={image} view={view} />);
    expect(params()).toEqual({ x: 100, y: 60, width: 20, height: 20 });
  });
});
