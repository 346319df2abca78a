import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as a}from"./chunks/chunk-CA5GX2UF.mjs";await t(r(),"database-tunnel (cleanup)",a);
