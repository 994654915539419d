import { randomBytes } from 'node:crypto';

/**
 * A fresh DICOM UID under the `2.25` root, which ISO/IEC 9834-8 reserves for UIDs made from a
 * random 128-bit number written in decimal, so no organisation root is needed.
 */
export function newDicomUid(): string {
  return `2.25.${BigInt(`0x${randomBytes(16).toString('hex')}`).toString(10)}`;
}
