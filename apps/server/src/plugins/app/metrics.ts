import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Values read at scrape time; the inference plugin points them at the queue and the supervisor. */
export interface MetricSources {
  queueDepth(): number;
  running(): number;
  resultBytes(): number;
  modelEvents(): { model: string; kind: string; value: number }[];
}

/** Every metric Loupe exports, on a registry of its own (several apps in one test process do not collide). */
export function createMetrics() {
  const registry = new Registry();
  const sources: MetricSources = {
    queueDepth: () => 0,
    running: () => 0,
    resultBytes: () => 0,
    modelEvents: () => [],
  };
  // Process metrics include event-loop lag and memory: the point of running inference in children.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  return {
    registry,
    sources,
    requests: new Counter({
      name: 'loupe_http_requests_total',
      help: 'HTTP requests',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: 'loupe_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: SECONDS,
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'loupe_jobs_total',
      help: 'Finished jobs',
      labelNames: ['op', 'ep', 'outcome'],
      registers: [registry],
    }),
    jobsSubmitted: new Counter({
      name: 'loupe_jobs_submitted_total',
      help: 'Jobs admitted to the queue',
      registers: [registry],
    }),
    jobSeconds: new Histogram({
      name: 'loupe_job_infer_seconds',
      help: 'Inference time per job',
      labelNames: ['op', 'ep'],
      buckets: SECONDS,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'loupe_queue_depth',
      help: 'Jobs waiting for a worker',
      registers: [registry],
      collect() {
        this.set(sources.queueDepth());
      },
    }),
    running: new Gauge({
      name: 'loupe_jobs_running',
      help: 'Jobs running on a worker',
      registers: [registry],
      collect() {
        this.set(sources.running());
      },
    }),
    workerRestarts: new Counter({
      name: 'loupe_worker_restarts_total',
      help: 'Inference child restarts',
      labelNames: ['worker'],
      registers: [registry],
    }),
    modelEvents: new Gauge({
      name: 'loupe_model_residency_events',
      help: 'Cumulative model loads/reloads/offloads/releases, summed over workers',
      labelNames: ['model', 'kind'],
      registers: [registry],
      collect() {
        this.reset();
        for (const { model, kind, value } of sources.modelEvents())
          this.set({ model, kind }, value);
      },
    }),
    resultBytes: new Gauge({
      name: 'loupe_result_store_bytes',
      help: 'Bytes of finished results held for GET /api/jobs/:id/result',
      registers: [registry],
      collect() {
        this.set(sources.resultBytes());
      },
    }),
    uploadsDecoding: new Gauge({
      name: 'loupe_uploads_decoding',
      help: 'Uploads being decoded right now',
      registers: [registry],
    }),
    uploadsDecoded: new Counter({
      name: 'loupe_uploads_decoded_total',
      help: 'Uploads decoded for a job (refusals happen before this)',
      registers: [registry],
    }),
    callbacks: new Counter({
      name: 'loupe_callbacks_total',
      help: 'Job callback deliveries',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

export default fp(
  async (app) => {
    const metrics = createMetrics();
    app.decorate('metrics', metrics);
    app.addHook('onResponse', async (request, reply) => {
      // The route pattern, not the URL: job ids would explode the label cardinality.
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      metrics.requestSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  },
  { name: 'metrics' },
);
