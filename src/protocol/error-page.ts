import type { AlipayError } from '../errors/alipay-error.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * What a browser sees when a page method fails at the gateway. The real gateway shows the code
 * without its `isv.` prefix ("错误代码 invalid-signature 错误原因: …", docs/identity-apis.md §5.1).
 */
export function errorPage(e: AlipayError): string {
  const code = e.subCode.replace(/^(isv|aop|isp)\./, '');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>支付宝 - 网关错误</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:24px;color:#333}h1{font-size:20px}.code{color:#c00}</style></head>
<body><h1>抱歉，请求出错了</h1>
<p>错误代码 <span class="code" data-sub-code="${escapeHtml(e.subCode)}">${escapeHtml(code)}</span></p>
<p>错误原因: ${escapeHtml(e.subMsg)}</p>
</body></html>`;
}
