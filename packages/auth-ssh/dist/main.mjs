// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as o,c as r,e as i}from"./chunks/chunk-XZQROAPY.mjs";import"./chunks/chunk-ZWOIB5GW.mjs";import"./chunks/chunk-YNG24QUC.mjs";var n={name:"@teleport-actions/auth-ssh",version:"1.0.0"};await t(o(),"auth-ssh",h=>i(h,r(n.version)));
