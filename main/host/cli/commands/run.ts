// Placeholder until the command lands; replaced by its implementation.
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('modus run: not implemented yet\n');
  return 2;
}
