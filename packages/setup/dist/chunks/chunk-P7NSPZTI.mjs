// @teleport-actions/setup 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as e,c as r}from"./chunk-Z6JMH5K3.mjs";var q=r((u,i)=>{i.exports=e("node:path")});var s=r((x,o)=>{o.exports=e("node:os")});var t=r((a,p)=>{p.exports=e("node:fs")});export{s as a,t as b,q as c};
