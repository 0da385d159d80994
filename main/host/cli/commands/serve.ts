// Placeholder until the command lands; replaced by its implementation.
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write('modus serve: not implemented yet\n');
  return 2;
}
