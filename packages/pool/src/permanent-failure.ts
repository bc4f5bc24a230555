import { ReplyError } from '@fusedis/resp';

/**
 * Node's TLS verification error codes (OpenSSL's X509_V_ERR names, and Node's own
 * ERR_TLS_CERT_ALTNAME_INVALID) and OpenSSL handshake errors (ERR_SSL_…, e.g. a plaintext port).
 */
const TLS_REFUSAL =
  /^(ERR_TLS_CERT_|ERR_SSL_|UNABLE_TO_|CERT_|CRL_|DEPTH_ZERO_|SELF_SIGNED_|ERROR_IN_|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_|HOSTNAME_MISMATCH)/;

/** The server refused the credentials the connection handshake gave. */
const AUTH_REFUSAL = new Set(['WRONGPASS', 'NOAUTH', 'NOPERM']);

/**
 * A failure that a retry will not cure: a certificate or server name that does not verify, a
 * TLS handshake refused, or credentials refused. Routers give up at once on it, instead of
 * retrying with backoff a dozen times; a client rejects what waits for the connection with it.
 * Looks through the `cause` chain (a connect failure wraps the TLS error; a discovery failure
 * wraps the last node's).
 */
export function isPermanentFailure(err: unknown): boolean {
  let current = err;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof ReplyError) return AUTH_REFUSAL.has(current.code);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && TLS_REFUSAL.test(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
