// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as o,c as r,e as i}from"./chunks/chunk-PXAZGTON.mjs";import"./chunks/chunk-YVH65NXB.mjs";import"./chunks/chunk-HQ25M6Y3.mjs";import"./chunks/chunk-5KM3FUWX.mjs";import"./chunks/chunk-GTFMFQP2.mjs";import"./chunks/chunk-YNG24QUC.mjs";var n={name:"@teleport-actions/auth-ssh",version:"1.0.0"};await t(o(),"auth-ssh",h=>i(h,r(n.version)));
