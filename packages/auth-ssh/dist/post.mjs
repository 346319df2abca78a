// @teleport-actions/auth-ssh 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-PXAZGTON.mjs";import"./chunks/chunk-YVH65NXB.mjs";import"./chunks/chunk-HQ25M6Y3.mjs";import"./chunks/chunk-5KM3FUWX.mjs";import"./chunks/chunk-GTFMFQP2.mjs";import"./chunks/chunk-YNG24QUC.mjs";await t(r(),"auth-ssh (cleanup)",o);
