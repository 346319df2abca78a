// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-AYUMJCXE.mjs";import"./chunks/chunk-WCWYSHTJ.mjs";import"./chunks/chunk-6E7WOKMA.mjs";import"./chunks/chunk-ZS3SWYMO.mjs";import"./chunks/chunk-HSNHITIM.mjs";import"./chunks/chunk-ZXWZKVGS.mjs";await t(r(),"auth (cleanup)",o);
