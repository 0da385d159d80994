import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Osc7Scanner, cwdFromOsc7Payload } from '../../../main/terminals/osc7.js';

const osc7 = (url: string, st = '\x07'): string => `\x1b]7;${url}${st}`;

test('reads the directory from BEL- and ST-terminated OSC 7, percent-decoded', () => {
  const s = new Osc7Scanner('myhost');
  assert.deepEqual(s.scan(Buffer.from(`a${osc7('file://myhost/home/ann/my%20dir')}b`)), ['/home/ann/my dir']);
  assert.deepEqual(s.scan(Buffer.from(osc7('file:///tmp', '\x1b\\'))), ['/tmp']);
  assert.deepEqual(s.scan(Buffer.from(osc7('file://localhost/srv/%C3%A9t%C3%A9'))), ['/srv/été']);
});

test('finds a sequence split across chunks at every possible byte boundary', () => {
  const stream = Buffer.from(`\x1b[1mhi\x1b[0m${osc7('file://h/var/log')}\x1b]0;title\x07${osc7('file://h/etc', '\x1b\\')}`);
  for (let cut = 0; cut <= stream.length; cut++) {
    const s = new Osc7Scanner('h');
    const found = [...s.scan(stream.subarray(0, cut)), ...s.scan(stream.subarray(cut))];
    assert.deepEqual(found, ['/var/log', '/etc'], `cut at ${cut}`);
  }
});

test('ignores other hosts, other schemes, other OSCs and cancelled sequences', () => {
  const s = new Osc7Scanner('here');
  const text = [
    osc7('file://elsewhere/home/x'),
    osc7('http://here/home/x'),
    '\x1b]0;file://here/not-osc7\x07',
    '\x1b]7;file://here/cancel\x1b[31m',
    osc7('file://here/ok'),
  ].join('');
  assert.deepEqual(s.scan(Buffer.from(text)), ['/ok']);
});

test('memory stays bounded on an endless OSC', () => {
  const s = new Osc7Scanner('h');
  const junk = Buffer.alloc(1024 * 1024, 0x61);
  s.scan(Buffer.from('\x1b]7;file://h/'));
  for (let i = 0; i < 20; i++) assert.deepEqual(s.scan(junk), []);
  assert.deepEqual(s.scan(Buffer.from(`\x07${osc7('file://h/after')}`)), ['/after'], 'the scanner recovers');
});

test('payload parsing rejects what is not a local absolute path', () => {
  assert.equal(cwdFromOsc7Payload('7;file://h/a%00b', 'h'), null);
  assert.equal(cwdFromOsc7Payload('7;not a url', 'h'), null);
  assert.equal(cwdFromOsc7Payload('8;file://h/x', 'h'), null);
  assert.equal(cwdFromOsc7Payload('7;file://H/x', 'h'), '/x', 'host names compare case-insensitively');
});

test('an SSH tab\'s scanner (no local host) takes the remote shell\'s directory whatever the host is called', () => {
  const s = new Osc7Scanner(null);
  assert.deepEqual(s.scan(Buffer.from(`${osc7('file://db1.lab/var/lib/pg%20data')}${osc7('http://db1/x')}`)), ['/var/lib/pg data']);
  assert.equal(cwdFromOsc7Payload('7;file://elsewhere/srv', null), '/srv');
  assert.equal(cwdFromOsc7Payload('7;file://elsewhere/srv', 'here'), null);
});
