// @teleport-actions/database-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as n,c as a,e as o}from"./chunks/chunk-VKTP7HRW.mjs";import"./chunks/chunk-FPADI2EJ.mjs";import"./chunks/chunk-VFR5FVWX.mjs";var r={name:"@teleport-actions/database-tunnel",version:"1.0.0"};await t(n(),"database-tunnel",e=>o(e,a(r.version)));
