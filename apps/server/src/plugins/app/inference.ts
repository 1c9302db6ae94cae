import fp from 'fastify-plugin';
import { describePipeline, pipelineModels } from '@loupe/shared';
import { CallbackAllowList } from '../../jobs/address-guard';
import { deliverCallback } from '../../jobs/callback';
import { toJob } from '../../jobs/job';
import { JobManager } from '../../jobs/job-manager';
import { Supervisor } from '../../inference/supervisor';

declare module 'fastify' {
  interface FastifyInstance {
    supervisor: Supervisor;
    jobs: JobManager;
    callbackAllow: CallbackAllowList;
  }
}

export interface InferenceOptions {
  /** Environment for the children (tests add fault switches; production passes process.env). */
  workerEnv?: NodeJS.ProcessEnv;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Graceful shutdown's first half, while the server still listens: no new jobs (503 +
     * Retry-After), /ready says draining, jobs in flight finish and their results, states and
     * events stay fetchable until handed over or LOUPE_DRAIN_TIMEOUT_S. `close()` follows.
     */
    drain(): Promise<void>;
  }
}

/**
 * The inference side of the server: supervised children and the job queue in front of them.
 * Closing drains (see `drain`; already done when the signal handler drained first), cancels
 * what is left (so every SSE stream ends with its terminal event), then stops the children.
 */
export default fp<InferenceOptions>(
  async (app, options) => {
    const { config, metrics } = app;
    const allow = new CallbackAllowList(config.LOUPE_CALLBACK_ALLOW);
    const supervisor = new Supervisor(
      config,
      {
        onWorkerAvailable: () => jobs.pump(),
        onRestart: (index) => metrics.workerRestarts.inc({ worker: String(index) }),
        log: (message) => app.log.info(message),
      },
      options.workerEnv,
    );
    const jobs: JobManager = new JobManager(
      config,
      supervisor,
      {
        onSubmit: () => metrics.jobsSubmitted.inc(),
        onEnd: (job) => {
          const op = describePipeline(job.request.steps);
          const ep = job.metadata?.ep ?? 'none';
          metrics.jobs.inc({ op, ep, outcome: job.state });
          if (job.metadata)
            metrics.jobSeconds.observe({ op, ep }, job.metadata.timings.inferMs / 1000);
          // The child refused a model's bytes: hash it again even if the file looks unchanged.
          if (job.error?.code === 'MODEL_UNAVAILABLE')
            app.modelIntegrity.invalidate(pipelineModels(job.request.steps));
          const url = job.request.callbackUrl;
          if (!url) return;
          void deliverCallback(url, job.id, toJob(job), {
            secret: config.LOUPE_CALLBACK_SECRET,
            allow,
            retries: config.LOUPE_CALLBACK_RETRIES,
          }).then((r) => {
            metrics.callbacks.inc({ outcome: r.delivered ? 'delivered' : 'failed' });
            jobs.delivered(job, 'outcome');
            app.log[r.delivered ? 'info' : 'warn'](
              `callback for job ${job.id}: ${r.delivered ? 'delivered' : 'failed'} after ${r.attempts} attempt(s) (${r.reason})`,
            );
          });
        },
      },
      () => app.modelIntegrity.lastManifest?.models ?? [],
    );
    app.decorate('supervisor', supervisor);
    app.decorate('jobs', jobs);
    app.decorate('callbackAllow', allow);
    app.decorate('drain', () => jobs.drain(config.LOUPE_DRAIN_TIMEOUT_S * 1000));

    metrics.sources.queueDepth = () => jobs.depth;
    metrics.sources.running = () => jobs.runningCount;
    metrics.sources.resultBytes = () => jobs.resultBytes;
    metrics.sources.modelEvents = () =>
      supervisor
        .residency()
        .flatMap((m) =>
          Object.entries(m.counters).map(([kind, value]) => ({ model: m.id, kind, value })),
        );

    app.addHook('preClose', async () => {
      await jobs.drain(config.LOUPE_DRAIN_TIMEOUT_S * 1000);
    });
    app.addHook('onClose', async () => {
      await supervisor.stop();
    });
  },
  { name: 'inference', dependencies: ['config', 'metrics', 'manifest'] },
);
