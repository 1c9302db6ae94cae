/**
 * Where the server serves a diffusion folder's files (`GET /api/models/diffusion/:id/files/*`),
 * absolute and ending in `/`: the worker builds its sessions from them, the prompt panel reads
 * the tokenizer. Same origin, as every other API call.
 */
export function diffusionFilesUrl(id: string): string {
  return new URL(`/api/models/diffusion/${encodeURIComponent(id)}/files/`, location.href).href;
}
