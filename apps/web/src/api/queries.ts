import { queryOptions } from '@tanstack/react-query';
import { appShell } from '../services/app-shell';
import { browserInference } from '../services/browser-inference';
import { api } from './client';

/**
 * Server and device state as TanStack Query caches it. Components pick a factory and
 * override only what differs (e.g. a faster refetch while the GPU panel is open).
 */
export const queries = {
  /** Reachability for routing: polled, so a server that stops or comes back is noticed. */
  ready: () =>
    queryOptions({
      queryKey: ['server', 'ready'],
      queryFn: ({ signal }) => api.ready({ signal }),
      refetchInterval: 5_000,
      retry: false,
    }),
  gpuStatus: (refetchInterval: number | false = 5_000) =>
    queryOptions({
      queryKey: ['server', 'gpu-status'],
      queryFn: ({ signal }) => api.gpuStatus({ signal }),
      refetchInterval,
      retry: false,
    }),
  serverModels: () =>
    queryOptions({
      queryKey: ['server', 'models'],
      queryFn: ({ signal }) => api.models({ signal }),
      staleTime: 60_000,
      retry: false,
    }),
  /** Model sizes and FLOPs for the placement policy; the same file the worker verifies against. */
  manifest: () =>
    queryOptions({
      queryKey: ['manifest'],
      queryFn: ({ signal }) => api.manifest({ signal }),
      staleTime: Infinity,
      retry: 1,
    }),
  /** The browser's WebGPU adapter and memory: probed once per tab. */
  localDevice: () =>
    queryOptions({
      queryKey: ['browser', 'device'],
      queryFn: ({ signal }) => browserInference().probe({ signal }),
      staleTime: Infinity,
      retry: false,
    }),
  cachedModels: () =>
    queryOptions({
      queryKey: ['browser', 'cached-models'],
      queryFn: ({ signal }) => browserInference().cachedModels({ signal }),
    }),
  /** The offline app shell: what the active service worker holds in Cache Storage. */
  appShell: () =>
    queryOptions({
      queryKey: ['browser', 'app-shell'],
      queryFn: ({ signal }) => appShell.status(signal),
      retry: false,
    }),
};
