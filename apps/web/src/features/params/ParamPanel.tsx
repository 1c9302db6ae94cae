import { OPS, opPreview } from '@loupe/shared';
import { editorStore, useEditor } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { ResetIcon } from '../../ui/icons';
import { paramIssues } from './param-issues';
import { useLiveEdit } from './live-edit';
import { LivePreviewSwitch } from './LivePreviewSwitch';
import { unavailableOptions } from './model-availability';
import { ParamField } from './ParamField';
import { Presets } from './Presets';
import { isFieldVisible, paramFields } from './schema-fields';

/**
 * The selected op's parameters, generated from its schema (see schema-fields.ts). Every change
 * goes to the live preview as it happens and is committed once let go (both do nothing for an
 * op without a preview, or with the switch off). `installed`: the models this install built
 * (`useInstalledModels`); choices needing another are listed disabled, saying how to add it.
 */
export function ParamPanel({ installed }: { installed?: ReadonlySet<string> | undefined }) {
  const op = useEditor((s) => s.op);
  const params = useEditor((s) => s.params);
  const setParam = useEditor((s) => s.setParam);
  const resetParams = useEditor((s) => s.resetParams);
  const live = useLiveEdit();
  // Read at the moment of the commit: the change it follows has just been set.
  const commit = () => void live.commit(op, editorStore.getState().params);
  const fields = paramFields(op).filter((f) => isFieldVisible(f, params));
  const issues = paramIssues(op, params);
  return (
    <div className="space-y-4">
      <p className="text-xs leading-relaxed text-zinc-500 dark:text-zinc-400">
        {OPS[op].description}
      </p>
      {opPreview(op) ? <LivePreviewSwitch /> : null}
      {fields.length ? (
        fields.map((f) => (
          <ParamField
            key={`${op}.${f.key}`}
            field={f}
            value={params[f.key] ?? f.default}
            issue={issues[f.key]}
            unavailable={unavailableOptions(op, params, f, installed)}
            onChange={(v) => {
              setParam(f.key, v);
              live.preview(op, editorStore.getState().params);
            }}
            onCommit={commit}
          />
        ))
      ) : (
        <p className="text-xs text-zinc-400 italic">No settings: this operation is one click.</p>
      )}
      <div className="flex items-center gap-2 pt-1">
        <div className="min-w-0 flex-1">
          <Presets />
        </div>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            resetParams();
            commit();
          }}
          disabled={!fields.length}
        >
          <ResetIcon width={14} height={14} /> Reset
        </Button>
      </div>
    </div>
  );
}
