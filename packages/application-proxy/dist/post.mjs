// @teleport-actions/application-proxy 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as o,d as r}from"./chunks/chunk-7MI6UYYC.mjs";import"./chunks/chunk-2NKSLVXD.mjs";import"./chunks/chunk-EYDJB2RP.mjs";await t(o(),"application-proxy (cleanup)",r);
