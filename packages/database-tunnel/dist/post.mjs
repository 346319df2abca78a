// @teleport-actions/database-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as a}from"./chunks/chunk-VKTP7HRW.mjs";import"./chunks/chunk-FPADI2EJ.mjs";import"./chunks/chunk-VFR5FVWX.mjs";await t(r(),"database-tunnel (cleanup)",a);
