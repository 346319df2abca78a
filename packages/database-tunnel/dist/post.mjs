// @teleport-actions/database-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as a}from"./chunks/chunk-Z5CYM6LO.mjs";import"./chunks/chunk-Q5SCWWWE.mjs";import"./chunks/chunk-TM6LGZZT.mjs";import"./chunks/chunk-F2PSTMPP.mjs";await t(r(),"database-tunnel (cleanup)",a);
