/** The console's stylesheet: system fonts, no images, readable from 320px phones to desktops. */
export const CONSOLE_CSS = `:root {
  color-scheme: light dark;
  --fg: #1b1f24; --muted: #5b6570; --bg: #f6f7f9; --card: #fff; --line: #d8dde3;
  --accent: #1660d6; --bad: #b42318; --bad-bg: #fdecea; --good: #137333; --warn-bg: #fff6db;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e8eb; --muted: #9aa4ae; --bg: #14171a; --card: #1d2126; --line: #333a42; --accent: #6ea8ff;
    --bad: #ff8a80; --bad-bg: #3a1f1d; --good: #7ad78f; --warn-bg: #3a3220; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); }
code, pre, textarea, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { white-space: pre-wrap; word-break: break-all; margin: 0; padding: 8px; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
h1 { font-size: 18px; margin: 0; }
h2 { font-size: 17px; margin: 0; }
h3 { font-size: 15px; margin: 0 0 6px; }
.muted { color: var(--muted); font-weight: normal; }
.top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px;
  padding: 8px 12px; background: var(--card); border-bottom: 1px solid var(--line); }
#tabs { display: flex; flex-wrap: wrap; gap: 4px; flex: 1; }
#logout { margin-left: auto; }
#tabs[hidden] { display: none; }
#tabs a { padding: 6px 10px; border-radius: 6px; color: var(--fg); text-decoration: none; }
#tabs a[aria-current="page"] { background: var(--accent); color: #fff; }
main { padding: 12px; max-width: 1200px; margin: 0 auto; }
.panel, .card { scroll-margin-top: 64px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin: 0 0 12px; }
.narrow { max-width: 460px; }
.warn { background: var(--warn-bg); }
summary { cursor: pointer; font-weight: 600; }
label { display: flex; flex-direction: column; gap: 2px; font-size: 13px; color: var(--muted); }
label.check { flex-direction: row; align-items: center; gap: 6px; color: var(--fg); }
input, select, textarea, button { font: inherit; color: inherit; }
input, select, textarea { padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--card); min-width: 0; }
textarea { width: 100%; }
button { padding: 6px 12px; border: 1px solid var(--accent); border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
button.ghost { background: transparent; color: var(--accent); }
button.danger { background: var(--bad); border-color: var(--bad); }
button:disabled { opacity: .5; cursor: default; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 8px; align-items: end; margin-top: 8px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin-bottom: 12px; }
.filters label { flex: 1 1 120px; }
.bar { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin: 16px 0 8px; }
.bar h2 { min-width: 0; overflow-wrap: anywhere; }
#journal-detail .bar { margin-top: 0; }
#notifications-list { grid-template-columns: 1fr; }
.error { color: var(--bad); background: var(--bad-bg); padding: 6px 8px; border-radius: 6px; }
.error[hidden], .status[hidden] { display: none; }
.status { padding: 6px 8px; border-radius: 6px; background: var(--card); border: 1px solid var(--line); }
.cards { display: grid; gap: 12px; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; min-width: 0; }
.card h3 { word-break: break-all; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 6px 0; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; }
.badge { justify-self: start; display: inline-block; padding: 1px 6px; border-radius: 10px; font-size: 12px; border: 1px solid var(--line); }
.badge.good { color: var(--good); border-color: var(--good); }
.badge.bad { color: var(--bad); border-color: var(--bad); }
.alarm { color: var(--bad); background: var(--bad-bg); border: 2px solid var(--bad); border-radius: 8px; padding: 8px 10px; margin: 8px 0; }
.alarm strong { display: block; }
.scroll { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); white-space: nowrap; }
tr.clickable { cursor: pointer; }
tr.clickable:hover, tr.clickable:focus { background: var(--bg); outline: none; }
tr.selected { background: var(--warn-bg); }
tr.bad td:first-child { box-shadow: inset 3px 0 var(--bad); }
table.params td { word-break: break-all; }
table.params td:first-child { white-space: nowrap; width: 1%; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.side > div { min-width: 0; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.actions input:not([type="checkbox"]) { width: 9em; }
.identity { white-space: nowrap; font-size: 13px; }
ol.history { margin: 0; padding-left: 18px; }
@media (max-width: 600px) {
  main { padding: 8px; }
  .top { position: static; padding: 6px 8px; gap: 4px 8px; }
  h1 { font-size: 16px; }
  #tabs { order: 3; flex-basis: 100%; gap: 2px; }
  #tabs a { padding: 4px 8px; }
  #logout { padding: 2px 10px; }
  .panel, .card { scroll-margin-top: 0; }
  .cards { grid-template-columns: 1fr; }
  .side { grid-template-columns: 1fr; }
  .scroll { border: 0; background: transparent; }
  table.collapse thead { display: none; }
  table.collapse, table.collapse tbody, table.collapse tr, table.collapse td { display: block; width: 100%; }
  table.collapse tr { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 8px; padding: 4px 0; }
  table.collapse td { border: 0; padding: 2px 10px; display: grid; grid-template-columns: 7.5em 1fr; gap: 8px; word-break: break-all; }
  table.collapse td::before { content: attr(data-label); color: var(--muted); font-size: 12px; }
  tr.bad td:first-child { box-shadow: none; }
  tr.bad { border-left: 4px solid var(--bad) !important; }
}
`;
