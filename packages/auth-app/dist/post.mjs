// @teleport-actions/auth-app 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-GA3UM45I.mjs";import"./chunks/chunk-TL2O6CQ3.mjs";import"./chunks/chunk-XGTDEQKG.mjs";import"./chunks/chunk-UZUTEBVD.mjs";await t(r(),"auth-app (cleanup)",o);
