import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '@loupe/shared';
import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';

/** A server that accepts the connection but does not answer must not hold a file back for long. */
const ANSWER_WITHIN_MS = 3_000;

/**
 * What the server accepts (`GET /api/limits`), asked when a file is opened so the numbers are
 * the ones it was started with. Opening files never depends on the server: unreachable, too
 * slow, older than this route, or wanting a token the app was not given, the shared defaults
 * apply and nothing is reported (routing already says when the server is away).
 */
export async function serverUploadLimits(signal?: AbortSignal): Promise<UploadLimits> {
  const timeout = AbortSignal.timeout(ANSWER_WITHIN_MS);
  try {
    return await api.limits({ signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (e) {
    if (signal?.aborted) throw e;
    return DEFAULT_UPLOAD_LIMITS;
  }
}

/** The same answer for what the UI shows about limits; never an error state. */
export const uploadLimitsQuery = () =>
  queryOptions({
    queryKey: ['server', 'limits'],
    queryFn: ({ signal }) => serverUploadLimits(signal),
    staleTime: 60_000,
    retry: false,
  });
