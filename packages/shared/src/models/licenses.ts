/** Licenses of the weights we ship. Copyleft ones are flagged everywhere models are listed. */
export const LICENSES = {
  MIT: { spdx: 'MIT', title: 'MIT License', copyleft: false },
  'AGPL-3.0': { spdx: 'AGPL-3.0', title: 'GNU Affero General Public License v3.0', copyleft: true },
} as const;
export type LicenseId = keyof typeof LICENSES;

export function isPermissive(license: LicenseId): boolean {
  return !LICENSES[license].copyleft;
}
