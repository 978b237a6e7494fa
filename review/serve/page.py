"""The app's page: the HTML report itself, with a decisions panel and the script that adds the controls.

The report (:mod:`review.report.html`) is rendered with the stored decisions,
so the page reads the same as ``report.html`` and shows each decision after a
reload even before any script runs; :data:`SERVE_JS` adds Confirm / False alarm /
Note controls to every finding and Accept / Reject to every name proposal, and
sends them to the JSON API.
"""
from __future__ import annotations

import html
import json
from typing import Any

from review.checks.registry import checks_where
from review.serve.app import ReviewApp

SERVE_CSS = """<style>
#serve-panel{border-color:#b9cbf5;background:#f7f9ff}
#serve-panel .row{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;font-size:13px}
#dec-counts b{font-variant-numeric:tabular-nums}
#serve-status{min-height:1.4em;font-size:12.5px;margin-top:4px}
#serve-status.bad{color:var(--crit)}#serve-status.ok{color:#17633a}
.decide{display:inline-flex;flex-wrap:wrap;gap:4px;margin-left:8px;vertical-align:middle}
.decide button,.pdecide button{font-size:11.5px;padding:0 7px;border-radius:10px}
.decide button.on[data-v=confirmed],.pdecide button.on[data-v=accepted]{background:#17633a;border-color:#17633a;color:#fff}
.decide button.on[data-v=false_alarm],.pdecide button.on[data-v=rejected]{background:#4b5563;border-color:#4b5563;color:#fff}
.decide .note-in{font:inherit;font-size:12px;border:1px solid var(--line);border-radius:6px;padding:0 6px;width:260px}
body.hide-fa li.finding.dec-false_alarm{display:none}
td.pdecide{white-space:nowrap}td.pdecide select{font-size:12px}
</style>"""

