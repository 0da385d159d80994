// Asks the browser which device WebGL2 runs on (see gpu.ts for why).

let probed: { device: string | null } | null = null;

/** The device WebGL2 runs on, asked once per page (a throw-away context, released at once). */
export function webglDevice(): string | null {
  if (probed) return probed.device;
  let device: string | null = null;
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (gl) {
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      device = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    device = null; // no WebGL at all: the DOM renderer
  }
  probed = { device };
  return device;
}
