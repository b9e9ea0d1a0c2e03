/** The panel's styles, inside its shadow root: nothing leaks in from the page or out to it. */
export const STYLES = `
:host{all:initial}
*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:999px;padding:12px 18px;background:var(--sl-accent,#4338ca);color:#fff;font-size:15px;font-weight:600;cursor:pointer;box-shadow:0 6px 20px rgba(15,23,42,.25);display:flex;gap:8px;align-items:center}
.launcher:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.panel{position:fixed;right:20px;bottom:80px;z-index:2147483000;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 110px);background:#fff;color:#0f172a;border-radius:14px;box-shadow:0 12px 40px rgba(15,23,42,.3);display:flex;flex-direction:column;overflow:hidden;font-size:14px;line-height:1.45}
.panel[hidden]{display:none}
.top{background:var(--sl-accent,#4338ca);color:#fff;padding:14px 16px;display:flex;align-items:center;justify-content:space-between}
.top h2{margin:0;font-size:16px}
.top p{margin:2px 0 0;font-size:12px;opacity:.85}
.close{background:transparent;border:0;color:#fff;font-size:22px;line-height:1;cursor:pointer;padding:4px 8px;border-radius:6px}
.close::before{content:'\\00d7'}
.body{flex:1;overflow:auto;padding:16px;display:flex;flex-direction:column;gap:12px}
h3{margin:0;font-size:15px}
p{margin:0}
.muted{color:#475569;font-size:13px}
label{display:flex;flex-direction:column;gap:4px;font-size:13px;font-weight:600;color:#334155}
input,textarea{font:inherit;font-weight:400;border:1px solid #cbd5e1;border-radius:8px;padding:8px 10px;color:#0f172a;background:#fff}
textarea{resize:none;min-height:64px}
.primary{border:0;border-radius:8px;padding:10px 14px;background:var(--sl-accent,#4338ca);color:#fff;font-weight:600;cursor:pointer;font-size:14px}
.primary[disabled]{opacity:.6;cursor:default}
.link{background:none;border:0;color:var(--sl-accent,#4338ca);text-decoration:underline;cursor:pointer;padding:0;font-size:13px}
.countdown{font-size:40px;font-weight:700;text-align:center;font-variant-numeric:tabular-nums}
.bar{height:6px;background:#e2e8f0;border-radius:3px;overflow:hidden}
.bar span{display:block;height:100%;background:var(--sl-accent,#4338ca);transition:width .25s linear}
.log{display:flex;flex-direction:column;gap:8px;margin:0;padding:0;list-style:none}
.msg{max-width:80%;padding:8px 12px;border-radius:12px;background:#f1f5f9;align-self:flex-start;white-space:pre-wrap;word-wrap:break-word}
.msg.me{align-self:flex-end;background:var(--sl-accent,#4338ca);color:#fff}
.msg.sys{align-self:center;background:none;color:#64748b;font-size:12px}
.meta{display:block;font-size:11px;opacity:.75;margin-top:2px}
.typing{font-size:12px;color:#64748b;min-height:16px}
.composer{display:flex;gap:8px;border-top:1px solid #e2e8f0;padding:10px}
.composer textarea{flex:1;min-height:40px;height:40px}
.slots{display:flex;flex-direction:column;gap:10px}
.day{display:flex;flex-wrap:wrap;gap:6px}
.day h4{width:100%;margin:0;font-size:13px;color:#334155}
.slot{border:1px solid #c7d2fe;background:#eef2ff;color:#3730a3;border-radius:8px;padding:6px 10px;cursor:pointer;font-size:13px}
.slot[aria-pressed=true]{background:var(--sl-accent,#4338ca);color:#fff;border-color:transparent}
.error{color:#b91c1c;font-size:13px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
