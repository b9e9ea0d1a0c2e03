/**
 * A throwaway TLS certificate for the local Pub/Sub endpoint. The Pub/Sub client always
 * dials TLS (as the platform's endpoint requires), so the local org serves TLS with a
 * certificate made at start for `localhost` / `127.0.0.1` and never written to disk; clients
 * of the local org pass `rejectUnauthorizedSsl: false`, and only for it.
 */
import { execFileSync } from 'node:child_process';

export interface TlsKeyPair {
    cert: Buffer;
    key: Buffer;
}

let cached: TlsKeyPair | undefined;

export function selfSignedCertificate(): TlsKeyPair {
    if (cached) return cached;
    let pem: string;
    try {
        pem = execFileSync(
            'openssl',
            [
                'req',
                '-x509',
                '-newkey',
                'ec',
                '-pkeyopt',
                'ec_paramgen_curve:prime256v1',
                '-nodes',
                '-days',
                '7',
                '-subj',
                '/CN=localhost',
                '-addext',
                'subjectAltName=DNS:localhost,IP:127.0.0.1',
                '-keyout',
                '-',
                '-out',
                '-'
            ],
            { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
        );
    } catch (error) {
        throw new Error(
            `The local Pub/Sub endpoint needs openssl to make its TLS certificate (apt-get install openssl): ${(error as Error).message}`
        );
    }
    const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n?/.exec(pem)?.[0];
    const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(pem)?.[0];
    if (!key || !cert) throw new Error('openssl returned no certificate and key');
    cached = { cert: Buffer.from(cert), key: Buffer.from(key) };
    return cached;
}
