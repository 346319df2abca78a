// @teleport-actions/auth-app 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-WS5WXRMQ.mjs";import"./chunks/chunk-4GLAJ3S2.mjs";import"./chunks/chunk-OYSCUHOE.mjs";import"./chunks/chunk-NXA6C23F.mjs";import"./chunks/chunk-KKDSDGY6.mjs";import"./chunks/chunk-XJDSVW3W.mjs";await t(r(),"auth-app (cleanup)",o);
