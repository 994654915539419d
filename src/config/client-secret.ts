import { quote } from './describe.ts';
import { readReferencedFile } from './referenced-file.ts';
import type { SectionReader } from './section-reader.ts';

/**
 * The client secret, given inline as `ClientSecret` or as `ClientSecretFile`, a file holding
 * it (a Docker or Kubernetes secret). Its value is remembered for redaction and never quoted.
 */
export async function readClientSecret(
  reader: SectionReader,
  baseDir: string,
): Promise<string | undefined> {
  const hasInline = reader.has('ClientSecret');
  const hasFile = reader.has('ClientSecretFile');
  const inline = reader.string('ClientSecret', { secret: true });
  const path = reader.string('ClientSecretFile');
  if (hasInline && hasFile) {
    reader.problem('ClientSecretFile', 'give either ClientSecret or ClientSecretFile, not both');
    return undefined;
  }

  if (!hasInline && !hasFile) {
    reader.problem('ClientSecret', 'is required (or ClientSecretFile, a file holding it)');
    return undefined;
  }

  if (hasInline) return inline;
  if (path === undefined) return undefined;

  return readSecretFile(reader, path, baseDir);
}

async function readSecretFile(
  reader: SectionReader,
  path: string,
  baseDir: string,
): Promise<string | undefined> {
  const read = await readReferencedFile(path, baseDir);
  if (!read.ok) {
    reader.problem('ClientSecretFile', `cannot read ${quote(read.file)}: ${read.reason}`);
    return undefined;
  }

  // Files written by editors and `echo` end in a newline that is not part of the secret.
  const secret = read.text.trim();
  if (secret === '') {
    reader.problem('ClientSecretFile', `${quote(read.file)} is empty`);
    return undefined;
  }

  reader.report.secrets.add(secret);
  return secret;
}
