import { quote, received } from './describe.ts';
import { readReferencedFile } from './referenced-file.ts';
import type { SectionReader } from './section-reader.ts';
import type { TlsOptions } from './types.ts';

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/** `VerifySSL`: true (the default), false, or the path of a PEM bundle of extra trusted CAs. */
export async function readTls(
  reader: SectionReader,
  serverName: string,
  baseDir: string,
): Promise<TlsOptions> {
  const value = reader.get('VerifySSL');
  if (value === undefined || value === true) return { verify: true };

  if (value === false) {
    reader.warn('VerifySSL', `TLS verification is off for server ${serverName}`);
    return { verify: false };
  }

  if (typeof value !== 'string' || value.trim() === '') {
    const rule = 'must be true, false or the path of a PEM CA bundle';
    reader.problem('VerifySSL', `${rule} (${received(value)})`);
    return { verify: true };
  }

  return readCaBundle(reader, value, baseDir);
}

async function readCaBundle(
  reader: SectionReader,
  path: string,
  baseDir: string,
): Promise<TlsOptions> {
  const read = await readReferencedFile(path, baseDir);
  if (!read.ok) {
    reader.problem('VerifySSL', `cannot read the CA bundle ${quote(read.file)}: ${read.reason}`);
    return { verify: true };
  }

  // A content check only; Node parses the certificates when it builds the TLS context.
  if (!read.text.includes(PEM_CERTIFICATE)) {
    const rule = `holds no "${PEM_CERTIFICATE}" line`;
    reader.problem('VerifySSL', `the CA bundle ${quote(read.file)} ${rule}`);
    return { verify: true };
  }

  return { verify: true, ca: read.text, caFile: read.file };
}
