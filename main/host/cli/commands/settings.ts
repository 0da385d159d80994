// `modus settings --schema | --path`: what an editor needs to help with
// settings.json, the JSON Schema of the file and where the app reads it.

import { settingsSchema } from '../../../settings/settings-schema.js';
import { settingsFilePath } from '../../paths.js';
import { readCommandLine } from './command-line.js';

const USAGE = `usage: modus settings --schema | --path

  --schema  print the JSON Schema of settings.json, for editors, e.g.
              modus settings --schema > ~/.config/modus/settings.schema.json
            and "$schema": "./settings.schema.json" in settings.json
  --path    print the path of the settings file Modus reads (it may not
            exist yet: then every setting has its default)
`;

type Request = 'schema' | 'path';

function parseArgs(argv: string[]): { request: Request } | string {
  let request: Request | undefined;
  for (const arg of argv) {
    const asked: Request | undefined = arg === '--schema' ? 'schema' : arg === '--path' ? 'path' : undefined;
    if (asked === undefined) return arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${JSON.stringify(arg)}`;
    if (request !== undefined && request !== asked) return 'give one of --schema or --path, not both';
    request = asked;
  }
  return request === undefined ? 'give --schema or --path' : { request };
}

export async function main(argv: string[]): Promise<number> {
  const parsed = readCommandLine(argv, 'settings', USAGE, parseArgs);
  if (typeof parsed === 'number') return parsed;
  const output = parsed.request === 'schema' ? JSON.stringify(settingsSchema(), null, 2) : settingsFilePath();
  process.stdout.write(`${output}\n`);
  return 0;
}
