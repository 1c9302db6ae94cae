import { createContext, useContext } from 'react';
import { NO_LIVE_EDIT, type LiveEdit } from '../../services/preview-service';

/**
 * How the panel's controls reach the live preview: the app provides one over the tab's preview
 * service and run context; without a provider (a panel rendered alone) changes only set params.
 */
export const LiveEditContext = createContext<LiveEdit>(NO_LIVE_EDIT);

export function useLiveEdit(): LiveEdit {
  return useContext(LiveEditContext);
}
