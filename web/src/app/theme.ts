export type Theme = 'light' | 'dark' | 'system';
const KEY = 'slipway-theme';

export const currentTheme = (): Theme => (localStorage.getItem(KEY) as Theme | null) ?? 'system';

/** Light or dark from the person's choice, else their system's. */
export const applyTheme = (theme: Theme = currentTheme()) => {
  localStorage.setItem(KEY, theme);
  const dark = theme === 'dark' || (theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.classList.toggle('dark', dark);
};
