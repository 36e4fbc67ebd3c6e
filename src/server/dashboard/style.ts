/** The dashboard's stylesheet (served as /ui/static/dashboard.css): small, readable, high contrast. */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --fg: #1c1917; --muted: #57534e; --line: #d6d3d1; --bg: #fafaf9; --accent: #1d4ed8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { background: #1c1917; color: #fff; padding: .5rem 1rem; }
header a { color: #fff; font-weight: 600; }
main { padding: 1rem; max-width: 1200px; margin: 0 auto; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f5f5f4; font-weight: 600; }
code, pre, .mono { font-family: ui-monospace, monospace; font-size: 13px; }
pre.log { background: #0c0a09; color: #e7e5e4; padding: .6rem; max-height: 28rem; overflow: auto; white-space: pre-wrap; word-break: break-all; }
pre.prompt { background: #fff; border: 1px solid var(--line); padding: .6rem; white-space: pre-wrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
form.inline { display: inline; }
form.start { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; background: #fff; border: 1px solid var(--line); padding: .75rem; }
form.start label { display: flex; flex-direction: column; font-weight: 600; font-size: .9rem; }
input, select { font: inherit; padding: .3rem .4rem; border: 1px solid #78716c; border-radius: 3px; }
button { font: inherit; padding: .3rem .8rem; border: 1px solid #1c1917; border-radius: 3px; background: #fff; cursor: pointer; }
button.primary { background: var(--accent); color: #fff; border-color: var(--accent); }
button.danger { color: #991b1b; border-color: #991b1b; }
.status { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-weight: 600; white-space: nowrap; border: 1px solid currentColor; }
.s-landed, .s-succeeded, .s-completed { color: #14532d; background: #dcfce7; }
.s-failed, .s-expired { color: #7f1d1d; background: #fee2e2; }
.s-running, .s-queued { color: #1e3a8a; background: #dbeafe; }
.s-pending, .s-interrupted { color: #713f12; background: #fef9c3; }
.s-cancelled, .s-skipped { color: #292524; background: #e7e5e4; }
.reason { color: #7f1d1d; }
.waits { color: var(--muted); }
.error { border: 2px solid #991b1b; background: #fee2e2; color: #7f1d1d; padding: .5rem .75rem; }
.empty { color: var(--muted); }
progress { width: 8rem; }
.timeline { background: #fff; border: 1px solid var(--line); }
.timeline .bar-label { font: 11px ui-monospace, monospace; fill: #fff; }
.timeline .lane-label, .timeline .axis { font: 12px system-ui, sans-serif; fill: #1c1917; }
.legend span { margin-right: 1rem; }
.legend i { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle; margin-right: .3rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.d2h-wrapper { background: #fff; }
/* diff2html's own greys and greens are too faint to read (axe: colour contrast). */
.d2h-tag { color: #1c1917 !important; background: #fff !important; }
.d2h-lines-added { color: #14532d !important; }
.d2h-lines-deleted { color: #7f1d1d !important; }
.d2h-info, .d2h-info .d2h-code-line, .d2h-code-linenumber, .d2h-code-side-linenumber { color: #44403c !important; }
.d2h-file-list-title, .d2h-file-switch { color: #1c1917 !important; }
`;
