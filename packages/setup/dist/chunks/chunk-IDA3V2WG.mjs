// @teleport-actions/setup 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as e,c as r}from"./chunk-Z6JMH5K3.mjs";var s=r((a,i)=>{i.exports=e("node:path")});var t=r((b,o)=>{o.exports=e("node:os")});var u=r((c,p)=>{p.exports=e("node:fs")});var x=r((d,q)=>{q.exports=e("node:crypto")});export{t as a,u as b,s as c,x as d};
