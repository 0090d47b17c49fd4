/** Shared text + HTML framing of every Loopin email. Every interpolated value is escaped. */
export interface Rendered {
  subject: string;
  text: string;
  html: string;
  attachments?: { filename: string; content: Buffer; contentType: string; cid: string }[];
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export interface Body {
  subject: string;
  greeting: string;
  lines: string[];
  /** Label/value rows shown as a table in HTML and as "Label: value" lines in text. */
  facts?: [string, string][];
  /** Extra HTML placed after the facts (already escaped by the caller), e.g. an inline QR image. */
  htmlExtra?: string;
  attachments?: Rendered['attachments'];
}

export function layout(b: Body): Rendered {
  const facts = b.facts ?? [];
  const text = [
    b.greeting, '', ...b.lines, ...(facts.length ? ['', ...facts.map(([k, v]) => `${k}: ${v}`)] : []), '', '— Loopin',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">
<p>${escapeHtml(b.greeting)}</p>
${b.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
${facts.length ? `<table>${facts.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>` : ''}
${b.htmlExtra ?? ''}
<p style="color:#888">— Loopin</p>
</body></html>`;
  return { subject: b.subject, text, html, ...(b.attachments ? { attachments: b.attachments } : {}) };
}
