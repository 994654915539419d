/**
 * A token gate that sits inside Orthanc B instead of in front of it: a Lua request filter
 * asks this verifier about the `Authorization` of each DICOMweb request, and the body goes
 * straight into Orthanc. A gate that proxied the study itself would be a second Node proxy on
 * the measured path, sharing the two cores, and would weigh on the result as much as the
 * product does.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export interface TokenCheckOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** A token the direct path sends, accepted as is, so both paths pay the same check. */
  staticToken: string;
}

export interface RunningTokenCheck {
  /** The Lua script for Orthanc's `LuaScripts`. */
  luaScript: string;
  stats: { accepted: number; rejected: number; reasons: string[]; tokens: Set<string> };
  close(): Promise<void>;
}

export async function startTokenCheck(
  options: TokenCheckOptions,
  directory: string,
): Promise<RunningTokenCheck> {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl));
  const stats = { accepted: 0, rejected: 0, reasons: [] as string[], tokens: new Set<string>() };
  const verdict = async (authorization: string): Promise<boolean> => {
    const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
    if (token === undefined) throw new Error('no bearer token');
    if (token === options.staticToken) return true;

    await jwtVerify(token, keys, {
      issuer: options.issuer,
      audience: options.audience,
      clockTolerance: 1,
    });
    stats.tokens.add(token);

    return true;
  };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      verdict(body).then(
        () => (stats.accepted++, res.end('ok')),
        (error: unknown) => {
          stats.rejected++;
          if (stats.reasons.length < 5) stats.reasons.push(String(error));
          res.end('no');
        },
      );
    });
  });
  await listen(server);

  const luaScript = join(directory, 'token-check.lua');
  await writeFile(luaScript, luaFilter((server.address() as AddressInfo).port));

  return { luaScript, stats, close: () => close(server) };
}

/** Only DICOMweb routes are guarded; Orthanc's own REST API stays open to the bench. */
function luaFilter(port: number): string {
  return `
function IncomingHttpRequestFilter(method, uri, ip, username, httpHeaders)
  if string.sub(uri, 1, 11) ~= '/dicom-web/' then
    return true
  end
  local authorization = httpHeaders['authorization']
  if authorization == nil then
    return false
  end
  return HttpPost('http://127.0.0.1:${port}/verify', authorization) == 'ok'
end
`;
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
