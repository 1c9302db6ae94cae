import { useQuery } from '@tanstack/react-query';
import { queries } from '../../api/queries';
import { editorStore } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { readyDiffusion } from '../run/use-run-context';
import { generateStore } from './generate-store';
import { offerStore, restoreInto, useParametersOffer } from './parameters-offer';

const EXCERPT_CHARS = 80;

/**
 * "flower.png carries the parameters it was made with", with Restore and Dismiss: offered after
 * the picture opened as usual, never in its way.
 */
export function ParametersOfferNotice() {
  const offer = useParametersOffer();
  const models = useQuery({ ...queries.serverModels(), enabled: offer !== null });
  if (!offer) return null;
  const { params, settings } = offer.parsed;
  const excerpt =
    params.prompt.length > EXCERPT_CHARS
      ? `${params.prompt.slice(0, EXCERPT_CHARS)}…`
      : params.prompt;
  const restore = () => {
    const s = editorStore.getState();
    const restored = restoreInto(offer.parsed, s.op, s.params, readyDiffusion(models.data));
    s.selectOp(restored.op);
    editorStore.ui.getState().setParams(restored.params);
    // The seed it was made with is the point: keep it for the next Run.
    if (restored.params.seed !== undefined) generateStore.getState().setSeedLocked(true);
    offerStore.setState({ offer: null });
    s.notify({
      tone: 'success',
      title: 'Parameters restored',
      ...(restored.notes.length ? { detail: restored.notes.join('. ') } : {}),
    });
  };
  return (
    <section
      role="region"
      aria-label="Generation parameters"
      className="m-3 space-y-2 rounded-lg bg-accent-500/10 px-3 py-2.5 text-xs text-zinc-700 dark:text-zinc-200"
    >
      <p>
        <span className="font-semibold">{offer.name}</span> carries the parameters it was made with
        {excerpt ? `: “${excerpt}”` : ''}
        {settings.Seed ? ` · seed ${settings.Seed}` : ''}
        {settings.Steps ? ` · ${settings.Steps} steps` : ''}
        {settings.Model ? ` · ${settings.Model}` : ''}.
      </p>
      <div className="flex gap-2">
        <Button size="sm" variant="primary" onClick={restore}>
          Restore parameters
        </Button>
        <Button size="sm" variant="ghost" onClick={() => offerStore.setState({ offer: null })}>
          Dismiss
        </Button>
      </div>
    </section>
  );
}
