import type { Placement, RgbaImage, Size } from '@loupe/shared';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export type BatchStatus = 'waiting' | 'running' | 'done' | 'failed';

export interface BatchItem {
  id: number;
  file: File;
  status: BatchStatus;
  error?: string;
  result?: RgbaImage;
  /** The picture's size, read from the file before it is decoded. */
  size?: Size;
  /** Where this file's run went and why, decided for its own size when it ran. */
  placement?: { where: Placement; reason: string };
}

interface BatchState {
  items: BatchItem[];
  /** The item open in the editor. */
  openId: number | null;
  add(files: File[]): BatchItem[];
  update(id: number, patch: Partial<BatchItem>): void;
  setOpen(id: number | null): void;
  remove(id: number): void;
  clear(): void;
}

let nextId = 1;

/** Files dropped together: each can be opened, or all run through the current steps. */
export const batchStore = createStore<BatchState>()((set) => ({
  items: [],
  openId: null,
  add: (files) => {
    const added = files.map((file) => ({ id: nextId++, file, status: 'waiting' as const }));
    set((s) => ({ items: [...s.items, ...added] }));
    return added;
  },
  update: (id, patch) =>
    set((s) => ({ items: s.items.map((i) => (i.id === id ? { ...i, ...patch } : i)) })),
  setOpen: (openId) => set({ openId }),
  remove: (id) => set((s) => ({ items: s.items.filter((i) => i.id !== id) })),
  clear: () => set({ items: [], openId: null }),
}));

export function useBatch<T>(selector: (s: BatchState) => T): T {
  return useStore(batchStore, selector);
}
