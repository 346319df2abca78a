// @teleport-actions/setup 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as e,c as r}from"./chunk-Z6JMH5K3.mjs";var p=r((s,i)=>{i.exports=e("node:child_process")});var q=r((t,o)=>{o.exports=e("node:zlib")});export{p as a,q as b};
