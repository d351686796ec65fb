/**
 * A tolerant multipart/form-data reader for the SDKs' upload calls. Java and .NET write part
 * headers without a space after the colon and start the body with a CRLF before the first
 * boundary (docs/alipay-openapi-v2.md §1.1); both are accepted here. File parts are not signed,
 * so they are skipped; text fields are returned as raw bytes in the request charset.
 */
export interface MultipartResult {
  fields: Array<[string, Buffer]>;
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartResult | undefined {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const fields: Array<[string, Buffer]> = [];
  let pos = body.indexOf(delimiter);
  if (pos === -1) return undefined;
  for (;;) {
    pos += delimiter.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--boundary--"
    const next = body.indexOf(delimiter, pos);
    if (next === -1) return undefined; // unterminated body
    const part = trimCrlf(body.subarray(pos, next));
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const headers = part.subarray(0, split).toString('latin1');
      const content = part.subarray(split + 4);
      const disposition = /content-disposition\s*:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      if (name !== undefined && !/\bfilename="/i.test(disposition)) fields.push([name, content]);
    }
    pos = next;
  }
  return { fields };
}

function trimCrlf(b: Buffer): Buffer {
  let start = 0;
  let end = b.length;
  if (b[0] === 0x0d && b[1] === 0x0a) start = 2;
  if (end - start >= 2 && b[end - 2] === 0x0d && b[end - 1] === 0x0a) end -= 2;
  return b.subarray(start, end);
}
