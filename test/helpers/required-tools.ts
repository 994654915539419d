import { existsSync } from 'node:fs';

export const ORTHANC_BINARY = '/usr/sbin/Orthanc';
export const DICOMWEB_PLUGIN = '/usr/share/orthanc/plugins/libOrthancDicomWeb.so';
export const DUMP2DCM = '/usr/bin/dump2dcm';

const PACKAGE_OF: ReadonlyArray<readonly [path: string, debianPackage: string]> = [
  [ORTHANC_BINARY, 'orthanc'],
  [DICOMWEB_PLUGIN, 'orthanc-dicomweb'],
  [DUMP2DCM, 'dcmtk'],
];

/**
 * Throws, naming the Debian packages to install, when a program the end-to-end tests run is
 * missing. The tests fail rather than skip, in CI and on a workstation alike, so a machine that
 * lacks them can never report a green run that tested nothing.
 */
export function assertToolsInstalled(): void {
  const missing = PACKAGE_OF.filter(([path]) => !existsSync(path));
  if (missing.length === 0) {
    return;
  }

  const packages = [...new Set(missing.map(([, name]) => name))].join(' ');
  const paths = missing.map(([path]) => path).join(', ');
  const where = process.env.CI === undefined ? '' : ' (CI: .ci/run must install them)';
  throw new Error(
    `end-to-end tests need the Debian packages: ${packages}${where}. ` +
      `Missing: ${paths}. Install with: apt-get install -y ${packages}`,
  );
}
