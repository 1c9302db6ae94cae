import { OUTPUT_FORMATS, type OutputFormat } from '@loupe/shared';
import { useState } from 'react';
import { appliedSteps, useEditor } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { DownloadIcon } from '../../ui/icons';
import { Segmented } from '../../ui/Segmented';
import { downloadCurrent, downloadSettings } from './download-current';
import { downloadName, FORMAT_INFO } from './encode';

export function DownloadPanel() {
  const [format, setFormat] = useState<OutputFormat>(downloadSettings.format);
  const [quality, setQuality] = useState(downloadSettings.quality);
  const name = useEditor((s) =>
    s.source ? downloadName(s.source.name, appliedSteps(s), format) : null,
  );
  const running = useEditor((s) => s.run.kind === 'running');
  const [busy, setBusy] = useState(false);
  downloadSettings.format = format;
  downloadSettings.quality = quality;
  return (
    <div className="space-y-3">
      <Segmented
        label="Format"
        name="format"
        options={OUTPUT_FORMATS.map((f) => ({ value: f, label: FORMAT_INFO[f].label }))}
        value={format}
        onChange={setFormat}
      />
      {FORMAT_INFO[format].lossy ? (
        <div>
          <div className="mb-1.5 flex justify-between text-[13px]">
            <label
              htmlFor="download-quality"
              className="font-medium text-zinc-700 dark:text-zinc-300"
            >
              Quality
            </label>
            <span className="font-mono text-xs text-zinc-500">{quality}</span>
          </div>
          <input
            id="download-quality"
            type="range"
            className="range"
            min={1}
            max={100}
            step={1}
            value={quality}
            onChange={(e) => setQuality(Number(e.currentTarget.value))}
          />
        </div>
      ) : null}
      <p className="truncate font-mono text-[11px] text-zinc-500" title={name ?? ''}>
        {name ?? 'Nothing to download yet'}
        {!FORMAT_INFO[format].alpha ? <span className="font-sans"> · no transparency</span> : null}
      </p>
      <Button
        variant="secondary"
        className="w-full"
        aria-keyshortcuts="Control+S"
        disabled={!name || running || busy}
        onClick={() => {
          setBusy(true);
          void downloadCurrent().finally(() => setBusy(false));
        }}
      >
        <DownloadIcon width={16} height={16} /> Download
      </Button>
    </div>
  );
}
