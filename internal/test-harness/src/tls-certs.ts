import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand, tail } from './run-command.js';

/** A throwaway certificate authority and certificates it signed, as PEM text and as files. */
export interface TestCertificates {
  /** The folder holding the files below; removed by `remove()`. */
  readonly dir: string;
  /** The CA certificate (PEM) that clients trust. */
  readonly ca: string;
  readonly caFile: string;
  /** A server certificate for `localhost` and `127.0.0.1`, signed by the CA. */
  readonly cert: string;
  readonly certFile: string;
  readonly key: string;
  readonly keyFile: string;
  /** A certificate signed by the same CA for another name only (`wrong.example`): hostname checks must refuse it. */
  readonly wrongNameCert: string;
  readonly wrongNameCertFile: string;
  readonly wrongNameKey: string;
  readonly wrongNameKeyFile: string;
  /** A CA that signed nothing above: trusting only it must refuse the server. */
  readonly otherCa: string;
  /** Deletes the folder. */
  remove(): Promise<void>;
}

/**
 * Generates a throwaway CA and server certificates (EC P-256, valid for a day) with the
 * `openssl` command-line tool, in a fresh temp folder. For TLS tests only.
 */
export async function makeTestCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'fusedis-tls-'));
  const path = (name: string): string => join(dir, name);
  const openssl = async (...args: string[]): Promise<void> => {
    const result = await runCommand('openssl', args, { timeoutMs: 30_000 });
    if (result.code !== 0) throw new Error(`openssl ${args[0]} failed: ${tail(result.output)}`);
  };
  const ecKey = (file: string): Promise<void> =>
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path(file));
  const selfSignedCa = async (name: string, subject: string): Promise<void> => {
    await ecKey(`${name}.key`);
    await openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      path(`${name}.key`),
      '-subj',
      subject,
      '-days',
      '1',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      path(`${name}.crt`),
    );
  };
  const signed = async (name: string, subject: string, altNames: string): Promise<void> => {
    await ecKey(`${name}.key`);
    await openssl('req', '-new', '-key', path(`${name}.key`), '-subj', subject, '-out', path(`${name}.csr`));
    await writeFile(
      path(`${name}.ext`),
      `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=${altNames}\n`,
    );
    await openssl(
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path('ca.crt'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      path(`${name}.ext`),
      '-out',
      path(`${name}.crt`),
    );
  };
  try {
    await selfSignedCa('ca', '/CN=fusedis test CA');
    await selfSignedCa('other-ca', '/CN=fusedis unrelated CA');
    await signed('server', '/CN=localhost', 'DNS:localhost,IP:127.0.0.1');
    await signed('wrong', '/CN=wrong.example', 'DNS:wrong.example');
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const read = (name: string): Promise<string> => readFile(path(name), 'utf8');
  return {
    dir,
    ca: await read('ca.crt'),
    caFile: path('ca.crt'),
    cert: await read('server.crt'),
    certFile: path('server.crt'),
    key: await read('server.key'),
    keyFile: path('server.key'),
    wrongNameCert: await read('wrong.crt'),
    wrongNameCertFile: path('wrong.crt'),
    wrongNameKey: await read('wrong.key'),
    wrongNameKeyFile: path('wrong.key'),
    otherCa: await read('other-ca.crt'),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
