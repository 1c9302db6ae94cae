import { describeAdapter, isSoftwareAdapter, LICENSES } from '@loupe/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { queries } from '../../api/queries';
import { formatBytes } from '../../lib/format';
import { browserInference } from '../../services/browser-inference';
import { useEditor } from '../../stores/editor-store';
import { Button } from '../../ui/Button';
import { offlineSummary } from '../offline/offline-summary';
import { useShellState } from '../offline/use-app-shell';
import { usePlacement } from '../run/use-placement';
import { BrowserEngine } from './BrowserEngine';
import { Dl, Row, Tag } from './parts';

/** This browser: WebGPU adapter, what the next run would use, and the models kept offline. */
export function LocalGpu() {
  const device = useQuery(queries.localDevice());
  const cached = useQuery(queries.cachedModels());
  const shell = useShellState();
  const lastEp = useEditor((s) => s.history.at(-1)?.metadata);
  const { decision } = usePlacement();
  const client = useQueryClient();
  const clear = useMutation({
    mutationFn: () => browserInference().clearCache(),
    onSettled: () => client.invalidateQueries({ queryKey: ['browser', 'cached-models'] }),
  });
  const gpu = device.data?.webgpu ?? null;
  const total = (cached.data ?? []).reduce((sum, m) => sum + m.bytes, 0);
  const offline = offlineSummary(
    shell.isError ? { kind: 'unavailable', reason: shell.error.message } : shell.data,
    cached.data?.length ?? 0,
  );
  return (
    <div className="space-y-4">
      <Dl>
        <Row label="Adapter">
          {device.isPending ? 'Probing…' : gpu ? describeAdapter(gpu) : 'No WebGPU'}
        </Row>
        {gpu ? (
          <>
            <Row label="Vendor">{gpu.vendor || '—'}</Row>
            <Row label="Architecture">{gpu.architecture || '—'}</Row>
            <Row label="Type">
              {isSoftwareAdapter(gpu) ? (
                <Tag tone="warn">Software</Tag>
              ) : (
                <Tag tone="ok">Hardware</Tag>
              )}
            </Row>
            <Row label="shader-f16">{gpu.shaderF16 ? <Tag tone="ok">Yes</Tag> : <Tag>No</Tag>}</Row>
            <Row label="Max buffer">{formatBytes(gpu.limits.maxBufferSize)}</Row>
            <Row label="Max storage binding">
              {formatBytes(gpu.limits.maxStorageBufferBindingSize)}
            </Row>
          </>
        ) : device.data?.webgpuUnavailableReason ? (
          <Row label="Why">{device.data.webgpuUnavailableReason}</Row>
        ) : null}
        <Row label="Memory / cores">
          {device.data?.deviceMemoryGb ? `${device.data.deviceMemoryGb} GB` : '?'} ·{' '}
          {device.data?.hardwareConcurrency ?? '?'} cores
        </Row>
        <Row label="Isolated (WASM threads)">{device.data?.crossOriginIsolated ? 'Yes' : 'No'}</Row>
        <Row label="Offline">
          <span data-ready={offline.ready}>{offline.text}</span>
        </Row>
        <Row label="Next browser EP">
          {decision?.where === 'browser' && decision.ep ? decision.ep.toUpperCase() : '—'}
        </Row>
        {lastEp?.placement === 'browser' ? (
          <Row label="Last run">
            {lastEp.ep.toUpperCase()}
            {lastEp.fallback ? ` (fell back from ${lastEp.fallback.from.toUpperCase()})` : ''}
          </Row>
        ) : null}
      </Dl>
      <div>
        <h4 className="mb-2 text-xs font-semibold text-zinc-600 dark:text-zinc-300">
          Browser engine
        </h4>
        <BrowserEngine />
      </div>
      <div>
        <div className="mb-2 flex items-center justify-between">
          <h4 className="text-xs font-semibold text-zinc-600 dark:text-zinc-300">
            Models cached in this browser · {formatBytes(total)}
          </h4>
          <Button
            size="sm"
            variant="ghost"
            disabled={!cached.data?.length || clear.isPending}
            onClick={() => clear.mutate()}
          >
            Clear cache
          </Button>
        </div>
        {cached.data?.length ? (
          <ul
            aria-label="Cached models"
            className="divide-y divide-zinc-200 rounded-lg ring-1 ring-zinc-200 dark:divide-zinc-800 dark:ring-zinc-800"
          >
            {cached.data.map((m) => (
              <li
                key={m.file}
                className="flex items-center justify-between gap-2 px-3 py-1.5 text-xs"
              >
                <span className="truncate font-mono">{m.id}</span>
                <span className="flex shrink-0 items-center gap-2">
                  <span className="text-zinc-500 tabular-nums">{formatBytes(m.bytes)}</span>
                  <Tag tone={LICENSES[m.license].copyleft ? 'warn' : undefined}>{m.license}</Tag>
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-xs text-zinc-400">
            None yet: models download on first use and are kept in this browser.
          </p>
        )}
      </div>
    </div>
  );
}
