import type { TfNode } from './graph-model';
import type { HostDtype } from './host-tensor';

const TF_DTYPES: Readonly<Record<string, HostDtype>> = {
  DT_FLOAT: 'float32',
  DT_INT32: 'int32',
  DT_BOOL: 'bool',
};

/** A string attribute (protobuf JSON writes bytes as base64). */
export function attrString(node: TfNode, name: string): string {
  const s = node.attr[name]?.s;
  if (s === undefined) throw new Error(`${node.name}: no attribute ${name}`);
  return Buffer.from(s, 'base64').toString('utf8');
}

export function attrInt(node: TfNode, name: string, fallback: number): number {
  const i = node.attr[name]?.i;
  return i === undefined ? fallback : Number(i);
}

export function attrInts(node: TfNode, name: string): number[] {
  return (node.attr[name]?.list?.i ?? []).map(Number);
}

export function attrBool(node: TfNode, name: string): boolean {
  return node.attr[name]?.b === true;
}

/** A type attribute (`T`, `DstT`, `Tidx`…) as a host dtype; other types are refused. */
export function attrDtype(node: TfNode, name: string): HostDtype {
  const type = node.attr[name]?.type;
  const dtype = type ? TF_DTYPES[type] : undefined;
  if (!dtype) throw new Error(`${node.name}: ${name} = ${String(type)} is not supported`);
  return dtype;
}
