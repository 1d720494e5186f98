import { MeshfoldError } from '@meshfold/core';

/** Where a JetStream log lives: the servers to try and the stream's name. */
export interface NatsLocation {
  readonly servers: string[];
  readonly stream: string;
}

/** Stream names become subject tokens and bucket names, so only these characters are allowed. */
const STREAM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** True for a `--log` value that names a JetStream log rather than a directory. */
export function isNatsLocation(value: string): boolean {
  return /^nats:\/\//i.test(value);
}

/**
 * Reads `nats://host:port[,host:port…]/STREAM`. Credentials never come from here (a command line
 * is visible to every user of the machine): a URL carrying them is refused; they come from the
 * environment (see `natsAuthOptions`).
 */
export function parseNatsLocation(value: string): NatsLocation {
  const malformed = (why: string) =>
    new MeshfoldError('INPUT_MALFORMED', `${value.replace(/\/\/[^@/]*@/, '//…@')}: ${why} (expected nats://host:port[,host:port…]/STREAM)`);
  const match = /^nats:\/\/([^/]*)\/([^/?#]*)$/i.exec(value);
  if (!match) throw malformed('not a JetStream log location');
  const [, hosts, stream] = match as unknown as [string, string, string];
  if (hosts.includes('@')) throw malformed('credentials do not belong on the command line; set NATS_CREDS, NATS_USER/NATS_PASSWORD or NATS_TOKEN');
  const servers = hosts.split(',').filter((host) => host !== '');
  if (servers.length === 0) throw malformed('no server');
  if (!STREAM_NAME.test(stream)) throw malformed('the stream name must be 1 to 64 letters, digits, _ or -');
  return { servers: servers.map((host) => `nats://${host}`), stream };
}
