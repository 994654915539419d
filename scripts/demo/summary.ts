/** What the demo shows after the round trip: traffic, logs, configuration, the admin API. */
import { SERVER, type DemoComponents } from './components.ts';
import { block, count, heading, line, step } from './output.ts';

export function reportTraffic(parts: DemoComponents): void {
  const { gate, oauth, product } = parts;
  const requests = product.logRecords().filter((record) => record['msg'] === 'request');
  const tokens = gate.stats.tokens.size;
  const refused = gate.stats.rejections.length - parts.refusedBeforeProduct;
  step(
    `On the way, the token gate let ${count(gate.stats.accepted, 'request')} from ` +
      `dicomweb-oauth through and refused ${refused}.`,
    `dicomweb-oauth asked the OAuth server for ${count(oauth.stats.tokenRequests, 'token')}, ` +
      `and the gate saw ${count(tokens, 'distinct token')}.`,
    `dicomweb-oauth logged ${count(requests.length, 'access line')}, one per request, such as:`,
  );
  for (const record of sampleRequests(requests)) line(`  ${describeRequest(record)}`);

  if (refused > 0) throw new Error(`the gate refused ${count(refused, 'proxied request')}`);
}

/** Throws if the client secret or an access token appears in anything dicomweb-oauth printed. */
export function checkNoSecretsPrinted(parts: DemoComponents): void {
  const output = parts.product.output();
  const leaked = [parts.oauth.client.clientSecret, ...parts.gate.stats.tokens].filter((secret) =>
    output.includes(secret),
  );
  if (leaked.length > 0) throw new Error('dicomweb-oauth printed a secret or a token');

  step(
    "Searched dicomweb-oauth's whole output for the client secret and the access tokens: " +
      'none there.',
  );
}

export function showConfiguration(parts: DemoComponents): void {
  heading('The dicomweb-oauth configuration this demo generated (orthanc.json):');
  block(JSON.stringify(parts.productConfig, null, 2));
  heading("and the local Orthanc's own DICOMweb server entry, in its orthanc.json:");
  block(JSON.stringify({ DicomWeb: { Servers: { [SERVER]: parts.localServerEntry } } }, null, 2));
  heading('To use your own server:');
  line('edit Url (its DICOMweb base URL), TokenEndpoint, ClientId, ClientSecret and Scope; keep');
  line('the secret out of the file with "${CLIENT_SECRET}" or ClientSecretFile. The whole');
  line('reference is docs/configuration.md; the README has Azure and Keycloak examples.');
}

export async function showServers(parts: DemoComponents): Promise<void> {
  const url = `${parts.product.origin}/dicomweb-oauth/servers`;
  const answer = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  heading(`GET ${url} (no secret, no token):`);
  block(JSON.stringify(await answer.json(), null, 2));
}

/** The first STOW and the first QIDO line, or whatever there is. */
function sampleRequests(records: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const post = records.find((r) => r['method'] === 'POST');
  const get = records.find((r) => r['method'] === 'GET');
  const samples = [post, get].filter((r) => r !== undefined);

  return samples.length > 0 ? samples : records.slice(0, 2);
}

function describeRequest(record: Record<string, unknown>): string {
  const fields = ['method', 'server', 'path', 'status', 'bytesIn', 'bytesOut', 'durationMs'];

  return fields.map((name) => `${name}=${String(record[name])}`).join(' ');
}
