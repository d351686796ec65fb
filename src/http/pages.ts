import type { FamilyAdapter } from '../domain/family.js';
import { displayIdentity } from '../domain/mask.js';
import type { SessionRecord } from '../store/store.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Self-contained, mobile-first document: no external assets (the page may open inside an app webview). */
function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1,maximum-scale=1">
<title>${esc(title)}</title>
<style>
*{box-sizing:border-box}body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei",system-ui,sans-serif;background:#f5f5f5;color:#333}
header{background:#1677ff;color:#fff;padding:16px;font-size:18px;text-align:center}
main{max-width:480px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:12px;padding:16px;margin-bottom:12px}
.muted{color:#888;font-size:13px}dl{display:grid;grid-template-columns:auto 1fr;gap:8px 12px;margin:0}dt{color:#888}dd{margin:0}
ol{padding-left:20px;margin:8px 0}li{margin:6px 0}
button{display:block;width:100%;padding:14px;border:0;border-radius:8px;font-size:16px;margin-top:10px}
.pass{background:#1677ff;color:#fff}.fail{background:#fff;color:#c00;border:1px solid #c00}
select{width:100%;padding:10px;font-size:15px;border-radius:8px;border:1px solid #ccc;margin-top:8px}
.state{font-size:20px;text-align:center;margin:24px 0}
</style></head><body><header>${esc(title)}</header><main>${body}</main></body></html>`;
}

export const FAIL_REASONS = ['人脸比对不一致', '活体检测未通过', '身份信息与公安数据不一致', '用户取消认证'];

export function verificationPage(family: FamilyAdapter, session: SessionRecord, appName: string): string {
  const identity = displayIdentity(session.identity, family.pii)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd data-field="${esc(k)}">${esc(v)}</dd>`)
    .join('');
  const steps = family
    .steps(session)
    .map((s) => `<li>${esc(s)}</li>`)
    .join('');
  const reasons = FAIL_REASONS.map((r) => `<option value="${esc(r)}">${esc(r)}</option>`).join('');
  return layout(
    family.title,
    `<div class="card"><div class="muted">认证发起方</div><div id="app-name" style="font-size:17px;margin-top:4px">${esc(appName)}</div>
<div class="muted" id="product" style="margin-top:8px">${esc(family.product)} · 场景 <span id="scene">${esc(session.scene)}</span></div></div>
<div class="card"><dl>${identity}</dl></div>
<div class="card"><div class="muted">认证步骤</div><ol id="steps">${steps}</ol>
<p class="muted">aopgate 沙箱：选择本次认证的结果。</p></div>
<form class="card" method="post" action="/verify/${esc(session.id)}/complete">
<button class="pass" name="outcome" value="pass" id="pass">认证通过</button>
<select name="reason" id="reason" aria-label="失败原因">${reasons}</select>
<button class="fail" name="outcome" value="fail" id="fail">认证失败</button>
</form>`,
  );
}

export function statePage(title: string, message: string, detail = ''): string {
  return layout(title, `<div class="card"><div class="state" id="state">${esc(message)}</div>${detail ? `<p class="muted">${esc(detail)}</p>` : ''}</div>`);
}
