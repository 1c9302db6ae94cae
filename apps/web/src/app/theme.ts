import { useSyncExternalStore } from 'react';

const KEY = 'loupe.theme';
const listeners = new Set<() => void>();

const isDark = () => document.documentElement.classList.contains('dark');

/** Light/dark, remembered per browser; the initial class is set before paint by index.html. */
export function useTheme() {
  const dark = useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    isDark,
    () => false,
  );
  const toggle = () => {
    const next = !isDark();
    document.documentElement.classList.toggle('dark', next);
    localStorage.setItem(KEY, next ? 'dark' : 'light');
    listeners.forEach((l) => l());
  };
  return { dark, toggle };
}
