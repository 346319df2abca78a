// @teleport-actions/auth 1.0.0
import { createRequire as __teleportCreateRequire } from 'node:module'; const require = __teleportCreateRequire(import.meta.url);
import{a as t,b as r,d as o}from"./chunks/chunk-ENCYB53Y.mjs";import"./chunks/chunk-BDMLNYHI.mjs";import"./chunks/chunk-62FKKK5N.mjs";import"./chunks/chunk-H5ILH7N5.mjs";await t(r(),"auth (cleanup)",o);
