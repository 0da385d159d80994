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

/** How often the ratio is compared when no event reported a change. */
const POLL_MS = 500;

/**
 * Calls `onChange(dpr, missedByEvents)` whenever devicePixelRatio changes:
 * window moved to another monitor, browser zoom, or an emulated change. A
 * `(resolution: Xdppx)` media query only reports leaving the ratio it was
 * built for, so it is re-armed after each change; window resizes are
 * checked too, as some platforms change the ratio together with the size.
 * Some changes raise neither event (Chromium's emulated device scale
 * factor, some window managers), so the ratio is also polled, cheaply;
 * `missedByEvents` tells the caller that xterm, which listens to the same
 * events, has not seen the change either.
 */
export function watchDevicePixelRatio(onChange: (dpr: number, missedByEvents: boolean) => void): () => void {
  let current = window.devicePixelRatio;
  let query: MediaQueryList | null = null;
  const check = (missedByEvents: boolean): void => {
    const dpr = window.devicePixelRatio;
    if (dpr !== current) {
      current = dpr;
      arm();
      onChange(dpr, missedByEvents);
    }
  };
  const onEvent = (): void => check(false);
  const arm = (): void => {
    query?.removeEventListener('change', onEvent);
    query = window.matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    query.addEventListener('change', onEvent);
  };
  arm();
  window.addEventListener('resize', onEvent);
  const poll = setInterval(() => check(true), POLL_MS);
  return () => {
    query?.removeEventListener('change', onEvent);
    window.removeEventListener('resize', onEvent);
    clearInterval(poll);
  };
}
