// Settings palette → xterm theme, with the background opacity applied.

import type { ITheme } from '@xterm/xterm';
import type { Palette } from '../../../main/protocol.js';

const ANSI_NAMES = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'brightBlack', 'brightRed', 'brightGreen', 'brightYellow', 'brightBlue', 'brightMagenta', 'brightCyan', 'brightWhite',
] as const;

/** '#rrggbb' or '#rgb' with `alpha` as an rgba() colour; other colour syntaxes pass through unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!hex) return color;
  const digits = hex[1]!.length === 3 ? [...hex[1]!].map((c) => c + c).join('') : hex[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
  const a = Math.max(0, Math.min(1, alpha));
  return a >= 1 ? `#${digits}` : `rgba(${r}, ${g}, ${b}, ${a})`;
}

export function themeOf(palette: Palette, opacity: number): ITheme {
  const theme: ITheme = {
    foreground: palette.foreground,
    background: withAlpha(palette.background, opacity),
    cursor: palette.cursor,
    cursorAccent: palette.background,
    selectionBackground: palette.selection,
  };
  const named = theme as Record<string, string>;
  ANSI_NAMES.forEach((name, i) => {
    const color = palette.ansi[i];
    if (color) named[name] = color;
  });
  return theme;
}
