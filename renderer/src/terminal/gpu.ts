// Which xterm renderer a pane uses. WebGL is the fast one on a real GPU. When
// the browser has no usable GPU (a VM, a remote desktop, a jump host) Chromium
// may still hand out WebGL, rasterised in software by SwiftShader or Mesa's
// llvmpipe; the context works, so nothing fails, but every frame is drawn by
// the CPU. Measured here (headless Chromium on SwiftShader, 2 cores): key →
// echo on screen 23 ms p50 with WebGL against 12 ms with the DOM renderer,
// and 112 ms against 14 ms once the screen is full of text. So "auto" asks
// which device WebGL runs on and keeps the DOM renderer for software ones.

import type { GpuAcceleration } from '../../../main/protocol.js';

export type RendererKind = 'webgl' | 'dom';

export interface RendererChoice {
  renderer: RendererKind;
  /** Why, in words for a log line or a diagnostic. */
  reason: string;
  /** What WebGL reported as its device, null without WebGL (only asked for "auto"). */
  device: string | null;
}

/** Device names of software rasterisers, as WebGL reports them (ANGLE wraps them: "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device …))"). */
const SOFTWARE_DEVICES = /swiftshader|llvmpipe|softpipe|lavapipe|software rasterizer|microsoft basic render|\bwarp\b|mesa offscreen/i;

export function isSoftwareDevice(device: string): boolean {
  return SOFTWARE_DEVICES.test(device);
}

export function chooseRenderer(setting: GpuAcceleration, device: () => string | null): RendererChoice {
  if (setting === 'off') return { renderer: 'dom', reason: 'gpuAcceleration is "off"', device: null };
  if (setting === 'on') return { renderer: 'webgl', reason: 'gpuAcceleration is "on"', device: null };
  const name = device();
  if (name === null) return { renderer: 'dom', reason: 'this browser offers no WebGL2', device: null };
  if (isSoftwareDevice(name)) return { renderer: 'dom', reason: `WebGL is rasterised in software (${name}); the DOM renderer is faster there`, device: name };
  return { renderer: 'webgl', reason: `WebGL runs on ${name}`, device: name };
}
