import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseRenderer, isSoftwareDevice } from '../../../renderer/src/terminal/gpu.js';

test('software rasterisers are recognised by the device names WebGL reports for them', () => {
  for (const name of [
    'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)',
    'Google SwiftShader',
    'llvmpipe (LLVM 15.0.6, 256 bits)',
    'ANGLE (Mesa, llvmpipe (LLVM 15.0.7 256 bits), OpenGL 4.5)',
    'softpipe',
    'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)',
  ]) {
    assert.equal(isSoftwareDevice(name), true, name);
  }
  for (const name of [
    'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002503) Direct3D11 vs_5_0 ps_5_0, D3D11)',
    'ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)',
    'Apple M2',
    'AMD Radeon Pro 5500M OpenGL Engine',
  ]) {
    assert.equal(isSoftwareDevice(name), false, name);
  }
});

test('"auto" keeps WebGL for a GPU and the DOM renderer for software GL or no WebGL; "on" and "off" do not ask', () => {
  let asked = 0;
  const device = (name: string | null) => () => {
    asked++;
    return name;
  };
  assert.equal(chooseRenderer('auto', device('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)')).renderer, 'webgl');
  const software = chooseRenderer('auto', device('Google SwiftShader'));
  assert.equal(software.renderer, 'dom');
  assert.match(software.reason, /software \(Google SwiftShader\)/);
  assert.equal(chooseRenderer('auto', device(null)).renderer, 'dom');
  assert.equal(asked, 3);
  assert.equal(chooseRenderer('on', device('Google SwiftShader')).renderer, 'webgl', '"on" means WebGL even in software');
  assert.equal(chooseRenderer('off', device('Apple M2')).renderer, 'dom');
  assert.equal(asked, 3, 'the device is only probed for "auto"');
});
