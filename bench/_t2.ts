import { readFileSync, readdirSync } from 'node:fs';
for (const f of readdirSync('/tmp/bp').filter(f => f.startsWith('prof-'))) {
  const ev = JSON.parse(readFileSync('/tmp/bp/' + f, 'utf8')) as any[];
  const nodes: Record<string, { dur: number; op: string; shapes: string }> = {};
  for (const e of ev) if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) { const n = e.name; nodes[n] ??= { dur: 0, op: e.args.op_name, shapes: JSON.stringify(e.args.input_type_shape) + '->' + JSON.stringify(e.args.output_type_shape) }; nodes[n].dur += e.dur; }
  const list = Object.entries(nodes).sort((a, b) => b[1].dur - a[1].dur);
  console.log(f, list.length, 'nodes');
  for (const [n, v] of list.slice(0, 8)) console.log((v.dur / 4000).toFixed(1), v.op, n.slice(0, 40), v.shapes.slice(0, 200));
}
