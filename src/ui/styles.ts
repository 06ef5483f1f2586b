/**
 * The panel's stylesheet, adopted into the shadow root (see `adoptCss`).
 *
 * The last rule keeps the cost of a frame from growing with the answer: each
 * block of an answer that is off screen is skipped by style, layout and paint
 * (its size remembered once it has been shown), so a long transcript and its
 * code blocks (each its own horizontal scroller, which the compositor would
 * otherwise layerize every frame) cost only what is visible.
 */
export const PANEL_CSS = `
.wmc-root{--wmc-accent:#2f5bea;--wmc-on-accent:#fff;--wmc-bg:#fff;--wmc-fg:#1b1f24;--wmc-muted:#5f6b7a;--wmc-surface:#f3f5f8;--wmc-border:#d8dee6;--wmc-danger:#b42318;--wmc-warn:#9a6700;--wmc-radius:14px;--wmc-font:system-ui,sans-serif;--wmc-font-size:15px;--wmc-width:400px;--wmc-height:min(640px,calc(100vh - 110px));--wmc-z:2147483000;color-scheme:light}
.wmc-root[data-scheme=dark]{--wmc-bg:#16191d;--wmc-fg:#e8eaed;--wmc-muted:#9aa4b1;--wmc-surface:#22262c;--wmc-border:#343a42;--wmc-danger:#ff8a80;--wmc-warn:#f2c94c;color-scheme:dark}
@media (prefers-color-scheme:dark){.wmc-root[data-scheme=auto]{--wmc-bg:#16191d;--wmc-fg:#e8eaed;--wmc-muted:#9aa4b1;--wmc-surface:#22262c;--wmc-border:#343a42;--wmc-danger:#ff8a80;--wmc-warn:#f2c94c;color-scheme:dark}}
.wmc-panel{position:fixed;z-index:var(--wmc-z);width:var(--wmc-width);height:var(--wmc-height);display:flex;flex-direction:column;background:var(--wmc-bg);color:var(--wmc-fg);font:var(--wmc-font-size)/1.45 var(--wmc-font);border:1px solid var(--wmc-border);border-radius:var(--wmc-radius);box-shadow:0 12px 40px rgba(0,0,0,.22);overflow:hidden;animation:wmc-in .18s ease-out}
.wmc-panel,.wmc-panel *{box-sizing:border-box}
[data-corner$=right] .wmc-panel{right:20px}[data-corner$=left] .wmc-panel{left:20px}[data-corner^=top] .wmc-panel{top:88px}[data-corner^=bottom] .wmc-panel{bottom:88px}
:host([inline]){display:block;height:100%}.wmc-inline{height:100%}.wmc-inline .wmc-panel{position:relative;inset:auto;width:100%;height:100%;box-shadow:none;animation:none}
@media (max-width:480px){.wmc-root:not(.wmc-inline) .wmc-panel{inset:0;width:100%;height:100%;border-radius:0;border:0}}
@keyframes wmc-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){.wmc-panel,.wmc-panel *{animation:none!important;transition:none!important}}
.wmc-header{display:flex;align-items:center;gap:8px;padding:10px 12px 10px 16px;background:var(--wmc-accent);color:var(--wmc-on-accent)}
.wmc-header h2{flex:1;margin:0;font-size:1.05em;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
button{font:inherit;cursor:pointer;border-radius:8px;border:1px solid var(--wmc-border);background:var(--wmc-surface);color:var(--wmc-fg);padding:6px 12px}
.wmc-panel :focus-visible{outline:3px solid var(--wmc-accent);outline-offset:2px}
button:disabled{opacity:.5;cursor:default}
.wmc-primary{background:var(--wmc-accent);color:var(--wmc-on-accent);border-color:transparent}
.wmc-icon{background:transparent;border:0;color:inherit;padding:6px;line-height:0}.wmc-icon svg{width:20px;height:20px;stroke:currentColor;stroke-width:2}
.wmc-log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:12px;overscroll-behavior:contain}
.wmc-msg{max-width:92%;padding:9px 13px;border-radius:var(--wmc-radius);overflow-wrap:anywhere;unicode-bidi:isolate;overflow-x:clip}
.wmc-user{align-self:flex-end;background:var(--wmc-accent);color:var(--wmc-on-accent);white-space:pre-wrap}
.wmc-assistant{align-self:flex-start;background:var(--wmc-surface)}
.wmc-welcome{color:var(--wmc-muted)}
.wmc-md>:first-child{margin-top:0}.wmc-md>:last-child{margin-bottom:0}
.wmc-md :is(p,ul,ol,pre,blockquote){margin:.5em 0}.wmc-md li>p{margin:.15em 0}
.wmc-md :is(ul,ol){padding-inline-start:1.4em}.wmc-md :is(h1,h2,h3,h4,h5,h6){font-size:1.05em;margin:.7em 0 .3em}
.wmc-md h1{font-size:1.25em}.wmc-md h2{font-size:1.15em}
.wmc-md blockquote{border-inline-start:3px solid var(--wmc-border);padding-inline-start:10px;color:var(--wmc-muted)}
.wmc-md :is(ul,ol,blockquote) :is(ul,ol,blockquote) :is(ul,ol,blockquote) :is(ul,ol,blockquote) :is(ul,ol,blockquote) :is(ul,ol,blockquote){padding-inline-start:0;border-inline-start:0;margin-inline:0}
.wmc-md code{font:.9em ui-monospace,Menlo,Consolas,monospace;background:var(--wmc-bg);padding:.1em .3em;border-radius:4px}
.wmc-md pre{background:var(--wmc-bg);border:1px solid var(--wmc-border);padding:8px 10px;border-radius:8px;overflow-x:auto}
.wmc-md pre code{background:none;padding:0;white-space:pre}
.wmc-md a{color:var(--wmc-accent);text-decoration:underline}.wmc-md hr{border:0;border-top:1px solid var(--wmc-border)}
.wmc-md img{max-width:100%;height:auto;border-radius:6px}.md-img{font-style:italic}
.wmc-reasoning{color:var(--wmc-muted);font-size:.92em}
.wmc-card{align-self:stretch;margin:0;min-inline-size:0;border:1px solid var(--wmc-border);border-radius:10px;padding:8px 10px;font-size:.92em;background:var(--wmc-bg)}
.wmc-card-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px}.wmc-card-name{font-weight:600;overflow-wrap:anywhere}
.wmc-card-origin,.wmc-elapsed{color:var(--wmc-muted);font-size:.9em}.wmc-status{margin-inline-start:auto;font-size:.9em}
.wmc-status:is([data-status=failed],[data-status=timed-out],[data-status=interrupted]){color:var(--wmc-danger)}
.wmc-untrusted{display:inline-block;margin-top:4px;color:var(--wmc-warn);font-size:.9em}
.wmc-card details{margin-top:4px}.wmc-card summary{cursor:pointer;color:var(--wmc-muted)}
.wmc-card pre{margin:4px 0 0;max-height:200px;overflow:auto;background:var(--wmc-surface);padding:6px 8px;border-radius:6px;font:.85em ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere}
.wmc-approval{border-color:var(--wmc-accent)}.wmc-approval p{margin:6px 0}.wmc-actions{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.wmc-error{margin:0 12px 8px;padding:8px 10px;border:1px solid var(--wmc-danger);border-radius:8px;color:var(--wmc-danger);display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.wmc-error p{flex:1;margin:0;min-width:60%}
.wmc-composer{display:flex;gap:8px;padding:10px 12px;border-top:1px solid var(--wmc-border);align-items:flex-end}
.wmc-composer textarea{flex:1;resize:none;max-height:140px;min-height:40px;padding:9px 10px;border:1px solid var(--wmc-border);border-radius:10px;font:inherit;background:var(--wmc-bg);color:var(--wmc-fg)}
.wmc-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.wmc-md>*,.wmc-chunk{content-visibility:auto;contain-intrinsic-size:auto 20em auto 1.5em}.wmc-chunk{display:block}
`;

/** The shopper-facing additions (approval values, typing dots), kept apart from the rules above. */
export const SHOPPER_CSS = `
.wmc-summary{font-weight:600}.wmc-reason{color:var(--wmc-muted)}
.wmc-values{margin:6px 0;display:grid;gap:2px}.wmc-values div{display:flex;flex-wrap:wrap;gap:0 6px}.wmc-values dt{color:var(--wmc-muted)}.wmc-values dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.wmc-typing{display:flex;gap:5px;padding:14px}.wmc-typing span{width:7px;height:7px;border-radius:50%;background:var(--wmc-muted);animation:wmc-dot 1.2s infinite}
.wmc-typing span:nth-child(2){animation-delay:.2s}.wmc-typing span:nth-child(3){animation-delay:.4s}@keyframes wmc-dot{40%{opacity:.25}}
.wmc-root[data-small]:not(.wmc-inline) .wmc-panel{inset:auto;left:var(--wmc-vl);top:var(--wmc-vt);width:var(--wmc-vw);height:var(--wmc-vh);border-radius:0;border:0}
`;
