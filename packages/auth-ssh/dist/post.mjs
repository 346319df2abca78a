// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-XZQROAPY.mjs";import"./chunks/chunk-ZWOIB5GW.mjs";import"./chunks/chunk-YNG24QUC.mjs";await t(r(),"auth-ssh (cleanup)",o);
