import { isOpaque, type OutputFormat } from '@loupe/shared';
import { appliedSteps, currentImage, editorStore } from '../../stores/editor-store';
import { parametersText } from '../generate/parameters-text';
import { downloadName, encodeImage, FORMAT_INFO, saveBlob } from './encode';

export const downloadSettings = { format: 'png' as OutputFormat, quality: 90 };

/** Saves the shown picture; shared by the Download button and Ctrl+S. */
export async function downloadCurrent(): Promise<void> {
  const s = editorStore.getState();
  const image = currentImage(s);
  if (!s.source || !image) return;
  const { format, quality } = downloadSettings;
  // A picture a generative step made carries how it was made, as the SD tools write it.
  const shown = s.cursor >= 0 ? s.history[s.cursor] : undefined;
  const parameters = shown ? parametersText(shown.metadata) : null;
  const blob = await encodeImage(image, format, quality, parameters ? { parameters } : {});
  saveBlob(blob, downloadName(s.source.name, appliedSteps(s), format));
  if (!FORMAT_INFO[format].alpha && !isOpaque(image)) {
    s.notify({
      tone: 'info',
      title: 'Transparency flattened onto white',
      detail: 'JPEG has no alpha channel: choose PNG or WebP to keep it.',
    });
  }
}
