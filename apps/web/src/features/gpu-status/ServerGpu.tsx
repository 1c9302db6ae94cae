import type { ModelResidency, Residency } from '@loupe/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { queries } from '../../api/queries';
import { formatBytes } from '../../lib/format';
import { editorStore } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { Dl, Meter, Row, Tag } from './parts';

// 'device' means a live session on the server's EP: on a CPU-only server that is not a GPU.
const residencyLabel = (r: Residency, ep: string) =>
  r === 'device' && ep === 'cpu' ? 'Loaded (CPU)' : RESIDENCY[r].label;

const RESIDENCY: Record<Residency, { label: string; tone: 'ok' | 'accent' | undefined }> = {
  device: { label: 'On GPU', tone: 'ok' },
  ram: { label: 'In RAM', tone: 'accent' },
  unloaded: { label: 'Unloaded', tone: undefined },
};

/** A released model holds nothing, so it has no idle time: it says so instead of counting on. */
const idleLabel = (m: ModelResidency) =>
  m.residency === 'unloaded' && m.counters.releases > 0
    ? 'Released'
    : m.idleSeconds !== null
      ? `${Math.round(m.idleSeconds)} s`
      : '—';

/** The server's execution provider, memory, queue and model residency, refreshed every 1.5 s while shown. */
export function ServerGpu() {
  const status = useQuery(queries.gpuStatus(1_500));
  const models = useQuery(queries.serverModels());
  const client = useQueryClient();
  const action = useMutation({
    mutationFn: (kind: 'offload' | 'release') =>
      kind === 'offload' ? api.offload() : api.release(),
    onSuccess: (r) => {
      const skipped = r.skippedInUse.length ? `; ${r.skippedInUse.length} in use were skipped` : '';
      editorStore.getState().notify({
        tone: 'success',
        title: `${r.action === 'offload' ? 'Offloaded' : 'Released'} ${r.affected.length} model(s)${skipped}`,
      });
    },
    onError: (e) =>
      editorStore
        .getState()
        .notify({ tone: 'error', title: 'The server refused', detail: (e as Error).message }),
    onSettled: () => client.invalidateQueries({ queryKey: ['server', 'gpu-status'] }),
  });
  if (status.isError) {
    return (
      <p className="rounded-lg bg-amber-500/10 px-3 py-2 text-xs text-amber-700 dark:text-amber-300">
        Server unreachable: {status.error.message}
      </p>
    );
  }
  const s = status.data;
  if (!s) return <p className="text-xs text-zinc-400">Loading server status…</p>;
  const license = new Map(models.data?.models.map((m) => [m.id as string, m.license]) ?? []);
  const active = s.models.filter((m) => m.residency !== 'unloaded' || m.counters.loads > 0);
  return (
    <div className="space-y-4">
      <Dl>
        <Row label="Execution provider">
          <Tag tone="accent">{s.ep.toUpperCase()}</Tag>
        </Row>
        <Row label="Why">{s.epReason}</Row>
        <Row label="Device">{s.device.name}</Row>
        <Row label="Memory">
          {s.device.memory
            ? `${formatBytes(s.device.memory.usedBytes)} of ${formatBytes(s.device.memory.totalBytes)}`
            : 'not readable'}
        </Row>
        <Row label="Queue">
          <span data-testid="queue-depth">{s.queue.depth}</span> waiting · {s.queue.running}/
          {s.queue.concurrency} running · cap {s.queue.capacity}
        </Row>
        <Row label="Workers">
          {s.workers
            .map((w) => `#${w.index} ${w.state}${w.restarts ? ` (${w.restarts} restarts)` : ''}`)
            .join(', ') || '—'}
        </Row>
        <Row label="Idle offload">after {s.idleOffloadSeconds} s</Row>
      </Dl>
      {s.device.memory ? (
        <Meter
          label="Server GPU memory"
          used={s.device.memory.usedBytes}
          total={s.device.memory.totalBytes}
        />
      ) : null}
      <div>
        <h4 className="mb-2 text-xs font-semibold text-zinc-600 dark:text-zinc-300">
          Models on the server
        </h4>
        {active.length ? (
          <table aria-label="Server models" className="w-full text-xs">
            <thead className="text-left text-[10px] tracking-wide text-zinc-400 uppercase">
              <tr>
                <th className="pb-1 font-medium">Model</th>
                <th className="pb-1 font-medium">Where</th>
                <th className="pb-1 text-right font-medium">Idle</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {active.map((m) => (
                <tr key={m.id} data-residency={m.residency}>
                  <td className="py-1.5 pr-2">
                    <span className="font-mono">{m.id}</span>{' '}
                    {license.get(m.id) ? (
                      <Tag tone={license.get(m.id) === 'AGPL-3.0' ? 'warn' : undefined}>
                        {license.get(m.id)}
                      </Tag>
                    ) : null}
                    <span className="block text-[10px] text-zinc-400">
                      loads {m.counters.loads} · offloads {m.counters.offloads} · reloads{' '}
                      {m.counters.reloads} · releases {m.counters.releases}
                      {m.inUse ? ` · in use ${m.inUse}` : ''}
                    </span>
                    {m.parts ? (
                      <span className="block text-[10px] text-zinc-400" data-testid="model-parts">
                        {m.parts
                          .map(
                            (p) =>
                              `${p.part.replace('_', ' ')} ${formatBytes(p.bytes)}${p.residency === 'device' ? ' loaded' : ''}`,
                          )
                          .join(' · ')}
                      </span>
                    ) : null}
                  </td>
                  <td className="py-1.5">
                    <Tag tone={RESIDENCY[m.residency].tone}>
                      {residencyLabel(m.residency, s.ep)}
                    </Tag>
                  </td>
                  <td className="py-1.5 text-right text-zinc-500 tabular-nums">{idleLabel(m)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-xs text-zinc-400">
            No model loaded yet: the server loads each on first use.
          </p>
        )}
      </div>
      <div className="grid grid-cols-2 gap-2">
        <Button
          size="sm"
          disabled={action.isPending}
          onClick={() => action.mutate('offload')}
          title="Free GPU memory, keep weights in RAM for a fast reload"
        >
          Offload
        </Button>
        <Button
          size="sm"
          disabled={action.isPending}
          onClick={() => action.mutate('release')}
          title="Drop every model from GPU and RAM"
        >
          Release
        </Button>
      </div>
    </div>
  );
}
