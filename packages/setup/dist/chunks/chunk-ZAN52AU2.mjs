// @teleport-actions/setup 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as e,c as r}from"./chunk-Z6JMH5K3.mjs";var q=r((u,i)=>{i.exports=e("node:child_process")});var s=r((x,o)=>{o.exports=e("node:crypto")});var t=r((a,p)=>{p.exports=e("node:zlib")});export{q as a,s as b,t as c};
