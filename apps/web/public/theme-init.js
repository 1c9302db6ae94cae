/* global localStorage, matchMedia, document */
// Sets the theme before first paint so a dark-mode user never sees a white flash. A file,
// not an inline script, so the server's Content-Security-Policy can stay 'self'-only.
try {
  const t = localStorage.getItem('loupe.theme');
  const dark = t ? t === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.classList.toggle('dark', dark);
} catch {
  // storage unavailable (privacy mode): the app's own theme code takes over
}
