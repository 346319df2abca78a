// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as e}from"./chunk-YNG24QUC.mjs";var r=/\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g,t=/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,s=/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;function c(n){return u(n.replace(r,"").replace(t,"?"))}e(c,"untrustedText");function g(n){return u(n.replace(r,"").replace(/\r\n/g,`
`).replace(s,"?"))}e(g,"safeLogLines");function u(n){return n.replace(/^(\s*):(?=:)/gm,"$1: ")}e(u,"neutraliseCommands");export{c as a,g as b};