SERVE_JS = r"""<script>
(function(){
'use strict';
var status=document.getElementById('serve-status');
var panel=document.getElementById('serve-panel');
var writable=panel.getAttribute('data-glossary-writable')==='true';
var LABEL={confirmed:'confirmed',false_alarm:'false alarm'};
var PROFILE=document.getElementById('serve-panel').getAttribute('data-profile')||'';var body;
var byF={};
document.querySelectorAll('li.finding[data-fp]').forEach(function(li){byF[li.getAttribute('data-f')]=li;});
function say(msg,bad){status.textContent=msg;status.className=bad?'bad':'ok';}
function post(url,body){
  return fetch(url,{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify(body),
                    credentials:'same-origin'}).then(function(r){
    return r.json().then(function(j){if(!r.ok)throw new Error(j.error||('HTTP '+r.status));return j;});});
}
function showCounts(c){
  if(!c)return;
  document.getElementById('dec-counts').innerHTML='';
  var el=document.getElementById('dec-counts');
  [['findings',c.findings],['confirmed',c.confirmed],['false alarms',c.false_alarm],['open',c.open]].forEach(function(kv,k){
    if(k)el.appendChild(document.createTextNode(' · '));
    var b=document.createElement('b');b.textContent=kv[1];el.appendChild(b);el.appendChild(document.createTextNode(' '+kv[0]));
  });
}
var INFO=JSON.parse(panel.getAttribute('data-informational')||'[]');
function syncMarks(){
  // a highlight is muted when every finding it shows (bar those that only describe the input) is a false alarm
  document.querySelectorAll('mark.hl').forEach(function(m){
    var ids=m.getAttribute('data-f').split(' ').filter(function(id){
      return byF[id]&&INFO.indexOf(byF[id].getAttribute('data-check'))<0;});
    m.classList.toggle('fa',ids.length>0&&ids.every(function(id){return byF[id].getAttribute('data-decision')==='false_alarm';}));
  });
}
function sync(li){
  var v=li.getAttribute('data-decision')||'';
  li.querySelectorAll('.dec-btn').forEach(function(b){
    var on=b.getAttribute('data-v')===v;b.classList.toggle('on',on);b.setAttribute('aria-pressed',on?'true':'false');});
  li.classList.toggle('dec-confirmed',v==='confirmed');li.classList.toggle('dec-false_alarm',v==='false_alarm');
}
function controls(li){
  var box=document.createElement('div');box.className='decide';
  box.innerHTML='<button type="button" class="dec-btn" data-v="confirmed" title="The finding is right">Confirm</button>'+
    '<button type="button" class="dec-btn" data-v="false_alarm" title="Not an error: leave it out of the worklist">False alarm</button>'+
    (PROFILE?'<button type="button" class="ign-btn" title="A false alarm here and everywhere: add the flagged text to the profile\'s ignore list">Ignore everywhere</button>':'')+
    '<button type="button" class="note-btn">Note</button>'+
    '<span class="note-edit" hidden><input type="text" class="note-in" maxlength="4000" placeholder="Note for this finding"> '+
    '<button type="button" class="note-save">Save</button></span>';
  var note=li.querySelector('.dec-note');
  if(note)box.querySelector('.note-in').value=note.textContent.replace(/^Note: /,'');
  li.appendChild(box);sync(li);
}
function render(li,d){
  var v=d&&d.verdict?d.verdict:'';
  if(v)li.setAttribute('data-decision',v);else li.removeAttribute('data-decision');
  ['.dec-tag','.dec-note'].forEach(function(s){var e=li.querySelector(s);if(e)e.remove();});
  if(d){
    var tag=document.createElement('span');tag.className='dec-tag dec-'+(v||'noted');
    tag.textContent=LABEL[v]||'note';tag.title='Reviewer decision, '+d.updated_at;
    var msg=li.querySelector('.msg');msg.parentNode.insertBefore(tag,msg.nextSibling);
    if(d.note){var n=document.createElement('div');n.className='dec-note';n.textContent='Note: '+d.note;
      li.insertBefore(n,li.querySelector('.decide'));}
  }
  sync(li);syncMarks();
}
function decide(li,body){
  body.fingerprint=li.getAttribute('data-fp');
  return post('/api/decision',body).then(function(j){render(li,j.decision);showCounts(j.counts);
    say(j.decision?('Saved: '+(LABEL[j.decision.verdict]||'note')+'.'):'Decision cleared.');})
  .catch(function(err){say('Not saved: '+err.message,true);});
}
function propControls(tr){
  var td=document.createElement('td');td.className='pdecide';
  var forms=[];tr.querySelectorAll('.chip').forEach(function(c){var q=c.getAttribute('data-q');if(/[\uac00-\ud7a3]/.test(q))forms.push(q);});
  if(forms.length>1){
    var sel=document.createElement('select');sel.className='pref';sel.title='Preferred spelling';
    forms.forEach(function(f){var o=document.createElement('option');o.value=f;o.textContent=f;sel.appendChild(o);});
    td.appendChild(sel);td.appendChild(document.createTextNode(' '));
  }
  [['accepted','Accept'],['rejected','Reject'],['undo','Undo']].forEach(function(kv){
    var b=document.createElement('button');b.type='button';b.className='prop-btn';b.setAttribute('data-v',kv[0]);b.textContent=kv[1];
    if(kv[0]==='accepted'&&!writable){b.disabled=true;b.title=panel.getAttribute('data-glossary-reason');}
    td.appendChild(b);td.appendChild(document.createTextNode(' '));
  });
  tr.appendChild(td);syncProp(tr);
}
function syncProp(tr){
  var v=tr.getAttribute('data-decision')||'';
  tr.querySelectorAll('.prop-btn').forEach(function(b){
    var kind=b.getAttribute('data-v'), on=kind===v;
    b.classList.toggle('on',on);b.setAttribute('aria-pressed',on?'true':'false');
    if(kind==='undo'){b.hidden=!v;b.disabled=false;b.title='Undo this decision'+(v==='accepted'?' (the glossary entry goes back to what it was)':'');}
    else if(kind==='accepted'&&!writable){b.disabled=true;}
    else{b.disabled=v==='accepted';}
  });
  var sel=tr.querySelector('select.pref');if(sel)sel.disabled=v==='accepted';
}
function renderProp(tr,d,changed){
  var old=tr.querySelector('.tag.dec');if(old)old.remove();
  if(!d){tr.removeAttribute('data-decision');syncProp(tr);
    say(changed?'Undone: the glossary entry is back as it was.':'Decision undone.');return;}
  tr.setAttribute('data-decision',d.verdict);
  var tag=document.createElement('span');tag.className='tag dec dec-'+d.verdict;tag.textContent=d.verdict;tag.title=d.updated_at;
  tr.querySelector('td.gl-en').appendChild(tag);
  syncProp(tr);
  say(d.verdict==='accepted'?('Written to the glossary '+d.glossary+' (entry '+d.entry_id+'): the other spellings deprecated'+(changed?'.':'; it had these spellings already.')):'Proposal rejected.');
}
document.querySelectorAll('li.finding[data-fp]').forEach(controls);
var head=document.querySelector('#glossary table.gloss thead tr');
if(head){var th=document.createElement('th');th.textContent='Decision';head.appendChild(th);}
document.querySelectorAll('#glossary tr[data-key]').forEach(propControls);
document.addEventListener('click',function(e){
  var b=e.target.closest('.dec-btn,.ign-btn,.note-btn,.note-save,.prop-btn');if(!b)return;
  var li=b.closest('li.finding');
  if(b.classList.contains('ign-btn')){
    body={verdict:'false_alarm',everywhere:true,fingerprint:li.getAttribute('data-fp')};
    post('/api/decision',body).then(function(j){render(li,j.decision);showCounts(j.counts);
      var ig=j.ignored_everywhere;say('Ignored everywhere: "'+ig.text+'" '+(ig.added?'added to ':'already in ')+ig.profile+'.');})
    .catch(function(err){say('Not saved: '+err.message,true);});
  }else if(b.classList.contains('dec-btn')){
    var v=b.getAttribute('data-v');decide(li,{verdict:li.getAttribute('data-decision')===v?null:v});
  }else if(b.classList.contains('note-btn')){
    var ed=li.querySelector('.note-edit');ed.hidden=!ed.hidden;if(!ed.hidden)ed.querySelector('input').focus();
  }else if(b.classList.contains('note-save')){
    decide(li,{note:li.querySelector('.note-in').value}).then(function(){li.querySelector('.note-edit').hidden=true;});
  }else{
    var tr=b.closest('tr');var v=b.getAttribute('data-v');
    var body={key:tr.getAttribute('data-key'),verdict:v==='undo'?null:v};
    var sel=tr.querySelector('select.pref');if(sel&&body.verdict==='accepted')body.preferred=sel.value;
    post('/api/proposal',body).then(function(j){renderProp(tr,j.decision,j.changed);})
      .catch(function(err){say('Not saved: '+err.message,true);});
  }
});
document.addEventListener('keydown',function(e){
  if(e.key==='Enter'&&e.target.classList&&e.target.classList.contains('note-in')){
    e.target.closest('li.finding').querySelector('.note-save').click();}
});
document.getElementById('hide-fa').addEventListener('change',function(e){document.body.classList.toggle('hide-fa',e.target.checked);});
syncMarks();
})();
</script>"""


