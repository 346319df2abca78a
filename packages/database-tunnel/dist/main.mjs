// @teleport-actions/database-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as n,c as a,e as o}from"./chunks/chunk-QM7MZUPJ.mjs";import"./chunks/chunk-GGBLMT5I.mjs";import"./chunks/chunk-7DMK3RMU.mjs";import"./chunks/chunk-REQQEZ4Y.mjs";import"./chunks/chunk-VGTNJRUJ.mjs";import"./chunks/chunk-VFR5FVWX.mjs";var r={name:"@teleport-actions/database-tunnel",version:"1.0.0"};await t(n(),"database-tunnel",e=>o(e,a(r.version)));
