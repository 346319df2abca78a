// @teleport-actions/auth-k8s 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as n}from"./chunk-J5OUCA35.mjs";var r=class extends Error{static{n(this,"UserError")}name="UserError"},t=class extends r{constructor(o,a){super(`Input '${o}': ${a}`);this.input=o}input;static{n(this,"InputError")}};function c(e){return(e instanceof Error?e.message:String(e)).replace(/\s*\n\s*/g," ").trim()}n(c,"errorMessage");export{r as a,t as b,c};
