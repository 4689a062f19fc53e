// The timeline page's inline style and script (no external resource of any kind).
export const TIMELINE_CSS = `
:root{--label:230px;--run:#4c9a5f;--drain:#e0a526;--stop:#7a8594;--red:#d7263d}
*{box-sizing:border-box}body{font:13px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:16px;color:#1d2430;background:#fff}
h1{font-size:18px;margin:0 0 8px}h2{font-size:15px;margin:18px 0 6px}h3{font-size:13px;margin:10px 0 2px;color:#3d4a5c}
table{border-collapse:collapse;margin:4px 0 10px}td,th{border:1px solid #d5dae1;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f2f4f7;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:9px;color:#fff;font-weight:600}
.passed,.v-true{background:#2e7d32}.failed,.v-false{background:var(--red)}.errored,.interrupted,.v-unknown{background:#8a6d00}
code{background:#f2f4f7;padding:1px 4px;border-radius:3px;word-break:break-all}
.note{border-left:4px solid var(--red);padding:4px 10px;background:#fff1f3}
.legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:14px;height:10px;vertical-align:middle;margin-right:4px}
.controls{margin:8px 0}.controls button{margin-right:6px}
.chart{position:relative;width:calc(var(--label) + 1100px)}
.row{display:flex;align-items:center;min-height:12px}.row .label{width:var(--label);flex:none;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;padding-right:6px;font-size:11px}
.bot .label{padding-left:18px;color:#3d4a5c}.bot.out .label{color:#9aa3ae}.bot{height:12px}
details.group>summary{list-style:none;cursor:pointer}details.group>summary::-webkit-details-marker{display:none}
details.group>summary .label::before{content:"▸ ";}details.group[open]>summary .label::before{content:"▾ ";}
details.group>summary:hover{background:#f5f7fa}
svg{display:block;overflow:visible}text{font-size:10px;fill:#3d4a5c;text-anchor:middle}
.band.Running{fill:var(--run)}.band.Draining{fill:var(--drain)}.band.Stopped{fill:var(--stop)}
.bot .band{opacity:.55}.fx{stroke:#1d2430;stroke-width:.6}.fx-cancel{stroke:#1f5fbf;stroke-width:.6}.agg-fx{stroke-width:.4;opacity:.6}
.post-flip,.post-flip-agg{fill:var(--red)}.restart{fill:#0b7a75}.daemon-exit{fill:var(--red)}.daemon-start{fill:#0b7a75}.daemon-shutdown-requested{fill:#b26b00}.daemon-drained{fill:#0b7a75}.daemon-drain-timeout{fill:var(--red)}
.grid{stroke:#9aa3ae}
.marker{position:absolute;top:0;bottom:0;width:0;border-left:2px solid;pointer-events:none}
.marker.issued{border-color:#1f5fbf}.marker.engaged{border-color:#1f5fbf;border-left-style:dashed}
.marker.release-issued{border-color:#0b7a75}.marker.released{border-color:#0b7a75;border-left-style:dashed}
.window{position:absolute;top:0;bottom:0;background:rgba(215,38,61,.07);border-left:1px dotted var(--red);border-right:1px dotted var(--red);pointer-events:none}
.fault-bar{fill:rgba(215,38,61,.35)}.lever-tag{font-weight:600}.load-rps{fill:#5b6fb5}.load-err{fill:#d7263d}
`;

export const TIMELINE_JS = `
(function(){
  var groups=function(){return document.querySelectorAll('details.group');};
  document.getElementById('expand-all').addEventListener('click',function(){groups().forEach(function(d){d.open=true;});});
  document.getElementById('collapse-all').addEventListener('click',function(){groups().forEach(function(d){d.open=false;});});
  var find=document.getElementById('find-bot');
  find.addEventListener('change',function(){
    var slug=find.value.trim();if(!slug)return;
    var lane=null;document.querySelectorAll('[data-bot]').forEach(function(el){if(el.getAttribute('data-bot')===slug)lane=el;});
    if(!lane){find.setCustomValidity('no such bot');find.reportValidity();return;}
    find.setCustomValidity('');var g=lane.closest('details');if(g)g.open=true;
    lane.scrollIntoView({block:'center'});lane.style.outline='2px solid #1f5fbf';
    setTimeout(function(){lane.style.outline='';},2000);
  });
})();
`;
