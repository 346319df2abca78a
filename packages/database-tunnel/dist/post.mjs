// @teleport-actions/database-tunnel 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as a}from"./chunks/chunk-QM7MZUPJ.mjs";import"./chunks/chunk-GGBLMT5I.mjs";import"./chunks/chunk-7DMK3RMU.mjs";import"./chunks/chunk-REQQEZ4Y.mjs";import"./chunks/chunk-VGTNJRUJ.mjs";import"./chunks/chunk-VFR5FVWX.mjs";await t(r(),"database-tunnel (cleanup)",a);
