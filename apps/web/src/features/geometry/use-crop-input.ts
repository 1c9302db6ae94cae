import type { Size } from '@loupe/shared';
import { useEditor } from '../../stores/editor-store';

/**
 * The size of the picture the crop will apply to, or null when the handles should not show:
 * another op is selected, or the step being re-edited starts from a picture other than the
 * one on the stage (the handles would be drawn over the wrong pixels).
 */
export function useCropInput(display: Size | null): Size | null {
  const cropping = useEditor((s) => s.op === 'crop');
  const input = useEditor((s) => {
    if (s.editingStep === null) return s.cursor >= 0 ? s.history[s.cursor]?.image : s.source?.image;
    return s.editingStep > 0 ? s.history[s.editingStep - 1]?.image : s.source?.image;
  });
  if (!cropping || !display || !input) return null;
  if (input.width !== display.width || input.height !== display.height) return null;
  return display;
}
