// The notebook is read and encoded into reused memory for every write: what
// comes back must be the file's bytes and the text's UTF-8, whatever was there
// before, and the memory is reused once it is big enough.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteStore } from '../../../main/files/reused-bytes.js';
import { tempDir } from '../../helpers/temp-dir.js';

test('reads and encodings are exact, shorter after longer, and reuse the memory', async () => {
  const dir = tempDir('modus-bytes-');
  const path = join(dir, 'f');
  const store = new ByteStore();
  const long = 'é😀 line\n'.repeat(20_000);
  await writeFile(path, long);
  assert.equal((await store.readFile(path)).toString('utf8'), long);
  const capacity = store.capacity;
  await writeFile(path, 'short');
  assert.equal((await store.readFile(path)).toString('utf8'), 'short');
  assert.equal(store.encode('ünï\u0000').toString('utf8'), 'ünï\u0000');
  assert.deepEqual([...store.encode('\ud800x')], [...Buffer.from('\ud800x')], 'a lone surrogate encodes as Buffer.from does');
  assert.equal(store.capacity, capacity, 'nothing was allocated for smaller contents');
  await writeFile(path, '');
  assert.equal((await store.readFile(path)).length, 0);
});
