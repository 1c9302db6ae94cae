import { OPS, type DiffusionModelInfo, type OpId } from '@loupe/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { diffusionFilesUrl } from '../../api/diffusion-files';
import { queries } from '../../api/queries';
import { editorStore, useDocument, useUi, currentSize } from '../../stores/editor-store';
import { ParamField } from '../params/ParamField';
import { paramIssues } from '../params/param-issues';
import { isFieldVisible, paramFields, type ParamField as Field } from '../params/schema-fields';
import { readyDiffusion } from '../run/use-run-context';
import { foldersFor } from './diffusion-choices';
import { InstructLine } from './InstructLine';
import { ModelPicker } from './ModelPicker';
import { NoModels } from './NoModels';
import { PromptField } from './PromptField';
import { SamplerField } from './SamplerField';
import { SeedField } from './SeedField';
import { SizeField } from './SizeField';
import { farFromNative, sizeForImage } from './size-presets';

/**
 * Fields this panel lays out itself; every other field of the op is generated as usual (`count`
 * among them: a run of several pictures shows them in the variations grid).
 */
const OWN_FIELDS = new Set([
  'model',
  'prompt',
  'negativePrompt',
  'seed',
  'width',
  'height',
  'scheduler',
]);

/** Whether `op` takes a prompt: this panel stands in for the generic parameter panel then. */
export const usesPromptPanel = (op: OpId): boolean => OPS[op].inputs.prompt !== undefined;

/** Picks the first folder that fits when none (or one that cannot run the op) is chosen. */
function chooseFolder(op: OpId, folder: DiffusionModelInfo) {
  const { setParam } = editorStore.ui.getState();
  setParam('model', folder.id);
  if (op === 'generate') {
    setParam('width', folder.nativeSize.width);
    setParam('height', folder.nativeSize.height);
  }
}

function useDefaultFolder(op: OpId, folders: readonly DiffusionModelInfo[]) {
  const model = useUi((s) => s.params.model);
  const sized = useUi((s) => s.params.width !== undefined && s.params.height !== undefined);
  const ids = folders.map((f) => f.id).join('\n');
  useEffect(() => {
    const chosen = folders.find((f) => f.id === model);
    if (!chosen && folders[0]) chooseFolder(op, folders[0]);
    else if (chosen && op === 'generate' && !sized) chooseFolder(op, chosen);
    // `ids` stands for `folders`, which is a new array on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [op, ids, model, sized]);
}

/** Image-led ops run at the picture's size: say when it is far from what the model knows. */
function ImageSizeNote({ folder }: { folder: DiffusionModelInfo }) {
  const size = useDocument(currentSize);
  if (!size) return null;
  const native = folder.nativeSize;
  const fit = sizeForImage(size, native);
  return (
    <p className="text-xs text-zinc-500">
      Runs at the picture’s size, {size.width} × {size.height}.
      {farFromNative(size, native)
        ? ` ${folder.id} was trained at ${native.width} × ${native.height}: resized to about ${fit.width} × ${fit.height} first, it makes pictures closer to its best.`
        : ''}
    </p>
  );
}

/**
 * The prompt panel of generate, img2img, instruct and inpaint: model, prompt and negative
 * prompt with their token counts, seed, size, and the rest of the op's schema as generated
 * controls. With no folder that can run the op it says what to configure instead.
 */
export function PromptPanel() {
  const op = useUi((s) => s.op);
  const params = useUi((s) => s.params);
  const setParam = useUi((s) => s.setParam);
  const running = useUi((s) => s.run.kind === 'running');
  const ready = useQuery(queries.ready());
  const models = useQuery({ ...queries.serverModels(), enabled: ready.isSuccess });
  const folders = foldersFor(op, readyDiffusion(models.data));
  useDefaultFolder(op, folders);
  const folder = folders.find((f) => f.id === params.model);
  const fields = paramFields(op);
  const field = (key: string) => fields.find((f) => f.key === key);

  if (ready.isError || (ready.isSuccess && models.isError))
    return (
      <p
        role="alert"
        className="rounded-lg bg-amber-500/10 px-3 py-2 text-xs text-amber-700 dark:text-amber-300"
      >
        {OPS[op].title} runs on the Loupe server’s diffusion models, and the server can’t be
        reached.
      </p>
    );
  if (!models.data)
    return <p className="text-xs text-zinc-500">Reading the server’s diffusion models…</p>;
  if (!folders.length) return <NoModels op={op} catalog={models.data.diffusion} />;

  const filesUrl = diffusionFilesUrl(params.model ? String(params.model) : '');
  const issues = paramIssues(op, params);
  const generated = fields.filter((f) => !OWN_FIELDS.has(f.key) && isFieldVisible(f, params));
  const control = (f: Field) => (
    <ParamField
      key={`${op}.${f.key}`}
      field={f}
      value={params[f.key] ?? f.default}
      issue={issues[f.key]}
      onChange={(v) => setParam(f.key, v)}
    />
  );
  const prompt = field('prompt')!;
  const negative = field('negativePrompt')!;
  const settings = (
    <>
      <PromptField
        label={negative.label}
        description={negative.description}
        value={String(params.negativePrompt ?? '')}
        info={folder}
        filesUrl={filesUrl}
        onChange={(v) => setParam('negativePrompt', v)}
      />
      <SeedField description={field('seed')?.description} />
      {op === 'generate' && folder ? (
        <SizeField native={folder.nativeSize} fields={[field('width')!, field('height')!]} />
      ) : folder ? (
        <ImageSizeNote folder={folder} />
      ) : null}
      <SamplerField folder={folder} description={field('scheduler')?.description} />
      {generated.map(control)}
    </>
  );
  return (
    <div className="space-y-4">
      <p className="text-xs leading-relaxed text-zinc-500 dark:text-zinc-400">
        {OPS[op].description}
      </p>
      <ModelPicker
        folders={folders}
        chosen={folder?.id}
        disabled={running}
        onChoose={(id) =>
          chooseFolder(
            op,
            folders.find((f) => f.id === id)!,
          )
        }
      />
      {op === 'instruct' ? (
        <>
          <InstructLine folder={folder} filesUrl={filesUrl} />
          <details className="group">
            <summary className="cursor-pointer text-xs font-medium text-zinc-600 dark:text-zinc-400">
              More settings
            </summary>
            <div className="mt-3 space-y-4">{settings}</div>
          </details>
        </>
      ) : (
        <>
          <PromptField
            label={prompt.label}
            description={prompt.description}
            value={String(params.prompt ?? '')}
            placeholder={op === 'generate' ? 'a lighthouse at dusk, oil painting' : 'what to paint'}
            info={folder}
            filesUrl={filesUrl}
            onChange={(v) => setParam('prompt', v)}
          />
          {settings}
        </>
      )}
    </div>
  );
}
