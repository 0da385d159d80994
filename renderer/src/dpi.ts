// Device pixel ratio and font sizes.
//
// Font sizes in settings are points; CSS pixels are 1/96 in, so
// px = pt × 96/72 whatever the screen. The screen's density only changes
// devicePixelRatio, which xterm turns into a sharper raster of the same
// grid. The UI zoom (Ctrl+= / Ctrl+- / Ctrl+0) scales the font by 1.1^n.

export const ZOOM_STEP = 1.1;
export const MIN_ZOOM_LEVEL = -8;
export const MAX_ZOOM_LEVEL = 12;

export function pointsToPixels(points: number): number {
  return (points * 96) / 72;
}

export function zoomedFontPixels(points: number, zoomLevel: number): number {
  // Rounded to 1/100 px so repeated zooming does not accumulate float noise.
  return Math.round(pointsToPixels(points) * ZOOM_STEP ** zoomLevel * 100) / 100;
}

export function clampZoomLevel(level: number): number {
  return Math.max(MIN_ZOOM_LEVEL, Math.min(MAX_ZOOM_LEVEL, level));
}

/**
 * Calls `onChange(dpr)` whenever devicePixelRatio changes: window moved to
 * another monitor, browser zoom, or an emulated change. A
 * `(resolution: Xdppx)` media query only reports leaving the ratio it was
 * built for, so it is re-armed after each change; window resizes are
 * checked too, as some platforms change the ratio together with the size.
 */
export function watchDevicePixelRatio(onChange: (dpr: number) => void): () => void {
  let current = window.devicePixelRatio;
  let query: MediaQueryList | null = null;
  const check = (): void => {
    const dpr = window.devicePixelRatio;
    if (dpr !== current) {
      current = dpr;
      arm();
      onChange(dpr);
    }
  };
  const arm = (): void => {
    query?.removeEventListener('change', check);
    query = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    query.addEventListener('change', check);
  };
  arm();
  window.addEventListener('resize', check);
  return () => {
    query?.removeEventListener('change', check);
    window.removeEventListener('resize', check);
  };
}