def _panel(state: dict[str, Any]) -> str:
    c = state["counts"]
    g = state["glossary"]
    esc = html.escape
    glossary = (f'Accepted names go to <code>{esc(g["path"])}</code>.' if g["writable"]
                else f'<span class="muted">Proposals can be rejected but not accepted: {esc(g["reason"])}.</span>')
    p = state["profile"]
    profile = (f'"Ignore everywhere" adds a text to <code>{esc(p["path"])}</code>.' if p["path"]
               else f'<span class="muted">{esc(p["reason"])}.</span>')
    return (
        f'<section id="serve-panel" class="panel" data-glossary-writable="{"true" if g["writable"] else "false"}" '
        f'data-glossary-reason="{esc(g["reason"])}" data-profile="{esc(state["profile"]["path"] or "")}" '
        f'data-informational="{esc(json.dumps(sorted(checks_where(lambda s: s.informational))))}">'
        '<h2>Reviewer decisions</h2>'
        '<p class="small">Mark each finding <b>Confirm</b> or <b>False alarm</b> and add a note; accept or reject '
        'the name proposals in the Names panel. Decisions are saved at once in '
        f'<code>{esc(state["out_dir"])}/decisions.sqlite</code>, keyed by the segment\'s text, so they survive a '
        'rerun of <code>mtreview review</code>; false alarms are left out of the worklist.</p>'
        f'<div class="row"><span id="dec-counts"><b>{c["findings"]}</b> findings · <b>{c["confirmed"]}</b> confirmed · '
        f'<b>{c["false_alarm"]}</b> false alarms · <b>{c["open"]}</b> open</span>'
        '<label><input type="checkbox" id="hide-fa"> hide false alarms</label>'
        f'<span>{glossary}</span> <span>{profile}</span></div><div id="serve-status" role="status" aria-live="polite"></div></section>')


def render_page(app: ReviewApp) -> str:
    """The whole page for ``GET /``."""
    from review.report.html import render_html_report

    loaded = app.load()
    state = app.state()
    doc_ids = ", ".join(dict.fromkeys(p.doc_id for p in loaded.pairs)) or "(empty)"
    return render_html_report(
        loaded.header, loaded.pairs,
        glossary_proposals=list(loaded.proposals) if loaded.proposals is not None else None,
        reference=loaded.reference, decisions=app.decisions(), title=f"mtreview serve · {doc_ids}",
        extra_head=SERVE_CSS, extra_top=_panel(state), extra_body=SERVE_JS)
