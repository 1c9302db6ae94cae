// An inference child from another build, forked by the real supervisor in protocol.test.ts.
// STALE_CHILD_MODE says which build it plays:
//   refuses   — protocol PROTOCOL_VERSION - 1, and it knows `incompatible`: it refuses the init;
//   announces — protocol PROTOCOL_VERSION - 1, and it answers the init with its own `ready`;
//   silent    — a build from before versioned answers: it ignores what it cannot read;
//   malformed — the current protocol, but its `ready` names an EP that does not exist.
// Every message it receives is appended to STALE_CHILD_LOG as one JSON line.
import { appendFileSync } from 'node:fs';
import { PROTOCOL_VERSION } from '@loupe/shared';

const OLD = PROTOCOL_VERSION - 1;
const mode = process.env.STALE_CHILD_MODE;
const log = process.env.STALE_CHILD_LOG;
const choice = { ep: 'cpu', reason: 'stale child', device: 'CPU' };

process.on('message', (raw) => {
  const m = raw as { v: number; id: string; type: string };
  if (log) appendFileSync(log, `${JSON.stringify(m)}\n`);
  if (m.type !== 'init') return;
  if (mode === 'refuses') {
    process.send?.({
      v: OLD,
      type: 'incompatible',
      id: m.id,
      received: m.v,
      message: `Received protocol ${m.v}; this side speaks protocol ${OLD}`,
    });
  } else if (mode === 'announces') {
    process.send?.({ v: OLD, id: m.id, type: 'ready', choice, onnxruntime: 'old' });
  } else if (mode === 'malformed') {
    const ready = { v: PROTOCOL_VERSION, id: m.id, type: 'ready', onnxruntime: 'x' };
    process.send?.({ ...ready, choice: { ...choice, ep: 'tpu' } });
  }
});

process.on('disconnect', () => process.exit(0));
