import { OPS, type DiffusionCatalog, type OpId } from '@loupe/shared';
import { useState } from 'react';

/** docs/diffusion-models.md, bundled as text and loaded when asked for: the guide offline too. */
function Guide() {
  const [text, setText] = useState<string | null>(null);
  return (
    <details
      className="rounded-lg bg-zinc-100 text-xs dark:bg-zinc-900"
      onToggle={(e) => {
        if (e.currentTarget.open && text === null)
          void import('../../../../../docs/diffusion-models.md?raw').then((m) =>
            setText(m.default),
          );
      }}
    >
      <summary className="cursor-pointer px-3 py-2 font-medium text-accent-600 dark:text-accent-400">
        How to add a model (docs/diffusion-models.md)
      </summary>
      <pre className="max-h-80 overflow-auto px-3 pb-3 font-mono text-[11px] leading-relaxed whitespace-pre-wrap text-zinc-600 dark:text-zinc-300">
        {text ?? 'Loading…'}
      </pre>
    </details>
  );
}

/**
 * What to do when no configured folder can run the selected op, said plainly (nothing to
 * configure from here, so no controls that could only fail): the server variable, the guide,
 * and the unusable folders' reasons.
 */
export function NoModels({ op, catalog }: { op: OpId; catalog: DiffusionCatalog | undefined }) {
  const title = OPS[op].title;
  const unusable = catalog?.models.flatMap((m) => (m.status === 'unusable' ? [m] : [])) ?? [];
  const ready = (catalog?.models.length ?? 0) - unusable.length;
  let heading = 'No diffusion model is configured';
  let body = (
    <>
      {title} runs a Stable Diffusion pipeline you supply; Loupe ships none. Set{' '}
      <code className="font-mono">LOUPE_DIFFUSION_DIR</code> on the server to a folder with one ONNX
      diffusers pipeline per subfolder, then restart it (or{' '}
      <code className="font-mono">POST /api/models/rescan</code>).
    </>
  );
  if (catalog?.configured && catalog.problem) {
    heading = 'The diffusion folder cannot be read';
    body = <>{catalog.problem}</>;
  } else if (catalog?.configured && ready > 0) {
    heading = `No configured model can run ${title}`;
    body = (
      <>
        {ready === 1 ? 'The one ready folder' : `None of the ${ready} ready folders`} in{' '}
        <code className="font-mono">LOUPE_DIFFUSION_DIR</code> has what {title} needs; the guide
        says which kinds fit.
      </>
    );
  } else if (catalog?.configured) {
    heading = 'No usable diffusion model in LOUPE_DIFFUSION_DIR';
    body = <>The folder is set, but none of its subfolders is a pipeline Loupe can run.</>;
  }
  return (
    <div role="region" aria-label="No diffusion model" className="space-y-3">
      <div className="rounded-lg bg-amber-500/10 px-3 py-2.5 text-xs leading-relaxed text-amber-800 dark:text-amber-200">
        <p className="mb-1 text-[13px] font-semibold">{heading}</p>
        <p>{body}</p>
      </div>
      {unusable.length ? (
        <ul aria-label="Unusable folders" className="space-y-1 text-[11px] text-zinc-500">
          {unusable.map((m) => (
            <li key={m.id}>
              <span className="font-mono">{m.id}</span>: {m.problem}
            </li>
          ))}
        </ul>
      ) : null}
      <Guide />
      <p className="text-[11px] text-zinc-500">
        Erase object needs no model: it works on the embedded default.
      </p>
    </div>
  );
}
