import { UNKNOWN_LICENSE, type DiffusionLicense } from '@loupe/shared';

/** LICENSE, LICENSE.md, LICENCE.txt, COPYING… at the folder's top level. */
export const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;
export const MODEL_CARD_FILE = /^readme\.md$/i;

/** Texts Loupe recognises in a LICENSE file, most specific first. */
const LICENSE_TEXTS: readonly { pattern: RegExp; id: string; name: string }[] = [
  { pattern: /CreativeML Open RAIL\+\+-M/i, id: 'openrail++', name: 'CreativeML Open RAIL++-M' },
  {
    pattern: /CreativeML Open RAIL-M/i,
    id: 'creativeml-openrail-m',
    name: 'CreativeML Open RAIL-M',
  },
  { pattern: /GNU AFFERO GENERAL PUBLIC LICENSE/i, id: 'AGPL-3.0', name: 'GNU AGPL v3.0' },
  {
    pattern: /GNU GENERAL PUBLIC LICENSE\s+Version 3/i,
    id: 'GPL-3.0',
    name: 'GNU GPL v3.0',
  },
  { pattern: /Apache License\s+Version 2\.0/i, id: 'Apache-2.0', name: 'Apache License 2.0' },
  {
    pattern: /^\s*MIT License|Permission is hereby granted, free of charge/i,
    id: 'MIT',
    name: 'MIT License',
  },
  {
    pattern: /Attribution-NonCommercial 4\.0/i,
    id: 'CC-BY-NC-4.0',
    name: 'Creative Commons BY-NC 4.0',
  },
  { pattern: /Open RAIL|OpenRAIL/i, id: 'openrail', name: 'OpenRAIL' },
];

/** Hugging Face model-card license tags: SPDX ids where there is one, and how to show them. */
const CARD_TAGS: Record<string, { id: string; name: string }> = {
  mit: { id: 'MIT', name: 'MIT License' },
  'apache-2.0': { id: 'Apache-2.0', name: 'Apache License 2.0' },
  'agpl-3.0': { id: 'AGPL-3.0', name: 'GNU AGPL v3.0' },
  'gpl-3.0': { id: 'GPL-3.0', name: 'GNU GPL v3.0' },
  'cc-by-4.0': { id: 'CC-BY-4.0', name: 'Creative Commons BY 4.0' },
  'cc-by-nc-4.0': { id: 'CC-BY-NC-4.0', name: 'Creative Commons BY-NC 4.0' },
  'cc-by-nc-sa-4.0': { id: 'CC-BY-NC-SA-4.0', name: 'Creative Commons BY-NC-SA 4.0' },
  'creativeml-openrail-m': { id: 'creativeml-openrail-m', name: 'CreativeML Open RAIL-M' },
  'openrail++': { id: 'openrail++', name: 'CreativeML Open RAIL++-M' },
  openrail: { id: 'openrail', name: 'OpenRAIL' },
};

/** The `license:` (and `license_name:`) of a model card's YAML front matter. */
function cardLicense(readme: string): { id: string; name: string } | null {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme);
  if (!front) return null;
  const field = (key: string) =>
    new RegExp(`^${key}:\\s*["']?([^"'\\r\\n#]+?)["']?\\s*$`, 'm').exec(front[1]!)?.[1];
  const id = field('license');
  if (!id) return null;
  const tag = id.toLowerCase();
  if (tag === 'other')
    return { id: 'other', name: field('license_name') ?? 'other (see README.md)' };
  return CARD_TAGS[tag] ?? { id, name: id };
}

/**
 * The license a folder states: a LICENSE file Loupe recognises, else a model card's
 * `license:`, else the first line of an unrecognised LICENSE, else `UNKNOWN_LICENSE`, which
 * the UI shows as it is. `texts` maps top-level file names to their first few KB.
 */
export function detectLicense(texts: ReadonlyMap<string, string>): DiffusionLicense {
  const names = [...texts.keys()].sort();
  const licenseFile = names.find((n) => LICENSE_FILE.test(n));
  if (licenseFile) {
    const body = texts.get(licenseFile)!;
    const known = LICENSE_TEXTS.find((l) => l.pattern.test(body));
    if (known) return { id: known.id, name: known.name, file: licenseFile };
  }
  const card = names.find((n) => MODEL_CARD_FILE.test(n));
  const fromCard = card ? cardLicense(texts.get(card)!) : null;
  if (fromCard && card) return { ...fromCard, file: card };
  if (licenseFile) {
    const firstLine = texts
      .get(licenseFile)!
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean);
    if (firstLine) return { id: null, name: firstLine.slice(0, 80), file: licenseFile };
  }
  return { id: null, name: UNKNOWN_LICENSE, file: null };
}
