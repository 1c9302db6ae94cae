// `pnpm bench [--quick | --full] [--only <name>] [--report]`: runs each benchmark in its own process
// (so one's wasm heap or sessions cannot slow the next), then regenerates docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { log } from './lib/cli';
import { BENCH_DIR, REPO_ROOT } from './lib/machine';
import { DOC_PATH, renderDoc, writeDoc } from './lib/report';
import { DOC_TEXT } from './doc-text';
import { BENCHMARKS, GOALS } from './suite';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    full: { type: 'boolean', default: false },
    only: { type: 'string' },
    report: { type: 'boolean', default: false },
  },
});

const selected = values.only ? BENCHMARKS.filter((b) => b.name === values.only) : BENCHMARKS;
if (selected.length === 0) {
  console.error(
    `unknown benchmark "${values.only}"; one of: ${BENCHMARKS.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}

const failed: string[] = [];
if (!values.report) {
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  for (const bench of selected) {
    log('run-all', `${bench.name}${values.quick ? ' (quick)' : ''}`);
    const t0 = performance.now();
    const flags = [...(values.quick ? ['--quick'] : []), ...(values.full ? ['--full'] : [])];
    const r = spawnSync(tsx, [path.join(BENCH_DIR, bench.file), ...flags], {
      cwd: BENCH_DIR,
      stdio: 'inherit',
      // Generous: the budgets (~2 min quick, ~10 min default) hold on an idle machine, not a shared one.
      timeout: (values.quick ? 10 : values.full ? 120 : 30) * 60_000,
    });
    const seconds = ((performance.now() - t0) / 1000).toFixed(0);
    if (r.status !== 0) failed.push(bench.name);
    log(
      'run-all',
      `${bench.name}: ${r.status === 0 ? 'done' : `failed (${r.status ?? r.signal})`} in ${seconds} s`,
    );
  }
}

await writeDoc(renderDoc(DOC_TEXT, GOALS, BENCHMARKS));
log('run-all', `wrote ${path.relative(REPO_ROOT, DOC_PATH)}`);
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
