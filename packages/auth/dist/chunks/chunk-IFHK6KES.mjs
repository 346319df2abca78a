// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as r,c as i}from"./chunk-ZXWZKVGS.mjs";var o=i((p,e)=>{e.exports=r("node:http")});export{o as a};
