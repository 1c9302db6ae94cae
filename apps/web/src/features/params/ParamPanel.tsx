import { OPS } from '@loupe/shared';
import { useEditor } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { ResetIcon } from '../../ui/icons';
import { paramIssues } from './param-issues';
import { ParamField } from './ParamField';
import { Presets } from './Presets';
import { isFieldVisible, paramFields } from './schema-fields';

/** The selected op's parameters, generated from its schema (see schema-fields.ts). */
export function ParamPanel() {
  const op = useEditor((s) => s.op);
  const params = useEditor((s) => s.params);
  const setParam = useEditor((s) => s.setParam);
  const resetParams = useEditor((s) => s.resetParams);
  const fields = paramFields(op).filter((f) => isFieldVisible(f, params));
  const issues = paramIssues(op, params);
  return (
    <div className="space-y-4">
      <p className="text-xs leading-relaxed text-zinc-500 dark:text-zinc-400">
        {OPS[op].description}
      </p>
      {fields.length ? (
        fields.map((f) => (
          <ParamField
            key={`${op}.${f.key}`}
            field={f}
            value={params[f.key] ?? f.default}
            issue={issues[f.key]}
            onChange={(v) => setParam(f.key, v)}
          />
        ))
      ) : (
        <p className="text-xs text-zinc-400 italic">No settings: this operation is one click.</p>
      )}
      <div className="flex items-center gap-2 pt-1">
        <div className="min-w-0 flex-1">
          <Presets />
        </div>
        <Button size="sm" variant="ghost" onClick={resetParams} disabled={!fields.length}>
          <ResetIcon width={14} height={14} /> Reset
        </Button>
      </div>
    </div>
  );
}
