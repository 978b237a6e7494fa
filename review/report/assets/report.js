/* The report's script: filters, priority sort, "next major", the "Fix first" links, name chips.
   Built for large documents: the DOM is read once at start into plain arrays, and a filter change
   writes only the elements whose state changes.  Informational notes (no-source) are badges, not
   findings: no filter counts them. */
(function(){
'use strict';
var flat=document.getElementById('flat');
var CHUNK=40, PAIR_H=70;  // pairs per lazily rendered chunk, estimated pair height (as html.py)
var docChunks=Array.prototype.slice.call(document.querySelectorAll('#doc div.chunk')), flatChunks=[];
var chunkIndex=new Map();docChunks.forEach(function(c,k){chunkIndex.set(c,k);});
var pairEls=document.querySelectorAll('article.pair');
var pairs=[], index={};
for(var k=0;k<pairEls.length;k++){
  var el=pairEls[k];
  pairs.push({el:el,home:el.parentNode,chunk:chunkIndex.get(el.parentNode.parentNode),items:[],marks:[],text:null,
              hidden:false,dim:false});
  index[el.id]=k;
}
var byFinding={}, marksOf={};
document.querySelectorAll('li.finding').forEach(function(li){
  var p=pairs[index[li.closest('article.pair').id]];
  var item={li:li,id:li.getAttribute('data-f'),sev:li.getAttribute('data-sev'),cat:li.getAttribute('data-cat'),
            check:li.getAttribute('data-check'),off:false};
  p.items.push(item);byFinding[item.id]=li;
});
document.querySelectorAll('mark.hl').forEach(function(m){
  var p=pairs[index[m.closest('article.pair').id]];
  var mk={el:m,ids:m.getAttribute('data-f').split(' '),off:false};
  p.marks.push(mk);
  mk.ids.forEach(function(id){(marksOf[id]=marksOf[id]||[]).push(m);});
});
var sections=Array.prototype.slice.call(document.querySelectorAll('section.para'));
var sectionShown=sections.map(function(){return true;});
var sectionIndex=new Map();sections.forEach(function(s,k){sectionIndex.set(s,k);});
function pairText(p){
  // what "Find text" and the name chips search: the English and the Korean, not messages or the reference
  if(p.text===null){
    var src=p.el.querySelector('.src'), tgt=p.el.querySelector('.tgt'), t=tgt.textContent, ref=tgt.querySelector('.ref');
    if(ref)t=t.slice(0,t.length-ref.textContent.length);
    p.text=(src.textContent+'\n'+t).toLowerCase();
  }
  return p.text;
}
function checked(name){
  var s={};document.querySelectorAll('#toolbar input[name="'+name+'"]').forEach(function(i){if(i.checked)s[i.value]=1;});
  return s;
}
function fullCounts(chunks,key){
  var c=chunks.map(function(){return 0;});pairs.forEach(function(p){if(p[key]!==undefined)c[p[key]]++;});return c;
}
var chunkShown=fullCounts(docChunks,'chunk');  // pairs each chunk shows: all of them at first
function apply(){
  var sev=checked('sev'),cat=checked('cat'),chk=checked('check');
  var show=document.getElementById('show').value;
  var q=document.getElementById('q').value.trim().toLowerCase();
  var byPriority=document.body.classList.contains('by-priority'), chunks=byPriority?flatChunks:docChunks;
  var n=0, counts=sections.map(function(){return 0;}), inChunk=chunks.map(function(){return 0;});
  for(var k=0;k<pairs.length;k++){
    var p=pairs[k], on={}, any=false;
    for(var j=0;j<p.items.length;j++){
      var it=p.items[j], ok=!!(sev[it.sev]&&cat[it.cat]&&chk[it.check]);
      if(it.off===ok){it.off=!ok;it.li.classList.toggle('off',!ok);}
      if(ok){on[it.id]=1;any=true;}
    }
    for(j=0;j<p.marks.length;j++){
      var mk=p.marks[j], vis=false;
      for(var i=0;i<mk.ids.length;i++){if(on[mk.ids[i]]){vis=true;break;}}
      if(mk.off===vis){mk.off=!vis;mk.el.classList.toggle('off',!vis);}
    }
    var visible=(!q||pairText(p).indexOf(q)>=0)&&(show==='all'||any);
    var dim=visible&&p.items.length>0&&!any;
    if(p.hidden===visible){p.hidden=!visible;p.el.classList.toggle('hidden',!visible);}
    if(p.dim!==dim){p.dim=dim;p.el.classList.toggle('dim',dim);}
    if(visible){n++;var s=sectionIndex.get(p.home);if(s!==undefined)counts[s]++;
      var c=byPriority?p.flatChunk:p.chunk;if(c!==undefined)inChunk[c]++;}
  }
  for(k=0;k<sections.length;k++){
    var shown=counts[k]>0;
    if(sectionShown[k]!==shown){sectionShown[k]=shown;sections[k].style.display=shown?'':'none';}
  }
  // a chunk not rendered yet keeps a placeholder height: size it to the pairs it now shows
  for(k=0;k<chunks.length;k++){
    if(chunkShown[k]===inChunk[k])continue;
    chunkShown[k]=inChunk[k];
    chunks[k].style.display=inChunk[k]?'':'none';
    chunks[k].style.containIntrinsicSize=(inChunk[k]*PAIR_H+30)+'px';
  }
  document.getElementById('shown').textContent=n+' of '+pairs.length+' pairs shown';
  document.getElementById('empty').style.display=n?'none':'block';
}
function sortPairs(){
  var mode=document.getElementById('sort').value, frag=document.createDocumentFragment();
  if(mode==='priority'){
    flatChunks=[];var chunk=null;
    pairs.map(function(p,k){return {p:p,k:k,v:parseFloat(p.el.getAttribute('data-priority'))};})
      .sort(function(a,b){return (b.v-a.v)||(a.k-b.k);})
      .forEach(function(o,k){
        if(k%CHUNK===0){chunk=document.createElement('div');chunk.className='chunk';flatChunks.push(chunk);frag.appendChild(chunk);}
        o.p.flatChunk=flatChunks.length-1;chunk.appendChild(o.p.el);});
    chunkShown=fullCounts(flatChunks,'flatChunk');
    flatChunks.forEach(function(c,k){c.style.containIntrinsicSize='auto '+(chunkShown[k]*PAIR_H)+'px';});
    flat.appendChild(frag);
    document.body.classList.add('by-priority');
  }else{
    pairs.forEach(function(p){p.home.appendChild(p.el);});
    flatChunks.forEach(function(c){c.remove();});flatChunks=[];
    chunkShown=fullCounts(docChunks,'chunk');
    docChunks.forEach(function(c,k){c.style.display='';c.style.containIntrinsicSize='auto '+(chunkShown[k]*PAIR_H+30)+'px';});
    document.body.classList.remove('by-priority');
  }
}
function clearActive(){document.querySelectorAll('.active').forEach(function(e){e.classList.remove('active');});}
function activate(ids){
  clearActive();
  ids.forEach(function(id){
    if(byFinding[id])byFinding[id].classList.add('active');
    (marksOf[id]||[]).forEach(function(m){m.classList.add('active');});
  });
}
function flash(el){el.classList.remove('flash');void el.offsetWidth;el.classList.add('flash');}
function resetFilters(){
  document.querySelectorAll('#toolbar input[type=checkbox]').forEach(function(i){i.checked=true;});
  document.getElementById('show').value='all';document.getElementById('q').value='';
  apply();
}
function goTo(id){
  var p=pairs[index[id]];if(!p)return;
  if(p.hidden)resetFilters();  // a link into the document must land on its pair
  p.el.scrollIntoView({block:'start'});
  current=p.el;flash(p.el);
  activate(p.items.filter(function(it){return !it.off;}).map(function(it){return it.id;}));
}
document.addEventListener('click',function(e){
  var top=e.target.closest('a.top-link');
  if(top){e.preventDefault();var id=top.getAttribute('data-pair');goTo(id);
    if(history.replaceState)history.replaceState(null,'','#'+id);return;}
  var m=e.target.closest('mark.hl');
  if(m&&!m.classList.contains('off')){activate(m.getAttribute('data-f').split(' '));return;}
  var li=e.target.closest('li.finding');
  if(li){activate([li.getAttribute('data-f')]);return;}
  var chip=e.target.closest('.chip');
  if(chip){var q=document.getElementById('q');q.value=chip.getAttribute('data-q');current=null;apply();
    document.getElementById('toolbar').scrollIntoView();}
});
function majors(){
  var list=pairs.filter(function(p){
    return !p.hidden&&p.items.some(function(it){return !it.off&&(it.sev==='major'||it.sev==='critical');});
  }).map(function(p){return p.el;});
  if(document.body.classList.contains('by-priority'))
    list.sort(function(a,b){return a.compareDocumentPosition(b)&Node.DOCUMENT_POSITION_FOLLOWING?-1:1;});
  return list;
}
var current=null;
function jump(dir){
  var list=majors();if(!list.length)return;
  var k=current?list.indexOf(current):-1, target;
  if(k<0){
    var top=document.getElementById('toolbar').getBoundingClientRect().bottom+4;
    if(dir>0){target=list.filter(function(p){return p.getBoundingClientRect().top>top;})[0]||list[0];}
    else{var before=list.filter(function(p){return p.getBoundingClientRect().top<top-8;});target=before[before.length-1]||list[list.length-1];}
  }else{target=list[(k+dir+list.length)%list.length];}
  current=target;
  target.scrollIntoView({block:'start'});
  flash(target);
  var ids=[];target.querySelectorAll('li.finding.sev-major:not(.off),li.finding.sev-critical:not(.off)').forEach(function(li){ids.push(li.getAttribute('data-f'));});
  activate(ids);
}
document.getElementById('next-major').addEventListener('click',function(){jump(1);});
document.getElementById('prev-major').addEventListener('click',function(){jump(-1);});
document.addEventListener('keydown',function(e){
  var t=e.target.tagName;if(t==='INPUT'||t==='SELECT'||t==='TEXTAREA'||e.ctrlKey||e.metaKey||e.altKey)return;
  if(e.key==='Enter'&&e.target.matches&&e.target.matches('mark.hl')){activate(e.target.getAttribute('data-f').split(' '));return;}
  if(e.key==='n'){jump(1);e.preventDefault();}else if(e.key==='p'){jump(-1);e.preventDefault();}
  else if(e.key==='/'){document.getElementById('q').focus();e.preventDefault();}
});
document.getElementById('toolbar').addEventListener('change',function(e){
  if(e.target.id==='sort'){sortPairs();}
  current=null;apply();
});
document.getElementById('q').addEventListener('input',function(){current=null;apply();});
function setChecks(v){document.querySelectorAll('#toolbar input[name="check"]').forEach(function(i){i.checked=v;});current=null;apply();}
document.getElementById('checks-all').addEventListener('click',function(){setChecks(true);});
document.getElementById('checks-none').addEventListener('click',function(){setChecks(false);});
window.addEventListener('scroll',function(){if(current){var r=current.getBoundingClientRect();if(r.bottom<0||r.top>window.innerHeight)current=null;}},{passive:true});
// a restored page (back/forward) may come back with filters changed or priority order chosen
if(document.getElementById('sort').value!=='doc')sortPairs();
apply();
window.mtreviewReady=performance.now();
})();
