import { useEffect } from 'react';
import { startSession } from './session';

/** Restores the last session and saves from then on; once per tab, whatever renders twice. */
export function useSession(): void {
  useEffect(() => void startSession(), []);
}
