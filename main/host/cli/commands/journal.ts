// Placeholder until the command lands; replaced by its implementation.
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('modus journal: not implemented yet\n');
  return 2;
}
