import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './machine';
import { readResult, type BenchResult, type GoalKey, type Table } from './result';

export const DOC_PATH = path.join(REPO_ROOT, 'docs', 'benchmarks.md');

/** One section per benchmark, in suite order; `intro` holds what a result file cannot say. */
export interface SectionSpec {
  readonly name: string;
  readonly title: string;
  readonly intro: string;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownTable(t: Pick<Table, 'columns' | 'rows'>): string {
  const head = `| ${t.columns.map(cell).join(' | ')} |`;
  const rule = `|${t.columns.map(() => '---').join('|')}|`;
  const body = t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

function section(spec: SectionSpec, r: BenchResult | undefined): string {
  const out = [`## ${spec.title}`, '', spec.intro, ''];
  if (!r) {
    out.push(
      `_Not run yet: \`pnpm bench --only ${spec.name}\` writes bench/results/${spec.name}.json._`,
      '',
    );
    return out.join('\n');
  }
  for (const t of r.tables) {
    if (t.rows.length === 0) continue;
    out.push(`**${t.title}**`, '', markdownTable(t), '');
  }
  const m = r.machine;
  out.push(
    `Conditions (${r.quick ? '`--quick`' : 'default'} run, ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC, ` +
      `${r.wallSeconds} s): ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ` +
      `load average ${m.loadAvg1} at start; ` +
      Object.entries(r.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      '.',
    '',
    ...r.conditions.map((c) => `- ${c}`),
    ...r.notes.map((n) => `- Note: ${n}`),
    '',
  );
  return out.join('\n');
}

export interface ExpectedGoal {
  readonly key: GoalKey;
  readonly goal: string;
  readonly target: string;
  /** Why it has no measurement when nothing reports it (e.g. no GPU lent). */
  readonly ifMissing?: string;
}

/** The issue's goals in its order, one row per measurement; a goal nothing measured stays "not run". */
export function goalsTable(
  expected: readonly ExpectedGoal[],
  results: readonly BenchResult[],
): string {
  const reported = results.flatMap((r) => r.goals);
  const rows: string[][] = [];
  for (const g of expected) {
    const hits = reported.filter((x) => x.key === g.key);
    if (hits.length === 0) rows.push([g.goal, g.target, g.ifMissing ?? '—', 'not run']);
    for (const h of hits)
      rows.push([`${g.goal}: ${h.goal}`, h.target, h.measured, `**${h.status}**`]);
  }
  return markdownTable({ columns: ['goal', 'target', 'measured', 'status'], rows });
}

export interface DocText {
  readonly header: string;
  /** Hand-written reading of the numbers, placed right after the goals table. */
  readonly findings: string;
  readonly footer: string;
}

export function renderDoc(
  text: DocText,
  expectedGoals: readonly ExpectedGoal[],
  sections: readonly SectionSpec[],
): string {
  const results = sections.map((s) => readResult(s.name));
  const present = results.filter((r): r is BenchResult => r !== undefined);
  return [
    text.header,
    '## Goals',
    '',
    goalsTable(expectedGoals, present),
    '',
    text.findings,
    ...sections.map((s, i) => section(s, results[i])),
    text.footer,
  ].join('\n');
}

/** Writes the doc formatted by the repo's own prettier config, so `pnpm check` stays green. */
export async function writeDoc(markdown: string): Promise<void> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(DOC_PATH)) ?? {};
  writeFileSync(DOC_PATH, await prettier.format(markdown, { ...options, filepath: DOC_PATH }));
}
