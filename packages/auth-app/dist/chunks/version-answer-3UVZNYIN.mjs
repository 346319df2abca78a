// @teleport-actions/auth-app 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{b as e}from"./chunk-GEUDQ5PO.mjs";import{a as n}from"./chunk-XJDSVW3W.mjs";async function a(s,r="tbot"){try{let{code:o,stdout:t}=await e(r,["version"],{env:s});return{path:r,notFound:!1,code:o,stdout:t}}catch(o){let t=o.code==="ENOENT",c=o instanceof Error?o.message:String(o);return{path:r,notFound:t,startError:c,code:null,stdout:""}}}n(a,"askTbotVersion");export{a as askTbotVersion};
