// SMTP through nodemailer: one connection per digest (no pool: digests are few, and a fresh connection
// per try keeps a retry independent of a broken one). The password lives only in the transport; errors
// are re-thrown as DigestSendError carrying nodemailer's code and the server's reply, never the options.
import { PipelineError } from '@paperwire/core';
import { createTransport } from 'nodemailer';

export interface OutgoingDigest {
  from: { name?: string; address: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  unsubscribeUrl: string;
}

export interface Mailer {
  send(message: OutgoingDigest): Promise<{ response: string }>;
  close(): void;
}

/** A send that failed. Connection trouble and 4xx replies are retried; 5xx replies and auth are not. */
export class DigestSendError extends PipelineError {
  readonly responseCode?: number;
  constructor(message: string, options: { kind: string; retryable: boolean; responseCode?: number }) {
    super(message, { code: `digest-smtp-${options.kind}`, retryable: options.retryable });
    this.responseCode = options.responseCode;
  }
}

interface NodemailerError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** Classifies a nodemailer failure (pure). */
export function classifySendError(err: unknown, where: string): DigestSendError {
  const e = (err ?? {}) as NodemailerError;
  const code = typeof e.code === 'string' ? e.code : 'unknown';
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // The server's reply (one line, bounded) says what went wrong; our own options never appear in it.
  const reply = (e.response ?? e.message ?? '').replace(/\s+/g, ' ').slice(0, 200);
  const retryable =
    code === 'EAUTH' || code === 'EENVELOPE' || code === 'EMESSAGE'
      ? status !== undefined && status < 500
      : status === undefined || status < 500;
  const kind =
    code === 'EAUTH' ? 'auth' : status !== undefined ? `${Math.floor(status / 100)}xx` : 'connection';
  return new DigestSendError(
    `digest: sending ${where} failed (${code}${status ? ` ${status}` : ''}): ${reply}`,
    {
      kind,
      retryable,
      responseCode: status,
    },
  );
}

export function createMailer(smtpUrl: string, options: { timeoutMs: number }): Mailer {
  const u = new URL(smtpUrl);
  const transport = createTransport({
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : u.protocol === 'smtps:' ? 465 : 587,
    secure: u.protocol === 'smtps:',
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    // Our messages carry no attachments: never let content read files or URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  });
  return {
    async send(m) {
      try {
        const info = await transport.sendMail({
          from: m.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: m.messageId,
          headers: {
            // RFC 2369 and RFC 8058: a mail provider's unsubscribe button POSTs `List-Unsubscribe=One-Click`
            // to this URL (the token is in its query). Opening it (GET) only shows a confirmation page.
            'List-Unsubscribe': `<${m.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            'Auto-Submitted': 'auto-generated',
          },
        });
        return { response: String(info.response ?? '') };
      } catch (err) {
        throw classifySendError(err, m.messageId);
      }
    },
    close: () => transport.close(),
  };
}
