// @teleport-actions/auth-app 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-74UST47M.mjs";import"./chunks/chunk-NGYB35J2.mjs";import"./chunks/chunk-XJDSVW3W.mjs";await t(r(),"auth-app (cleanup)",o);
